// Validates the CPSV-AP export against SEMIC's official 3.2.0 SHACL shapes
// (test/fixtures/cpsv-ap, copied unchanged from the release).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import rdf from '@zazuko/env-node';
import { Parser } from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import SHACLValidator from 'rdf-validate-shacl';
import { buildEditionContent } from '../domain/edition-content.factory.js';
import { DEMO_AGENCIES, demoPublishedServices } from '../demo/demo-services.js';
import { toCpsvApJsonLd, toCpsvApTurtle, type CpsvApExportOptions } from './cpsv-ap.js';
import type { PublishedService } from './published-service.js';

const fixture = (name: string) =>
  readFile(new URL(`../../../../test/fixtures/cpsv-ap/${name}`, import.meta.url), 'utf8');

const options: CpsvApExportOptions = {
  baseIri: 'https://data.example.bh/registry/',
  publisher: DEMO_AGENCIES.find((a) => a.code === 'IGA')!,
  landingPage: 'https://portal.example.bh/services',
};

let shapes: Awaited<ReturnType<typeof parseTurtle>>;

function parseTurtle(text: string) {
  return rdf.dataset(new Parser().parse(text));
}

function parseJsonLd(doc: unknown) {
  return rdf
    .dataset()
    .import(
      rdf.formats.parsers.import('application/ld+json', Readable.from([JSON.stringify(doc)]))!,
    );
}

/** The data as sorted N-Triples-like lines, to compare two parses. */
function triples(data: Iterable<Quad>): string[] {
  const term = (t: Term) =>
    t.termType === 'Literal'
      ? `${JSON.stringify(t.value)}@${t.language}^^${t.datatype.value}`
      : `<${t.value}>`;
  return [...data].map((q) => `${term(q.subject)} ${term(q.predicate)} ${term(q.object)}`).sort();
}

/** One line per violation, readable in a failing assertion. */
async function violations(data: ReturnType<typeof parseTurtle>): Promise<string[]> {
  const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
  return report.results.map((r) =>
    [
      r.severity?.value.split('#')[1],
      r.focusNode?.value,
      r.path?.value,
      r.sourceConstraintComponent?.value.split('#')[1],
      r.value?.value,
      r.message.map((m) => m.value).join('; '),
    ].join(' | '),
  );
}

beforeAll(async () => {
  shapes = parseTurtle(await fixture('cpsv-ap-SHACL.ttl'));
});

describe('CPSV-AP 3.2.0 SHACL shapes', () => {
  it('report the class violations of SEMIC’s own example, so the validator really validates', async () => {
    const found = await violations(parseTurtle(await fixture('example-rdf_public_service.ttl')));
    expect(found).toHaveLength(6);
    expect(found.every((v) => v.includes('ClassConstraintComponent'))).toBe(true);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'http://example.com/publicOrganisation1 | http://purl.org/dc/terms/spatial',
        ),
      ]),
    );
  });

  it('report a service without title or competent authority', async () => {
    const data = parseTurtle(`
      @prefix cpsv: <http://purl.org/vocab/cpsv#> . @prefix dct: <http://purl.org/dc/terms/> .
      <https://x.bh/s> a cpsv:PublicService ; dct:identifier "S" ; dct:description "d"@en .`);
    const found = await violations(data);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/title | MinCount'),
        expect.stringContaining('hasCompetentAuthority | MinCount'),
      ]),
    );
  });
});

describe('CPSV-AP export of the demo registry', () => {
  const services = demoPublishedServices();
  let jsonLd: Awaited<ReturnType<typeof parseJsonLd>>;

  beforeAll(async () => {
    jsonLd = await parseJsonLd(toCpsvApJsonLd(services, options));
  });

  it('has zero violations as JSON-LD', async () => {
    expect(jsonLd.size).toBeGreaterThan(1000);
    expect(await violations(jsonLd)).toEqual([]);
  });

  it('gives the same triples as Turtle as it does as JSON-LD, so the Turtle conforms too', async () => {
    const turtle = parseTurtle(await toCpsvApTurtle(services, options));
    expect(triples(turtle)).toEqual(triples(jsonLd));
  });

  it('has zero violations for a service with every optional part', async () => {
    const content = buildEditionContent({
      legalBasis: {
        rules: [
          { title: { ar: 'قاعدة', en: 'Rule' }, description: { ar: 'وصف', en: 'Description' } },
        ],
        legalResources: [
          { title: { ar: 'قانون', en: 'Law' }, url: 'https://www.legalaffairs.gov.bh/1' },
        ],
      },
      contactPoint: {
        email: 'info@example.bh',
        phone: '+973 80008001',
        url: 'https://example.bh/contact',
        openingHours: { ar: 'الأحد إلى الخميس', en: 'Sunday to Thursday' },
      },
      channels: [
        { id: 'web', type: 'online', url: 'https://example.bh/apply', processingTime: 'PT1H' },
        {
          id: 'desk',
          type: 'counter',
          address: { ar: 'مدينة عيسى', en: 'Isa Town' },
          openingHours: { ar: '٧ص-٢م', en: '7am-2pm' },
        },
      ],
      lifeEvents: ['travelling_abroad'],
      businessEvents: ['hiring_employees'],
    });
    const service: PublishedService = {
      code: 'TEST-001',
      version: 2,
      publishedAt: new Date('2025-03-01T08:00:00Z'),
      agency: { code: 'NPRA', nameAr: 'شؤون الجنسية والجوازات والإقامة', nameEn: 'NPRA' },
      content,
      pageUrl: 'https://portal.example.bh/services/TEST-001',
    };
    expect(await violations(await parseJsonLd(toCpsvApJsonLd([service], options)))).toEqual([]);
  });

  it('reports a code-list value that is not a typed concept, so zero above is meaningful', async () => {
    const doc = toCpsvApJsonLd(demoPublishedServices().slice(0, 1), options);
    const channelType = doc['@graph'].find((n) =>
      n['@id'].endsWith('/concept/channel-type/online'),
    )!;
    channelType['@type'] = [];
    const found = await violations(await parseJsonLd(doc));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\/channel\/online \| http:\/\/purl.org\/dc\/terms\/type \| ClassConstraintComponent/,
        ),
      ]),
    );
  });
});

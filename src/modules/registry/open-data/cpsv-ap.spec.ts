import { describe, expect, it } from '@jest/globals';
import { buildEditionContent } from '../domain/edition-content.factory.js';
import { toCpsvApJsonLd, toCpsvApTurtle, type CpsvApExportOptions } from './cpsv-ap.js';
import type { PublishedService } from './published-service.js';
import type { JsonLdNode } from './rdf-graph.js';

const BASE = 'https://data.example.bh/registry/';
const agency = {
  code: 'NPRA',
  nameAr: 'شؤون الجنسية والجوازات والإقامة',
  nameEn: 'Nationality, Passports & Residence Affairs',
};
const options: CpsvApExportOptions = { baseIri: BASE, publisher: agency };

const published = (overrides: Partial<PublishedService['content']> = {}): PublishedService => ({
  code: 'NPRA-001',
  version: 3,
  publishedAt: new Date('2025-01-05T06:00:00Z'),
  agency,
  content: buildEditionContent(overrides),
  pageUrl: 'https://portal.example.bh/services/NPRA-001',
});

const nodeById = (graph: JsonLdNode[], id: string): JsonLdNode => {
  const node = graph.find((n) => n['@id'] === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
};

describe('toCpsvApJsonLd', () => {
  it('uses an inline context so it can be read offline', () => {
    const sut = toCpsvApJsonLd([published()], options);
    expect(typeof sut['@context']).toBe('object');
    expect(JSON.stringify(sut['@context'])).not.toMatch(/\.jsonld/);
    expect(sut['@context'].cv).toBe('http://data.europa.eu/m8g/');
  });

  it('tags every title with Arabic and English', () => {
    const service = nodeById(
      toCpsvApJsonLd([published()], options)['@graph'],
      `${BASE}service/NPRA-001`,
    );
    expect(service['@type']).toEqual(['cpsv:PublicService']);
    expect(service['dct:title']).toEqual([
      { '@value': 'تجديد جوازات السفر', '@language': 'ar' },
      { '@value': 'Passport renewal', '@language': 'en' },
    ]);
    expect(service['cv:processingTime']).toEqual([{ '@value': 'P3D', '@type': 'xsd:duration' }]);
  });

  it('writes costs as exact BHD decimals in BHD, tied to their channel', () => {
    const graph = toCpsvApJsonLd([published()], options)['@graph'];
    const cost = nodeById(graph, `${BASE}service/NPRA-001/cost/fee`);
    expect(cost['cv:hasValue']).toEqual([{ '@value': '12.000', '@type': 'xsd:double' }]);
    expect(cost['cv:currency']).toEqual([
      { '@id': 'http://publications.europa.eu/resource/authority/currency/BHD' },
    ]);
    expect(cost['cv:ifAccessedThrough']).toEqual([
      { '@id': `${BASE}service/NPRA-001/channel/web` },
    ]);
  });

  it('gives a free service no cost', () => {
    const graph = toCpsvApJsonLd([published({ costs: [] })], options)['@graph'];
    expect(nodeById(graph, `${BASE}service/NPRA-001`)['cv:hasCost']).toBeUndefined();
  });

  it('makes code-list values labelled skos:Concepts in a scheme', () => {
    const graph = toCpsvApJsonLd([published()], options)['@graph'];
    const online = nodeById(graph, `${BASE}concept/channel-type/online`);
    expect(online['@type']).toEqual(['skos:Concept']);
    expect(online['skos:prefLabel']).toEqual([
      { '@value': 'الموقع الإلكتروني', '@language': 'ar' },
      { '@value': 'Online', '@language': 'en' },
    ]);
    expect(online['skos:inScheme']).toEqual([{ '@id': `${BASE}concept/channel-type` }]);
    const country = nodeById(graph, 'http://publications.europa.eu/resource/authority/country/BHR');
    expect(country['@type']).toEqual(['dct:Location', 'skos:Concept']);
  });

  it('links life events both ways', () => {
    const graph = toCpsvApJsonLd([published()], options)['@graph'];
    const event = nodeById(graph, `${BASE}event/life/travelling_abroad`);
    expect(event['@type']).toEqual(['cv:Event', 'cv:LifeEvent']);
    expect(event['cv:hasRelatedService']).toEqual([{ '@id': `${BASE}service/NPRA-001` }]);
  });

  it('describes each agency once however many services it has', () => {
    const second = { ...published(), code: 'NPRA-002', pageUrl: 'https://portal.example.bh/x' };
    const graph = toCpsvApJsonLd([published(), second], options)['@graph'];
    expect(graph.filter((n) => n['@id'] === `${BASE}organisation/NPRA`)).toHaveLength(1);
    expect(nodeById(graph, `${BASE}catalogue`)['dct:hasPart']).toHaveLength(2);
  });

  it('escapes codes that are not safe in an IRI', () => {
    const graph = toCpsvApJsonLd([{ ...published(), code: 'A B/1' }], options)['@graph'];
    expect(graph.some((n) => n['@id'] === `${BASE}service/A%20B%2F1`)).toBe(true);
  });
});

describe('toCpsvApTurtle', () => {
  it('writes prefixed Turtle with language-tagged literals', async () => {
    const sut = await toCpsvApTurtle([published()], options);
    expect(sut).toContain('@prefix cpsv: <http://purl.org/vocab/cpsv#>.');
    expect(sut).toContain('"تجديد جوازات السفر"@ar');
    expect(sut).toContain('"12.000"^^xsd:double');
  });
});

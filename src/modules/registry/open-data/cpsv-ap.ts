// Export of the published services as CPSV-AP 3.2.0 (JSON-LD and Turtle) for the
// national and EU open-data portals. The export must pass SEMIC's SHACL shapes, so
// every code-list value is a typed skos:Concept and every node carries its identifier.
// Procedure steps, redress and reviewBy have no CPSV-AP 3.2 property and are left out.

import { formatBhd, parseFils } from '../../../platform/money/fils.js';
import {
  AUDIENCES,
  BUSINESS_EVENTS,
  CHANNEL_TYPES,
  COUNTRIES,
  LIFE_EVENTS,
  OUTPUT_TYPES,
  THEMATIC_AREAS,
  codeEntry,
  type CodeListEntry,
  type CountryCode,
} from '../domain/code-lists.js';
import type { LocalizedText } from '../domain/edition-content.js';
import type { PublishedService, PublishingAgency } from './published-service.js';
import { RdfGraph, type JsonLdDocument, type RdfNode } from './rdf-graph.js';

export interface CpsvApExportOptions {
  /** Base of every IRI the export mints, ending in `/`, e.g. `https://data.example.bh/registry/`. */
  baseIri: string;
  /** The agency publishing the catalogue (dct:publisher of the dataset). */
  publisher: PublishingAgency;
  /** Where the catalogue is browsed by people (dcat:landingPage). */
  landingPage?: string;
  /** Jurisdiction of the competent authorities (their required dct:spatial). Default BHR. */
  jurisdiction?: CountryCode;
}

const EU_AUTHORITY = 'http://publications.europa.eu/resource/authority/';
const CATALOGUE_TITLE: LocalizedText = {
  ar: 'السجل الوطني للخدمات الحكومية',
  en: 'National Register of Government Services',
};
const CATALOGUE_DESCRIPTION: LocalizedText = {
  ar: 'الخدمات الحكومية المنشورة ومتطلباتها وقنواتها ورسومها.',
  en: 'Published government services with their requirements, channels and fees.',
};
const LANGUAGES = [
  { iri: `${EU_AUTHORITY}language/ARA`, label: { ar: 'العربية', en: 'Arabic' } },
  { iri: `${EU_AUTHORITY}language/ENG`, label: { ar: 'الإنجليزية', en: 'English' } },
];

export function toCpsvApJsonLd(
  services: readonly PublishedService[],
  options: CpsvApExportOptions,
): JsonLdDocument {
  return buildGraph(services, options).toJsonLd();
}

export function toCpsvApTurtle(
  services: readonly PublishedService[],
  options: CpsvApExportOptions,
): Promise<string> {
  return buildGraph(services, options).toTurtle();
}

function buildGraph(services: readonly PublishedService[], options: CpsvApExportOptions): RdfGraph {
  const g = new RdfGraph();
  const base = options.baseIri.endsWith('/') ? options.baseIri : `${options.baseIri}/`;
  const seg = encodeURIComponent;

  const concept = (scheme: string, list: readonly CodeListEntry[], code: string): RdfNode => {
    const schemeIri = `${base}concept/${scheme}`;
    g.node(schemeIri, 'skos:ConceptScheme').literal('dct:identifier', scheme);
    const entry = codeEntry(list, code);
    return g
      .node(`${schemeIri}/${seg(code)}`, 'skos:Concept')
      .literal('skos:notation', code)
      .text('skos:prefLabel', entry)
      .ref('skos:inScheme', schemeIri);
  };

  // EU authority tables: the country is both a concept and the dct:Location the shapes ask for.
  const country = (code: CountryCode): RdfNode =>
    g
      .node(`${EU_AUTHORITY}country/${code}`, 'dct:Location', 'skos:Concept')
      .text('skos:prefLabel', codeEntry(COUNTRIES, code));
  const bhd = g
    .node(`${EU_AUTHORITY}currency/BHD`, 'skos:Concept')
    .text('skos:prefLabel', { ar: 'دينار بحريني', en: 'Bahraini dinar' });
  const document = (url: string): RdfNode => g.node(url, 'foaf:Document');

  // A competent authority is a cv:PublicOrganisation and, as publisher, a foaf:Agent: it gets both sets of required fields.
  const organisation = (agency: PublishingAgency): RdfNode => {
    const names = { ar: agency.nameAr, en: agency.nameEn };
    const org = g
      .node(`${base}organisation/${seg(agency.code)}`, 'cv:PublicOrganisation', 'foaf:Agent')
      .literal('dct:identifier', agency.code)
      .text('skos:prefLabel', names)
      .text('dct:title', names)
      .ref('dct:spatial', country(options.jurisdiction ?? 'BHR'));
    if (agency.website) org.ref('foaf:homepage', document(agency.website));
    return org;
  };

  const catalogue = g
    .node(`${base}catalogue`, 'dcat:Dataset')
    .literal('dct:identifier', 'catalogue')
    .text('dct:title', CATALOGUE_TITLE)
    .text('dct:description', CATALOGUE_DESCRIPTION)
    .ref('dct:publisher', organisation(options.publisher));
  if (options.landingPage) catalogue.ref('dcat:landingPage', document(options.landingPage));
  const languages = LANGUAGES.map((l) =>
    g.node(l.iri, 'dct:LinguisticSystem', 'skos:Concept').text('skos:prefLabel', l.label),
  );

  for (const service of services) {
    const c = service.content;
    const iri = `${base}service/${seg(service.code)}`;
    const s = g
      .node(iri, 'cpsv:PublicService')
      .literal('dct:identifier', service.code)
      .literal('owl:versionInfo', String(service.version))
      .literal('dct:issued', service.publishedAt.toISOString(), 'xsd:dateTime')
      .text('dct:title', c.title)
      .text('dct:description', c.description)
      .literal('cv:processingTime', c.processingTime, 'xsd:duration')
      .ref('cv:hasCompetentAuthority', organisation(service.agency))
      .ref('cv:thematicArea', concept('thematic-area', THEMATIC_AREAS, c.thematicArea))
      .ref('dct:spatial', country(c.spatial))
      .ref('foaf:page', document(service.pageUrl))
      .ref('dct:isPartOf', catalogue);
    catalogue.ref('dct:hasPart', s);
    for (const l of languages) s.ref('dct:language', l);
    for (const k of c.keywords ?? []) s.text('dcat:keyword', k);
    for (const a of c.audience) s.ref('dct:audience', concept('audience', AUDIENCES, a));

    c.requirements.forEach((r, i) => {
      const req = g
        .node(`${iri}/requirement/${i + 1}`, 'cv:Requirement')
        .literal('dct:identifier', `${service.code}-requirement-${i + 1}`)
        .text('dct:title', r.name)
        .text('dct:description', r.description);
      s.ref('cv:holdsRequirement', req);
      r.evidence.forEach((e, j) => {
        const evidence = g
          .node(`${req.id}/evidence/${j + 1}`, 'cv:Evidence')
          .literal('dct:identifier', `${service.code}-requirement-${i + 1}-evidence-${j + 1}`)
          .text('dct:title', e.name)
          .text('dct:description', e.description)
          .ref('cv:supportsRequirement', req);
        req.ref('cv:hasSupportingEvidence', evidence);
        s.ref('cpsv:hasInput', evidence);
      });
    });

    c.outputs.forEach((o, i) => {
      const output = g
        .node(`${iri}/output/${i + 1}`, 'cv:Output')
        .literal('dct:identifier', `${service.code}-output-${i + 1}`)
        .text('dct:title', o.name)
        .text('dct:description', o.description)
        .ref('dct:type', concept('output-type', OUTPUT_TYPES, o.type));
      s.ref('cpsv:produces', output);
    });

    const laws = c.legalBasis.legalResources.map((l, i) => {
      const law = g
        .node(`${iri}/legal-resource/${i + 1}`, 'eli:LegalResource')
        .text('dct:title', l.title);
      if (l.url) law.ref('foaf:page', document(l.url));
      s.ref('cv:hasLegalResource', law);
      return law;
    });
    c.legalBasis.rules.forEach((r, i) => {
      const rule = g
        .node(`${iri}/rule/${i + 1}`, 'cpsv:Rule')
        .literal('dct:identifier', `${service.code}-rule-${i + 1}`)
        .text('dct:title', r.title)
        .text('dct:description', r.description);
      for (const law of laws) rule.ref('cpsv:implements', law);
      s.ref('cpsv:follows', rule);
    });

    const hours = (owner: RdfNode, text: LocalizedText): void => {
      owner.ref(
        'cv:openingHours',
        g.node(`${owner.id}/opening-hours`, 'time:TemporalEntity').text('dct:description', text),
      );
    };

    const cp = c.contactPoint;
    const contact = g.node(`${iri}/contact-point`, 'cv:ContactPoint');
    if (cp.email) contact.literal('cv:email', cp.email);
    if (cp.phone) contact.literal('cv:telephone', cp.phone);
    if (cp.url) contact.ref('cv:contactPage', document(cp.url));
    if (cp.openingHours) hours(contact, cp.openingHours);
    s.ref('cv:contactPoint', contact);

    const channels = new Map<string, RdfNode>();
    for (const ch of c.channels) {
      const channel = g
        .node(`${iri}/channel/${seg(ch.id)}`, 'cv:Channel')
        .literal('dct:identifier', ch.id)
        .ref('dct:type', concept('channel-type', CHANNEL_TYPES, ch.type));
      // CPSV-AP 3.2 has no channel URL; foaf:page is how DCAT links a resource to its page.
      if (ch.url) channel.ref('foaf:page', document(ch.url));
      if (ch.processingTime)
        channel.literal('cv:processingTime', ch.processingTime, 'xsd:duration');
      if (ch.openingHours) hours(channel, ch.openingHours);
      if (ch.address) {
        channel.ref(
          'locn:address',
          g.node(`${channel.id}/address`, 'locn:Address').text('locn:fullAddress', ch.address),
        );
      }
      channels.set(ch.id, channel);
      s.ref('cv:hasChannel', channel);
    }

    for (const cost of c.costs) {
      // xsd:double is what the shapes demand; "12.000" is its exact lexical form, computed from integer fils.
      const node = g
        .node(`${iri}/cost/${seg(cost.id)}`, 'cv:Cost')
        .literal('dct:identifier', cost.id)
        .text('dct:description', cost.description)
        .literal('cv:hasValue', formatBhd(parseFils(cost.amountFils)), 'xsd:double')
        .ref('cv:currency', bhd);
      const channel = cost.channelId ? channels.get(cost.channelId) : undefined;
      if (channel) node.ref('cv:ifAccessedThrough', channel);
      s.ref('cv:hasCost', node);
    }

    const events = [
      ...c.lifeEvents.map((code) => ({
        kind: 'life',
        code,
        list: LIFE_EVENTS,
        cls: 'cv:LifeEvent' as const,
      })),
      ...c.businessEvents.map((code) => ({
        kind: 'business',
        code,
        list: BUSINESS_EVENTS,
        cls: 'cv:BusinessEvent' as const,
      })),
    ];
    for (const e of events) {
      // Typed cv:Event too: SHACL checks sh:class without RDFS inference over the subclass.
      const event = g
        .node(`${base}event/${e.kind}/${seg(e.code)}`, 'cv:Event', e.cls)
        .literal('dct:identifier', e.code)
        .text('dct:title', codeEntry(e.list, e.code))
        .ref('dct:type', concept(`${e.kind}-event`, e.list, e.code))
        .ref('cv:hasRelatedService', s);
      s.ref('cv:isGroupedBy', event);
    }
  }
  return g;
}

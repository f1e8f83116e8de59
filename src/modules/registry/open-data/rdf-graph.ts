// A tiny in-memory RDF graph that renders to both JSON-LD and Turtle, so the two
// open-data formats are built once and can never disagree.

import { DataFactory, Writer, type Quad } from 'n3';
import type { LocalizedText } from '../domain/edition-content.js';

/** Prefixes of the vocabularies CPSV-AP 3.2.0 uses; also the offline JSON-LD @context. */
export const PREFIXES = {
  cpsv: 'http://purl.org/vocab/cpsv#',
  cv: 'http://data.europa.eu/m8g/',
  dct: 'http://purl.org/dc/terms/',
  dcat: 'http://www.w3.org/ns/dcat#',
  eli: 'http://data.europa.eu/eli/ontology#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  locn: 'http://www.w3.org/ns/locn#',
  owl: 'http://www.w3.org/2002/07/owl#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  time: 'http://www.w3.org/2006/time#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;
type Prefix = keyof typeof PREFIXES;
/** A compact IRI over a known prefix, e.g. `dct:title`. */
export type CompactIri = `${Prefix}:${string}`;

type RdfValue =
  { id: string } | { value: string; lang: 'ar' | 'en' } | { value: string; datatype?: CompactIri };

export interface JsonLdNode {
  '@id': string;
  '@type': CompactIri[];
  [predicate: CompactIri]: unknown[];
}

export interface JsonLdDocument {
  '@context': typeof PREFIXES;
  '@graph': JsonLdNode[];
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

function expand(iri: CompactIri): string {
  const colon = iri.indexOf(':');
  return PREFIXES[iri.slice(0, colon) as Prefix] + iri.slice(colon + 1);
}

export class RdfNode {
  readonly types = new Set<CompactIri>();
  readonly props = new Map<CompactIri, Map<string, RdfValue>>();

  constructor(readonly id: string) {}

  private add(predicate: CompactIri, value: RdfValue): this {
    let values = this.props.get(predicate);
    if (!values) this.props.set(predicate, (values = new Map()));
    values.set(JSON.stringify(value), value); // nodes met twice (concepts, agencies) merge
    return this;
  }

  ref(predicate: CompactIri, target: RdfNode | string): this {
    return this.add(predicate, { id: typeof target === 'string' ? target : target.id });
  }

  /** One literal per language. */
  text(predicate: CompactIri, text: LocalizedText): this {
    return this.add(predicate, { value: text.ar, lang: 'ar' }).add(predicate, {
      value: text.en,
      lang: 'en',
    });
  }

  literal(predicate: CompactIri, value: string, datatype?: CompactIri): this {
    return this.add(predicate, datatype ? { value, datatype } : { value });
  }
}

export class RdfGraph {
  private readonly nodes = new Map<string, RdfNode>();

  /** The node with this IRI, created on first use; types accumulate. */
  node(id: string, ...types: CompactIri[]): RdfNode {
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = new RdfNode(id)));
    for (const t of types) node.types.add(t);
    return node;
  }

  toJsonLd(): JsonLdDocument {
    const graph = [...this.nodes.values()].map((node) => {
      const out: JsonLdNode = { '@id': node.id, '@type': [...node.types] };
      for (const [predicate, values] of node.props) {
        out[predicate] = [...values.values()].map((v) => {
          if ('id' in v) return { '@id': v.id };
          if ('lang' in v) return { '@value': v.value, '@language': v.lang };
          return v.datatype ? { '@value': v.value, '@type': v.datatype } : v.value;
        });
      }
      return out;
    });
    return { '@context': PREFIXES, '@graph': graph };
  }

  toQuads(): Quad[] {
    const { namedNode, literal, quad } = DataFactory;
    const quads: Quad[] = [];
    for (const node of this.nodes.values()) {
      const subject = namedNode(node.id);
      for (const t of node.types)
        quads.push(quad(subject, namedNode(RDF_TYPE), namedNode(expand(t))));
      for (const [predicate, values] of node.props) {
        for (const v of values.values()) {
          const object =
            'id' in v
              ? namedNode(v.id)
              : 'lang' in v
                ? literal(v.value, v.lang)
                : literal(v.value, v.datatype ? namedNode(expand(v.datatype)) : undefined);
          quads.push(quad(subject, namedNode(expand(predicate)), object));
        }
      }
    }
    return quads;
  }

  toTurtle(): Promise<string> {
    const writer = new Writer({ prefixes: PREFIXES });
    writer.addQuads(this.toQuads());
    return new Promise((resolve, reject) =>
      writer.end((error, result: string) => (error ? reject(error) : resolve(result))),
    );
  }
}

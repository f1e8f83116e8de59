// Turns what a person types into PostgreSQL full-text queries: normalised exactly like the
// stored text, each word a prefix (`جواز:*` finds جوازات), synonyms as alternatives.
import { normalizeForSearch } from '../../../platform/text/arabic.js';

const ARABIC = /[\u0600-\u06FF]/;
/** Words too short to carry meaning as a prefix (one letter matches half the catalogue). */
const MIN_PREFIX = 2;

export interface SearchTerms {
  /** Normalised query text, for the trigram match on titles. */
  text: string;
  /** tsquery text for to_tsquery('arabic', …); null when the query has no Arabic word. */
  arabic: string | null;
  /** tsquery text for to_tsquery('english', …); null when the query has no Latin word. */
  english: string | null;
}

/** Only letters and digits reach to_tsquery, so no operator can be injected. */
const lexeme = (word: string): string => word.replace(/[^\p{L}\p{N}]/gu, '');

function group(words: string[]): string {
  const parts = words.map((w) => lexeme(w)).filter((w) => w.length > 0);
  if (!parts.length) return '';
  const terms = parts.map((w) => (w.length >= MIN_PREFIX ? `${w}:*` : w));
  return terms.length === 1 ? terms[0] : `(${terms.join(' & ')})`;
}

/**
 * `synonyms` maps a normalised word or phrase to alternatives (also normalised). A query word
 * that has synonyms becomes `(word:* | (alt1:* & alt2:*) | …)`.
 */
export function buildSearchTerms(
  query: string,
  synonyms: ReadonlyMap<string, readonly string[]> = new Map(),
): SearchTerms {
  const text = normalizeForSearch(query);
  const words = text.split(' ').filter(Boolean).slice(0, 12);
  const clause = (word: string): string => {
    const alternatives = [
      group([word]),
      ...(synonyms.get(word) ?? []).map((s) => group(s.split(' '))),
    ].filter(Boolean);
    return alternatives.length > 1
      ? `(${[...new Set(alternatives)].join(' | ')})`
      : (alternatives[0] ?? '');
  };
  const build = (ws: string[]): string | null => {
    const clauses = ws.map(clause).filter(Boolean);
    return clauses.length ? clauses.join(' & ') : null;
  };
  return {
    text,
    arabic: build(words.filter((w) => ARABIC.test(w))),
    english: build(words.filter((w) => !ARABIC.test(w))),
  };
}

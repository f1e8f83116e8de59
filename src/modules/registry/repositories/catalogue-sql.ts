// The public catalogue's SQL, as plain functions of their parameters. The repository runs
// them; the benchmark's raw baseline runs exactly the same text and values.
import type { SearchTerms } from '../domain/search-query.js';

export interface SqlQuery {
  text: string;
  values: unknown[];
}

export interface CatalogueFilter {
  agency?: string;
  audience?: string;
  channel?: string;
  lifeEvent?: string;
  /** true: free services only; false: paid only. */
  free?: boolean;
  onlineOnly?: boolean;
}

/** Position after the last item of a page: the sort key (tier, popularity, code). */
export interface CatalogueCursor {
  tier: number;
  popularity: number;
  code: string;
}

const DETAIL_COLUMNS = `s.code, e.id AS edition_id, e.edition_number AS version, e.published_at, e.change_note,
  e.status, e.content, a.code AS agency_code, a.name_ar AS agency_name_ar, a.name_en AS agency_name_en,
  a.website AS agency_website`;

/** The published edition of a service, with its agency: one row or none. */
export function publishedServiceSql(code: string): SqlQuery {
  return {
    text: `SELECT ${DETAIL_COLUMNS}
      FROM service s
      JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
      JOIN agency a ON a.id = s.agency_id
      WHERE s.code = $1`,
    values: [code],
  };
}

/** An edition that was public at some point (published, superseded or archived). */
export function serviceVersionSql(code: string, version: number): SqlQuery {
  return {
    text: `SELECT ${DETAIL_COLUMNS}
      FROM service s
      JOIN service_edition e ON e.service_id = s.id AND e.edition_number = $2 AND e.published_at IS NOT NULL
      JOIN agency a ON a.id = s.agency_id
      WHERE s.code = $1`,
    values: [code, version],
  };
}

function whereClause(terms: SearchTerms | null, filter: CatalogueFilter, values: unknown[]) {
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = [`e.status = 'published'`];
  let tier = '0';
  if (terms && (terms.arabic || terms.english)) {
    const matches: string[] = [];
    const titles: string[] = [];
    const descriptions: string[] = [];
    const add = (column: string, q: string) => {
      matches.push(`${column} @@ ${q}`);
      // ts_rank weights are {D, C, B, A}: non-zero only when the words are in that part.
      titles.push(`ts_rank('{0,0,0,1}', ${column}, ${q}) > 0`);
      descriptions.push(`ts_rank('{0,0,1,0}', ${column}, ${q}) > 0`);
    };
    if (terms.arabic) add('e.search_ar', `to_tsquery('arabic', ${p(terms.arabic)})`);
    if (terms.english) add('e.search_en', `to_tsquery('english', ${p(terms.english)})`);
    where.push(`(${matches.join(' OR ')})`);
    tier = `CASE WHEN ${titles.join(' OR ')} THEN 3 WHEN ${descriptions.join(' OR ')} THEN 2 ELSE 1 END`;
  }
  if (filter.agency) where.push(`a.code = ${p(filter.agency)}`);
  if (filter.audience) where.push(`${p(filter.audience)} = ANY(e.audience)`);
  if (filter.channel) where.push(`${p(filter.channel)} = ANY(e.channel_types)`);
  if (filter.lifeEvent) where.push(`${p(filter.lifeEvent)} = ANY(e.life_events)`);
  if (filter.free !== undefined) where.push(`e.is_free = ${p(filter.free)}`);
  if (filter.onlineOnly) where.push('e.online_only');
  return { where: where.join(' AND '), tier };
}

const LIST_COLUMNS = `s.code, s.popularity, a.code AS agency_code, a.name_ar AS agency_name_ar,
  a.name_en AS agency_name_en, e.title_ar, e.title_en, e.description_ar, e.description_en,
  e.audience, e.channel_types, e.life_events, e.is_free, e.online_only, e.edition_number AS version,
  e.published_at`;

/**
 * One page of published services: full-text match (title matches first), filters, then
 * popularity; keyset pagination on (tier, popularity, code). Asks for limit + 1 rows to know
 * whether there is a next page.
 */
export function searchServicesSql(
  terms: SearchTerms | null,
  filter: CatalogueFilter,
  limit: number,
  after?: CatalogueCursor,
): SqlQuery {
  const values: unknown[] = [];
  const { where, tier } = whereClause(terms, filter, values);
  let page = '';
  if (after) {
    values.push(after.tier, after.popularity, after.code);
    const [t, pop, c] = [values.length - 2, values.length - 1, values.length].map((i) => `$${i}`);
    page = `WHERE tier < ${t} OR (tier = ${t} AND (popularity < ${pop} OR (popularity = ${pop} AND code > ${c})))`;
  }
  values.push(limit + 1);
  return {
    text: `SELECT * FROM (
        SELECT ${LIST_COLUMNS}, ${tier} AS tier
        FROM service_edition e
        JOIN service s ON s.id = e.service_id
        JOIN agency a ON a.id = s.agency_id
        WHERE ${where}
      ) hits ${page}
      ORDER BY tier DESC, popularity DESC, code
      LIMIT $${values.length}`,
    values,
  };
}

/** Typo tolerance: titles whose words are close to the query (trigrams), when nothing matched. */
export function similarTitlesSql(text: string, filter: CatalogueFilter, limit: number): SqlQuery {
  const values: unknown[] = [];
  const { where } = whereClause(null, filter, values);
  values.push(text, limit);
  const q = `$${values.length - 1}`;
  return {
    text: `SELECT ${LIST_COLUMNS}, 0 AS tier
      FROM service_edition e
      JOIN service s ON s.id = e.service_id
      JOIN agency a ON a.id = s.agency_id
      WHERE ${where} AND word_similarity(${q}, e.search_title) >= 0.4
      ORDER BY word_similarity(${q}, e.search_title) DESC, s.popularity DESC, s.code
      LIMIT $${values.length}`,
    values,
  };
}

/** Counts per facet value over everything the query and filters match. */
export function facetsSql(terms: SearchTerms | null, filter: CatalogueFilter): SqlQuery {
  const values: unknown[] = [];
  const { where } = whereClause(terms, filter, values);
  return {
    text: `WITH hits AS (
        SELECT a.code AS agency_code, e.audience, e.channel_types, e.life_events, e.is_free, e.online_only
        FROM service_edition e
        JOIN service s ON s.id = e.service_id
        JOIN agency a ON a.id = s.agency_id
        WHERE ${where}
      )
      SELECT 'total' AS facet, '' AS value, count(*)::int AS count FROM hits
      UNION ALL SELECT 'agency', agency_code, count(*)::int FROM hits GROUP BY agency_code
      UNION ALL SELECT 'audience', v, count(*)::int FROM hits, unnest(audience) v GROUP BY v
      UNION ALL SELECT 'channel', v, count(*)::int FROM hits, unnest(channel_types) v GROUP BY v
      UNION ALL SELECT 'lifeEvent', v, count(*)::int FROM hits, unnest(life_events) v GROUP BY v
      UNION ALL SELECT 'price', CASE WHEN is_free THEN 'free' ELSE 'paid' END, count(*)::int FROM hits GROUP BY is_free
      UNION ALL SELECT 'onlineOnly', online_only::text, count(*)::int FROM hits GROUP BY online_only`,
    values,
  };
}

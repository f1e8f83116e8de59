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

// Content and figures come back as JSON text: the page embeds them as they are, so the
// driver does not parse them only for the server to serialise them again.
const DETAIL_COLUMNS = `s.code, e.id AS edition_id, e.edition_number AS version, e.published_at, e.change_note,
  e.status, e.content::text AS content_json, a.code AS agency_code, a.name_ar AS agency_name_ar,
  a.name_en AS agency_name_en, a.website AS agency_website, pf.figures::text AS figures_json, pf.figures_tag`;

/**
 * The service's yearly payment figures (a copy refreshed from payments), oldest year first,
 * and a tag that changes whenever they change (number of years and last change), for the ETag.
 */
const FIGURES_JOIN = `LEFT JOIN LATERAL (
    SELECT jsonb_agg(f.figures ORDER BY f.year) AS figures,
      count(*) || '.' || coalesce((extract(epoch FROM max(f.refreshed_at)) * 1000000)::bigint, 0) AS figures_tag
    FROM service_payment_figures f WHERE f.service_id = s.id
  ) pf ON true`;

/** The published edition of a service, with its agency: one row or none. */
export function publishedServiceSql(code: string): SqlQuery {
  return {
    text: `SELECT ${DETAIL_COLUMNS}
      FROM service s
      JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
      JOIN agency a ON a.id = s.agency_id
      ${FIGURES_JOIN}
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
      ${FIGURES_JOIN}
      WHERE s.code = $1`,
    values: [code, version],
  };
}

/** The conditions of each rank tier: 3 title, 2 description, 1 anything else that matches. */
interface TierConditions {
  3: string;
  2: string;
  1: string;
}

function whereClause(terms: SearchTerms | null, filter: CatalogueFilter, values: unknown[]) {
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const filters = [`e.status = 'published'`];
  let match: string | null = null;
  let tiers: TierConditions | null = null;
  if (terms && (terms.arabic || terms.english)) {
    const queries: [string, string][] = [];
    if (terms.arabic) queries.push(['ar', `to_tsquery('arabic', ${p(terms.arabic)})`]);
    if (terms.english) queries.push(['en', `to_tsquery('english', ${p(terms.english)})`]);
    // Every word (or one of its synonyms) in that part of the text, in either language.
    const matchIn = (part: string) =>
      `(${queries.map(([lang, q]) => `e.${part}_${lang} @@ ${q}`).join(' OR ')})`;
    const title = matchIn('title_search');
    const body = matchIn('body_search');
    match = matchIn('search');
    // A title or description match is also a match of the whole text (same words, same config).
    tiers = {
      3: title,
      2: `${body} AND NOT ${title}`,
      1: `${match} AND NOT ${title} AND NOT ${body}`,
    };
  }
  if (filter.agency) filters.push(`a.code = ${p(filter.agency)}`);
  if (filter.audience) filters.push(`${p(filter.audience)} = ANY(e.audience)`);
  if (filter.channel) filters.push(`${p(filter.channel)} = ANY(e.channel_types)`);
  if (filter.lifeEvent) filters.push(`${p(filter.lifeEvent)} = ANY(e.life_events)`);
  if (filter.free !== undefined) filters.push(`e.is_free = ${p(filter.free)}`);
  if (filter.onlineOnly) filters.push('e.online_only');
  return {
    /** Published, the filters, and the text match if there is a query. */
    where: [...filters, ...(match ? [match] : [])].join(' AND '),
    filters: filters.join(' AND '),
    tiers,
  };
}

const LIST_COLUMNS = `s.code, s.popularity, a.code AS agency_code, a.name_ar AS agency_name_ar,
  a.name_en AS agency_name_en, e.title_ar, e.title_en, e.description_ar, e.description_en,
  e.audience, e.channel_types, e.life_events, e.is_free, e.online_only, e.edition_number AS version,
  e.published_at`;

/**
 * One page of published services: full-text match, title matches first (tier 3), then
 * description matches (2), then other matches (1), each by popularity then code; filters;
 * keyset pagination on (tier, popularity, code). Asks for limit + 1 rows to know whether there
 * is a next page.
 *
 * Each tier is its own branch of a UNION ALL, read from its own GIN index (title, description,
 * whole text) and limited; branches run in order and the outer LIMIT stops as soon as the page
 * is full, so a broad query whose title matches fill the page never ranks the rest. The rows
 * come back in page order.
 */
export function searchServicesSql(
  terms: SearchTerms | null,
  filter: CatalogueFilter,
  limit: number,
  after?: CatalogueCursor,
): SqlQuery {
  const values: unknown[] = [];
  const { filters, tiers } = whereClause(terms, filter, values);
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const n = p(limit + 1);
  const branch = (tier: number, condition: string | null) => {
    const conditions = [filters];
    if (condition) conditions.push(condition);
    if (after && after.tier === tier) {
      const [pop, c] = [p(after.popularity), p(after.code)];
      conditions.push(`(s.popularity < ${pop} OR (s.popularity = ${pop} AND s.code > ${c}))`);
    }
    return `(SELECT ${LIST_COLUMNS}, ${tier} AS tier
        FROM service_edition e
        JOIN service s ON s.id = e.service_id
        JOIN agency a ON a.id = s.agency_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY s.popularity DESC, s.code
        LIMIT ${n})`;
  };
  const branches = tiers
    ? ([3, 2, 1] as const).filter((t) => !after || t <= after.tier).map((t) => branch(t, tiers[t]))
    : !after || after.tier >= 0
      ? [branch(0, null)]
      : [];
  // A cursor past the last tier (only a hand-made one): an empty page.
  if (!branches.length)
    return {
      text: `SELECT ${LIST_COLUMNS}, 0 AS tier FROM service_edition e JOIN service s ON s.id = e.service_id JOIN agency a ON a.id = s.agency_id WHERE false`,
      values: [],
    };
  return {
    text:
      branches.length === 1
        ? branches[0]
        : `${branches.join('\n      UNION ALL ')}\n      LIMIT ${n}`,
    values,
  };
}

/** word_similarity from which a title counts as close to a query with a typo. */
export const TYPO_SIMILARITY = 0.4;

/**
 * Typo tolerance: titles whose words are close to the query (trigrams), when nothing matched.
 * `<%` reads its threshold from pg_trgm.word_similarity_threshold, which the caller sets to
 * TYPO_SIMILARITY for the statement (SET LOCAL); unlike word_similarity(…) >= x, the operator
 * is served by the trigram GIN index instead of comparing every title.
 */
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
      WHERE ${where} AND ${q} <% e.search_title
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

// The public catalogue's SQL, as plain functions of their parameters. The repository runs
// them; the benchmark's raw baseline runs exactly the same text and values.
import { statementName } from '../../../platform/database/sql-reader.js';
import type { SearchTerms } from '../domain/search-query.js';

export interface SqlQuery {
  /** A prepared statement's name (pg prepares it once per connection), for the hot queries. */
  name?: string;
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

/**
 * A statement name derived from the text: the pg driver prepares it once per connection and
 * PostgreSQL reuses its plan, so a hot query is not planned again on every request (planning
 * the tiered search cost about as much as running it). Same text, same name; the number of
 * distinct texts is bounded (languages × filters × cursor tier).
 */
function prepared(text: string, values: unknown[]): SqlQuery {
  return { name: statementName('catalogue', text), text, values };
}

/** A fixed statement's name computed once. */
function preparedOnce(text: string) {
  const name = statementName('catalogue', text);
  return (...values: unknown[]): SqlQuery => ({ name, text, values });
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
const PUBLISHED_SERVICE = preparedOnce(`SELECT ${DETAIL_COLUMNS}
      FROM service s
      JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
      JOIN agency a ON a.id = s.agency_id
      ${FIGURES_JOIN}
      WHERE s.code = $1`);

export function publishedServiceSql(code: string): SqlQuery {
  return PUBLISHED_SERVICE(code);
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

/**
 * Conditions on `service_search x` (one row per published service, see the RegistryServiceSearch
 * migration): the filters, and the text match and its tiers when there is a query.
 */
function whereClause(terms: SearchTerms | null, filter: CatalogueFilter, values: unknown[]) {
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const filters: string[] = [];
  let match: string | null = null;
  let tiers: TierConditions | null = null;
  if (terms && (terms.arabic || terms.english)) {
    const queries: [string, string][] = [];
    if (terms.arabic) queries.push(['ar', `to_tsquery('arabic', ${p(terms.arabic)})`]);
    if (terms.english) queries.push(['en', `to_tsquery('english', ${p(terms.english)})`]);
    // Every word (or one of its synonyms) in that part of the text, in either language.
    const matchIn = (part: string) =>
      `(${queries.map(([lang, q]) => `x.${part}_${lang} @@ ${q}`).join(' OR ')})`;
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
  if (filter.agency)
    filters.push(`x.agency_id = (SELECT id FROM agency WHERE code = ${p(filter.agency)})`);
  if (filter.audience) filters.push(`${p(filter.audience)} = ANY(x.audience)`);
  if (filter.channel) filters.push(`${p(filter.channel)} = ANY(x.channel_types)`);
  if (filter.lifeEvent) filters.push(`${p(filter.lifeEvent)} = ANY(x.life_events)`);
  if (filter.free !== undefined) filters.push(`x.is_free = ${p(filter.free)}`);
  if (filter.onlineOnly) filters.push('x.online_only');
  const and = (conditions: string[]) => (conditions.length ? conditions.join(' AND ') : 'true');
  return {
    /** The filters, and the text match if there is a query. */
    where: and([...filters, ...(match ? [match] : [])]),
    filters,
    tiers,
  };
}

/** How list items are written: their language, and the page URL prefix of a service. */
export interface ListItemView {
  lang: 'ar' | 'en';
  /** `${publicUrl}/v1/services/`: an item's url is this followed by its code. */
  pageUrlPrefix: string;
}

/**
 * The columns of a list row: the service's code and popularity from `s` (the sort key, for
 * the cursor) and the item itself as JSON text, built by PostgreSQL from edition `e` and
 * agency `a` in the view's language (`$lang`, `$prefix` are its parameters). The service
 * embeds the text as it is: no array and date parsing in the driver, no mapping and no
 * re-serialising of 20 items per search.
 */
const listColumns = (s: string, lang: string, prefix: string) => {
  const pick = (ar: string, en: string) => `CASE WHEN ${lang} = 'en' THEN ${en} ELSE ${ar} END`;
  return `${s}.code, ${s}.popularity, (SELECT row_to_json(item)::text FROM (SELECT ${s}.code,
        ${pick('e.title_ar', 'e.title_en')} AS title,
        ${pick('e.description_ar', 'e.description_en')} AS description,
        (SELECT row_to_json(ag) FROM (SELECT a.code, ${pick('a.name_ar', 'a.name_en')} AS name) ag) AS agency,
        e.audience, e.channel_types AS channels, e.life_events AS "lifeEvents", e.is_free AS free,
        e.online_only AS "onlineOnly", e.edition_number AS version,
        to_char(e.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "publishedAt",
        ${prefix} || ${s}.code AS url) item) AS item_json`;
};

/**
 * One page of published services: full-text match, title matches first (tier 3), then
 * description matches (2), then other matches (1), each by popularity then code; filters;
 * keyset pagination on (tier, popularity, code). Asks for limit + 1 rows to know whether there
 * is a next page.
 *
 * Matching, filtering and ordering read only `service_search` (narrow rows, one per published
 * service). Each tier is its own branch of a UNION ALL, read from its own GIN index (title,
 * description, whole text) and limited; branches run in order and the LIMIT stops as soon as
 * the page is full, so a broad query whose title matches fill the page never ranks the rest.
 * Only the page's rows are then joined to their edition and agency for display.
 */
export function searchServicesSql(
  terms: SearchTerms | null,
  filter: CatalogueFilter,
  limit: number,
  view: ListItemView,
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
    const conditions = [...filters];
    if (condition) conditions.push(condition);
    if (after && after.tier === tier) {
      const [pop, c] = [p(after.popularity), p(after.code)];
      conditions.push(`(x.popularity < ${pop} OR (x.popularity = ${pop} AND x.code > ${c}))`);
    }
    return `(SELECT x.edition_id, x.agency_id, x.code, x.popularity, ${tier} AS tier
        FROM service_search x
        WHERE ${conditions.length ? conditions.join(' AND ') : 'true'}
        ORDER BY x.popularity DESC, x.code
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
      text: `SELECT ${listColumns('s', "'ar'", "''")}, 0 AS tier FROM service_edition e JOIN service s ON s.id = e.service_id JOIN agency a ON a.id = s.agency_id WHERE false`,
      values: [],
    };
  const [lang, prefix] = [p(view.lang), p(view.pageUrlPrefix)];
  return prepared(
    `WITH h AS MATERIALIZED (
        ${branches.length === 1 ? branches[0] : `${branches.join('\n        UNION ALL ')}\n        LIMIT ${n}`}
      )
      SELECT ${listColumns('h', lang, prefix)}, h.tier
      FROM h
      JOIN service_edition e ON e.id = h.edition_id
      JOIN agency a ON a.id = h.agency_id
      ORDER BY h.tier DESC, h.popularity DESC, h.code`,
    values,
  );
}

/** word_similarity from which a title counts as close to a query with a typo. */
export const TYPO_SIMILARITY = 0.4;

/**
 * Typo tolerance: titles whose words are close to the query (trigrams), when nothing matched.
 * `<%` reads its threshold from pg_trgm.word_similarity_threshold, which the caller sets to
 * TYPO_SIMILARITY for the statement (SET LOCAL); unlike word_similarity(…) >= x, the operator
 * is served by the trigram GIN index instead of comparing every title.
 */
export function similarTitlesSql(
  text: string,
  filter: CatalogueFilter,
  limit: number,
  view: ListItemView,
): SqlQuery {
  const values: unknown[] = [];
  const { where } = whereClause(null, filter, values);
  values.push(view.lang, view.pageUrlPrefix, text, limit);
  const q = `$${values.length - 1}`;
  const [lang, prefix] = [`$${values.length - 3}`, `$${values.length - 2}`];
  return {
    text: `SELECT ${listColumns('x', lang, prefix)}, 0 AS tier
      FROM service_search x
      JOIN service_edition e ON e.id = x.edition_id
      JOIN agency a ON a.id = x.agency_id
      WHERE e.status = 'published' AND ${where} AND ${q} <% e.search_title
      ORDER BY word_similarity(${q}, e.search_title) DESC, x.popularity DESC, x.code
      LIMIT $${values.length}`,
    values,
  };
}

/** Counts per facet value over everything the query and filters match (one pass over the hits). */
export function facetsSql(terms: SearchTerms | null, filter: CatalogueFilter): SqlQuery {
  const values: unknown[] = [];
  const { where } = whereClause(terms, filter, values);
  return prepared(
    `WITH hits AS (
        SELECT a.code AS agency_code, x.audience, x.channel_types, x.life_events, x.is_free, x.online_only
        FROM service_search x
        JOIN agency a ON a.id = x.agency_id
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
  );
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SqlReader } from '../../../platform/database/sql-reader.js';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import type { EditionContent } from '../domain/edition-content.js';
import type { SearchTerms } from '../domain/search-query.js';
import {
  type CatalogueCursor,
  type CatalogueFilter,
  facetsSql,
  type ListItemView,
  publishedServiceSql,
  searchServicesSql,
  serviceVersionSql,
  similarTitlesSql,
  TYPO_SIMILARITY,
  type SqlQuery,
} from './catalogue-sql.js';

export interface PublishedRow {
  code: string;
  edition_id: string;
  version: number;
  published_at: Date;
  change_note: string | null;
  status: string;
  content: EditionContent;
  agency_code: string;
  agency_name_ar: string;
  agency_name_en: string;
  agency_website: string | null;
}

/** A service page's row: content and figures as JSON text (see catalogue-sql.ts). */
export interface ServicePageRow extends Omit<PublishedRow, 'content'> {
  content_json: string;
  /** The yearly payment figures, a JSON array; null when the service has none. */
  figures_json: string | null;
  figures_tag: string;
}

/** A search hit: its sort key (for the cursor) and the list item as JSON text. */
export interface ListRow {
  code: string;
  popularity: number;
  tier: number;
  item_json: string;
}

export interface FacetRow {
  facet: string;
  value: string;
  count: number;
}

export interface ChangeRow {
  code: string;
  version: number;
  event: 'published' | 'archived';
  at: Date;
  change_note: string | null;
  title_ar: string;
  title_en: string;
  agency_code: string;
}

/** The public, read-only side of the registry: explicit SQL returning plain rows. */
@Injectable()
export class CatalogueRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlReader,
  ) {}

  /**
   * The public hot paths: one statement each, outside any transaction, on the pg pool (the
   * query object as built: its name makes pg prepare it once per connection).
   */
  private run<T>(q: SqlQuery): Promise<T[]> {
    return this.sql.rows<T>(q);
  }

  async findPublished(code: string): Promise<ServicePageRow | null> {
    return (await this.run<ServicePageRow>(publishedServiceSql(code)))[0] ?? null;
  }

  async findVersion(code: string, version: number): Promise<ServicePageRow | null> {
    return (await this.run<ServicePageRow>(serviceVersionSql(code, version)))[0] ?? null;
  }

  search(
    terms: SearchTerms | null,
    filter: CatalogueFilter,
    limit: number,
    view: ListItemView,
    after?: CatalogueCursor,
  ): Promise<ListRow[]> {
    return this.run<ListRow>(searchServicesSql(terms, filter, limit, view, after));
  }

  similarTitles(
    text: string,
    filter: CatalogueFilter,
    limit: number,
    view: ListItemView,
  ): Promise<ListRow[]> {
    const q = similarTitlesSql(text, filter, limit, view);
    // The threshold of `<%` for this statement only (the rare path: nothing matched).
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${TYPO_SIMILARITY}`);
      return m.query<ListRow[]>(q.text, q.values);
    });
  }

  facets(terms: SearchTerms | null, filter: CatalogueFilter): Promise<FacetRow[]> {
    return this.run<FacetRow>(facetsSql(terms, filter));
  }

  versions(code: string) {
    return this.dataSource.query<
      {
        version: number;
        status: string;
        published_at: Date;
        superseded_at: Date | null;
        archived_at: Date | null;
        change_note: string | null;
      }[]
    >(
      `SELECT e.edition_number AS version, e.status, e.published_at, e.superseded_at, e.archived_at, e.change_note
       FROM service s JOIN service_edition e ON e.service_id = s.id
       WHERE s.code = $1 AND e.published_at IS NOT NULL ORDER BY e.edition_number DESC`,
      [code],
    );
  }

  /** Publications and withdrawals after `since`, oldest first. */
  changes(since: Date, limit: number): Promise<ChangeRow[]> {
    return this.dataSource.query<ChangeRow[]>(
      `SELECT * FROM (
         SELECT s.code, e.edition_number AS version, 'published' AS event, e.published_at AS at,
           e.change_note, e.title_ar, e.title_en, a.code AS agency_code
         FROM service_edition e JOIN service s ON s.id = e.service_id JOIN agency a ON a.id = s.agency_id
         WHERE e.published_at > $1
         UNION ALL
         SELECT s.code, e.edition_number, 'archived', e.archived_at, e.change_note, e.title_ar, e.title_en, a.code
         FROM service_edition e JOIN service s ON s.id = e.service_id JOIN agency a ON a.id = s.agency_id
         WHERE e.archived_at > $1
       ) c ORDER BY at, code, version LIMIT $2`,
      [since, limit],
    );
  }

  async lifeEventCounts(): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ v: string; n: number }[]>(
      `SELECT v, count(*)::int AS n FROM service_edition e, unnest(e.life_events) v
       WHERE e.status = 'published' GROUP BY v`,
    );
    return new Map(rows.map((r) => [r.v, r.n]));
  }

  /** Every published service, for the open-data export. */
  allPublished(): Promise<PublishedRow[]> {
    return this.dataSource.query<PublishedRow[]>(
      `SELECT s.code, e.id AS edition_id, e.edition_number AS version, e.published_at, e.change_note,
         e.status, e.content, a.code AS agency_code, a.name_ar AS agency_name_ar,
         a.name_en AS agency_name_en, a.website AS agency_website
       FROM service s JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
       JOIN agency a ON a.id = s.agency_id ORDER BY s.code`,
    );
  }

  async publishedByCode(code: string): Promise<{
    code: string;
    agency_id: string;
    agency_code: string;
    title_ar: string;
    title_en: string;
  } | null> {
    const rows = await this.dataSource.query<
      { code: string; agency_id: string; agency_code: string; title_ar: string; title_en: string }[]
    >(
      `SELECT s.code, s.agency_id, a.code AS agency_code, e.title_ar, e.title_en
       FROM service s JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
       JOIN agency a ON a.id = s.agency_id WHERE s.code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  /** Every published service's code with its agency's code, in one query. */
  async publishedCodesWithAgency(): Promise<{ code: string; agency_code: string }[]> {
    return this.dataSource.query<{ code: string; agency_code: string }[]>(
      `SELECT s.code, a.code AS agency_code FROM service s
         JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
         JOIN agency a ON a.id = s.agency_id`,
    );
  }

  async publishedCodes(): Promise<string[]> {
    const rows = await this.dataSource.query<{ code: string }[]>(
      `SELECT s.code FROM service s JOIN service_edition e ON e.service_id = s.id AND e.status = 'published' ORDER BY s.code`,
    );
    return rows.map((r) => r.code);
  }

  /** Published services with an online channel whose first publication fell in the Bahrain year. */
  async countOnlineFirstPublishedIn(year: number): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM service s JOIN service_edition e ON e.service_id = s.id AND e.status = 'published'
       WHERE e.has_online_channel AND s.first_published_at IS NOT NULL
         AND extract(year FROM s.first_published_at AT TIME ZONE 'Asia/Bahrain') = $1`,
      [year],
    );
    return row?.n ?? 0;
  }

  async synonyms(): Promise<Map<string, string[]>> {
    const rows = await this.dataSource.query<{ term: string; alternatives: string[] }[]>(
      'SELECT term, alternatives FROM search_synonym',
    );
    return new Map(rows.map((r) => [r.term, r.alternatives]));
  }

  async synonymId(term: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM search_synonym WHERE term = $1',
      [term],
    );
    return rows[0]?.id ?? null;
  }

  async upsertSynonym(tx: Tx, term: string, alternatives: string[]): Promise<void> {
    await tx.manager.query(
      `INSERT INTO search_synonym (term, alternatives) VALUES ($1, $2)
       ON CONFLICT (term) DO UPDATE SET alternatives = EXCLUDED.alternatives`,
      [term, alternatives],
    );
  }
}

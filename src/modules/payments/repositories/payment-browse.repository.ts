import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A reported transaction as the back office lists it (amounts as digit strings). */
export interface BrowsedTransaction {
  agencyCode: string;
  externalRef: string;
  occurredAt: Date;
  occurredAtText: string;
  serviceCode: string;
  channel: string;
  kind: string;
  status: string;
  amountFils: string;
  feeFils: string;
  originalRef: string | null;
  source: string;
  receivedAt: Date;
}

/** Equality conditions on rollup dimensions; every one is optional. */
export interface DimensionFilter {
  agencyCode?: string;
  serviceCode?: string;
  channel?: string;
  kind?: string;
  status?: string;
}

const DIMENSIONS = [
  ['agencyCode', 'agency_code'],
  ['serviceCode', 'service_code'],
  ['channel', 'channel'],
  ['kind', 'kind'],
  ['status', 'status'],
] as const;

/** One reference row by the primary key (agency, reference). */
const REFS_OF_ONE_AGENCY = `SELECT agency_code, occurred_at FROM payment_transaction_ref
  WHERE external_ref = $1 AND agency_code = $2`;

/**
 * A reference without an agency: the primary key leads with the agency, so a plain
 * `WHERE external_ref = $1` reads the whole table (~0.35 s at 10 M references). Instead the
 * key's distinct agencies are walked one index probe at a time (a "skip scan", which
 * PostgreSQL 15 does not do by itself), and each agency is probed for the reference: two
 * index look-ups per agency, a few dozen in all.
 */
const REFS_OF_EVERY_AGENCY = `WITH RECURSIVE agency AS (
    (SELECT agency_code FROM payment_transaction_ref ORDER BY agency_code LIMIT 1)
    UNION ALL
    SELECT (SELECT r.agency_code FROM payment_transaction_ref r
            WHERE r.agency_code > agency.agency_code ORDER BY r.agency_code LIMIT 1)
    FROM agency WHERE agency.agency_code IS NOT NULL
  )
  SELECT r.agency_code, r.occurred_at FROM agency
  JOIN payment_transaction_ref r ON r.agency_code = agency.agency_code AND r.external_ref = $1`;

/** The listed columns, named as `BrowsedTransaction`'s fields (amounts as text). */
const COLUMNS = `agency_code AS "agencyCode", external_ref AS "externalRef", occurred_at AS "occurredAt",
   occurred_at_text AS "occurredAtText", service_code AS "serviceCode", channel, kind, status,
   amount_fils::text AS "amountFils", fee_fils::text AS "feeFils", original_ref AS "originalRef",
   source, received_at AS "receivedAt"`;

/**
 * Reads for browsing the facts page by page without a b-tree on them (they carry only the
 * BRIN index on time): counts come from the rollups, which hold every fact by month and day
 * and by the same dimensions a filter names; a page is read from one month's partition at a
 * time; one transaction is found through its reference's row, which knows its time.
 */
@Injectable()
export class PaymentBrowseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Facts per Bahrain month (`YYYY-MM-01`) matching the filter, from the rollups, ascending.
   * With days (inclusive Bahrain days) only those days count.
   */
  async monthCounts(
    filter: DimensionFilter,
    days?: { from: string; to: string },
  ): Promise<Array<{ month: string; count: number }>> {
    const params: unknown[] = [];
    const where = ["source = 'facts'", ...this.conditions(filter, params)];
    let sql: string;
    if (days) {
      where.push(`day BETWEEN $${params.push(days.from)}::date AND $${params.push(days.to)}::date`);
      sql = `SELECT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS month, sum(tx_count)::bigint AS n
             FROM payment_rollup_day WHERE ${where.join(' AND ')} GROUP BY 1`;
    } else {
      sql = `SELECT to_char(month, 'YYYY-MM-DD') AS month, sum(tx_count)::bigint AS n
             FROM payment_rollup_month WHERE ${where.join(' AND ')} GROUP BY 1`;
    }
    const rows = await this.dataSource.query<Array<{ month: string; n: string }>>(
      `${sql} HAVING sum(tx_count) > 0 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ month: r.month, count: Number(r.n) }));
  }

  /**
   * One slice of the facts in [from, to) matching the filter, ordered by time (then agency
   * and reference, so pages never overlap). Meant for one month: partition pruning keeps the
   * scan to it.
   */
  async slice(
    filter: DimensionFilter,
    from: Date,
    to: Date,
    order: 'ASC' | 'DESC',
    limit: number,
    offset: number,
  ): Promise<BrowsedTransaction[]> {
    const params: unknown[] = [from, to];
    const where = ['occurred_at >= $1', 'occurred_at < $2', ...this.conditions(filter, params)];
    return this.dataSource.query<BrowsedTransaction[]>(
      `SELECT ${COLUMNS} FROM payment_transaction WHERE ${where.join(' AND ')}
       ORDER BY occurred_at ${order}, agency_code ${order}, external_ref ${order}
       LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
      params,
    );
  }

  /**
   * The facts with this reference (one per agency at most). Their times come first from the
   * reference rows (with an agency, by the reference table's primary key), then the facts are
   * read with those times as values, so the planner keeps only their partitions: joined in
   * one statement, the time is known only while it runs, and opening all ~100 partitions to
   * prune them then cost ~125 ms a look-up at 10 M facts.
   */
  async byReference(
    externalRef: string,
    filter: DimensionFilter,
    range: { from?: Date; to?: Date } = {},
  ): Promise<BrowsedTransaction[]> {
    const refs = await this.dataSource.query<Array<{ agency_code: string; occurred_at: Date }>>(
      filter.agencyCode === undefined ? REFS_OF_EVERY_AGENCY : REFS_OF_ONE_AGENCY,
      filter.agencyCode === undefined ? [externalRef] : [externalRef, filter.agencyCode],
    );
    if (!refs.length) return [];
    const params: unknown[] = [
      externalRef,
      refs.map((r) => r.agency_code),
      refs.map((r) => r.occurred_at),
    ];
    const where = [
      'external_ref = $1',
      'agency_code = ANY($2::text[])',
      'occurred_at = ANY($3::timestamptz[])',
      ...this.conditions(filter, params),
    ];
    if (range.from) where.push(`occurred_at >= $${params.push(range.from)}`);
    if (range.to) where.push(`occurred_at < $${params.push(range.to)}`);
    const rows = await this.dataSource.query<BrowsedTransaction[]>(
      `SELECT ${COLUMNS} FROM payment_transaction WHERE ${where.join(' AND ')} ORDER BY agency_code`,
      params,
    );
    // An agency's fact has its own reference row's time (another agency's time may match too).
    const timeOf = new Map(refs.map((r) => [r.agency_code, r.occurred_at.getTime()]));
    return rows.filter((t) => timeOf.get(t.agencyCode) === t.occurredAt.getTime());
  }

  private conditions(filter: DimensionFilter, params: unknown[]): string[] {
    return DIMENSIONS.filter(([key]) => filter[key] !== undefined).map(
      ([key, column]) => `${column} = $${params.push(filter[key])}`,
    );
  }
}

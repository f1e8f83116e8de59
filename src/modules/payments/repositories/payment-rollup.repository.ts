import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../../platform/config/config.js';
import { DATABASE_CONFIG } from '../../../platform/config/config.tokens.js';
import { readRows, statementName } from '../../../platform/database/sql-reader.js';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import type { PaymentChannel, TransactionKind, TransactionStatus } from '../domain/channels.js';
import { BAHRAIN_DAY_SQL } from './payment-facts.repository.js';

export type RollupDimension = 'channel' | 'service' | 'agency' | 'kind' | 'none';

/** A rollup sum over a range, per dimension value, channel and kind (succeeded only). */
export interface RollupSum {
  key: string;
  channel: PaymentChannel;
  kind: TransactionKind;
  count: bigint;
  amountFils: bigint;
  feeFils: bigint;
}

export interface RollupFilter {
  from: string;
  to: string;
  agencyCode?: string;
  serviceCode?: string;
  status?: TransactionStatus;
}

export interface RollupRow {
  day: string;
  serviceCode: string;
  agencyCode: string;
  channel: string;
  kind: string;
  status: string;
  count: bigint;
  amountFils: bigint;
  feeFils: bigint;
}

const DIM_COLUMN: Record<RollupDimension, string> = {
  channel: "''",
  service: 'service_code',
  agency: 'agency_code',
  kind: "''",
  none: "''",
};

const DAY_MS = 86_400_000;
const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const firstOfMonth = (d: string) => `${d.slice(0, 7)}-01`;
const lastOfMonth = (d: string) =>
  dayOf(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0) / DAY_MS);

/** Full calendar months inside [from, to], and the leftover days at either end. */
export function splitMonths(
  from: string,
  to: string,
): { months: [string, string] | null; days: [string, string][] } {
  const mStart = from === firstOfMonth(from) ? from : dayOf(dayNo(lastOfMonth(from)) + 1);
  const mEndMonthLast = to === lastOfMonth(to) ? to : dayOf(dayNo(firstOfMonth(to)) - 1);
  if (mStart > mEndMonthLast) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < mStart) days.push([from, dayOf(dayNo(mStart) - 1)]);
  if (mEndMonthLast < to) days.push([dayOf(dayNo(mEndMonthLast) + 1), to]);
  return { months: [mStart, firstOfMonth(mEndMonthLast)], days };
}

/** One range read from a rollup table, added (sign 1) or subtracted (sign -1). */
export interface RollupPart {
  table: 'month' | 'day';
  /** Months: first day of the first and of the last month. Days: first and last day. */
  from: string;
  to: string;
  sign: 1 | -1;
}

/**
 * A month's rollup rows cost about as much to read as this many days' rows (a month holds a
 * row for every key seen in any of its days, a day only the keys of that day).
 */
const MONTH_COST_IN_DAYS = 3;

/**
 * The rollup ranges whose signed sum is exactly [from, to]: whole months from the monthly
 * rollups, and each partial month at either end either as its days or, when that reads fewer
 * rows, as the whole month minus the days outside the range (month rows are the sums of their
 * days, in the same transaction, so the difference is exact).
 */
export function rollupParts(from: string, to: string): RollupPart[] {
  const { months, days } = splitMonths(from, to);
  const plusMonths: [string, string][] = months ? [months] : [];
  const parts: RollupPart[] = [];
  // Leftover days month by month (a range with no whole month can span two months).
  const partials = days.flatMap(([a, b]): [string, string][] =>
    lastOfMonth(a) < b
      ? [
          [a, lastOfMonth(a)],
          [firstOfMonth(b), b],
        ]
      : [[a, b]],
  );
  for (const [a, b] of partials) {
    const monthFirst = firstOfMonth(a);
    const monthLast = lastOfMonth(a);
    const inRange = dayNo(b) - dayNo(a) + 1;
    const outside = dayNo(monthLast) - dayNo(monthFirst) + 1 - inRange;
    if (outside + MONTH_COST_IN_DAYS < inRange) {
      plusMonths.push([monthFirst, monthFirst]);
      if (a > monthFirst)
        parts.push({ table: 'day', from: monthFirst, to: dayOf(dayNo(a) - 1), sign: -1 });
      if (b < monthLast)
        parts.push({ table: 'day', from: dayOf(dayNo(b) + 1), to: monthLast, sign: -1 });
    } else parts.push({ table: 'day', from: a, to: b, sign: 1 });
  }
  // Adjacent month ranges become one range (one index scan).
  plusMonths.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const merged: [string, string][] = [];
  for (const [a, b] of plusMonths) {
    const last = merged[merged.length - 1];
    if (last && firstOfMonth(dayOf(dayNo(lastOfMonth(last[1])) + 1)) === a) last[1] = b;
    else merged.push([a, b]);
  }
  return [
    ...merged.map(([a, b]): RollupPart => ({ table: 'month', from: a, to: b, sign: 1 })),
    ...parts,
  ];
}

const STATS_KINDS = ['payment', 'refund', 'reversal'] as const;

/**
 * Reads statistics from the rollups only, never the fact table. Questions without a service
 * (no service filter, not grouped by service) read `payment_stats_month` / `payment_stats_day`:
 * succeeded figures per agency and channel, the kinds in columns, ~80 rows a month or a day.
 * The others read `payment_rollup_month` / `payment_rollup_day`. Several ranges (a period and
 * the previous one) are answered by one statement: one round trip, one snapshot, never a
 * parallel plan (the rollup tables have `parallel_workers = 0`: starting workers costs more
 * than these reads).
 */
@Injectable()
export class PaymentRollupRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly db: DatabaseConfig,
  ) {}

  /**
   * A statistics read as a named prepared statement: each connection parses and plans a
   * statement shape once (its text depends only on the parts and filters present; the days
   * and codes are parameters) instead of on every request. The embedded database is one
   * session shared by successive connections, where a name could already exist: it gets
   * unnamed statements.
   */
  private read<T>(text: string, values: unknown[]): Promise<T[]> {
    // On the pg pool without a query runner; the embedded database gets it unnamed.
    return readRows<T>(
      this.dataSource,
      { name: statementName('payment_stats', text), text, values },
      this.db.embedded,
    );
  }

  async sumSucceeded(filter: RollupFilter, dim: RollupDimension): Promise<RollupSum[]> {
    return (await this.sumSucceededMany([filter], dim))[0];
  }

  /** `sumSucceeded` of each filter, in one statement. */
  async sumSucceededMany(filters: RollupFilter[], dim: RollupDimension): Promise<RollupSum[][]> {
    const narrow = dim !== 'service' && filters.every((f) => f.serviceCode === undefined);
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const col = DIM_COLUMN[dim];
    const selects: string[] = [];
    filters.forEach((filter, i) => {
      const where: string[] = [];
      if (!narrow) where.push(`status = 'succeeded'`);
      if (filter.agencyCode !== undefined)
        where.push(`agency_code = ${param(filter.agencyCode)}::varchar`);
      if (filter.serviceCode !== undefined)
        where.push(`service_code = ${param(filter.serviceCode)}::varchar`);
      for (const part of rollupParts(filter.from, filter.to)) {
        const [table, period] = narrow
          ? part.table === 'month'
            ? ['payment_stats_month', 'month']
            : ['payment_stats_day', 'day']
          : part.table === 'month'
            ? ['payment_rollup_month', 'month']
            : ['payment_rollup_day', 'day'];
        const values = narrow
          ? STATS_KINDS.flatMap((k) => [`${k}_count`, `${k}_fils`, `${k}_fee_fils`])
          : ['tx_count', 'amount_fils', 'fee_fils'];
        selects.push(
          `SELECT ${i} AS p, ${col} AS key, channel, ${narrow ? '' : 'kind, '}${values
            .map((v) => (part.sign === 1 ? v : `-${v} AS ${v}`))
            .join(', ')}
           FROM ${table} WHERE ${[
             `${period} BETWEEN ${param(part.from)}::date AND ${param(part.to)}::date`,
             ...where,
           ].join(' AND ')}`,
        );
      }
    });
    const out: RollupSum[][] = filters.map(() => []);
    if (narrow) {
      const sums = STATS_KINDS.flatMap((k) =>
        ['count', 'fils', 'fee_fils'].map((v) => `sum(${k}_${v})::text AS ${k}_${v}`),
      );
      const rows = await this.read<Record<string, string | number>>(
        `SELECT p, key, channel, ${sums.join(', ')} FROM (${selects.join(' UNION ALL ')}) u GROUP BY p, key, channel`,
        params,
      );
      for (const r of rows)
        for (const kind of STATS_KINDS) {
          const count = BigInt(r[`${kind}_count`]);
          const amountFils = BigInt(r[`${kind}_fils`]);
          const feeFils = BigInt(r[`${kind}_fee_fils`]);
          // A kind without anything in this range (or netted to nothing) is no row, as before.
          if (count === 0n && amountFils === 0n && feeFils === 0n) continue;
          out[Number(r.p)].push({
            key: String(r.key),
            channel: r.channel as PaymentChannel,
            kind,
            count,
            amountFils,
            feeFils,
          });
        }
      return out;
    }
    const rows = await this.read<{
      p: number;
      key: string;
      channel: string;
      kind: string;
      n: string;
      amount: string;
      fee: string;
    }>(
      `SELECT p, key, channel, kind, sum(tx_count)::text AS n, sum(amount_fils)::text AS amount, sum(fee_fils)::text AS fee
       FROM (${selects.join(' UNION ALL ')}) u GROUP BY p, key, channel, kind
       HAVING sum(tx_count) <> 0 OR sum(amount_fils) <> 0 OR sum(fee_fils) <> 0`,
      params,
    );
    for (const r of rows)
      out[Number(r.p)].push({
        key: r.key,
        channel: r.channel as PaymentChannel,
        kind: r.kind as TransactionKind,
        count: BigInt(r.n),
        amountFils: BigInt(r.amount),
        feeFils: BigInt(r.fee),
      });
    return out;
  }

  /** Stored daily rollups (source 'facts') of a range, every status. */
  async dayRows(tx: Tx, from: string, to: string): Promise<RollupRow[]> {
    const rows = await tx.manager.query<Record<string, string>[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, service_code, agency_code, channel, kind, status,
              tx_count::text AS n, amount_fils::text AS amount, fee_fils::text AS fee
       FROM payment_rollup_day WHERE source = 'facts' AND day BETWEEN $1::date AND $2::date`,
      [from, to],
    );
    return rows.map(toRow);
  }

  /** The same rollups recomputed from the facts (a GROUP BY over the raw rows). */
  async recomputeFromFacts(tx: Tx, from: Date, to: Date): Promise<RollupRow[]> {
    const rows = await tx.manager.query<Record<string, string>[]>(
      `SELECT to_char(${BAHRAIN_DAY_SQL('occurred_at')}, 'YYYY-MM-DD') AS day, service_code, agency_code, channel, kind, status,
              count(*)::text AS n, sum(amount_fils)::text AS amount, sum(fee_fils)::text AS fee
       FROM payment_transaction WHERE occurred_at >= $1 AND occurred_at < $2
       GROUP BY 1, 2, 3, 4, 5, 6`,
      [from, to],
    );
    return rows.map(toRow);
  }

  /** Months whose monthly rollup differs from the sum of its daily rollups. */
  async monthMismatches(tx: Tx, from: string, to: string): Promise<RollupRow[]> {
    const rows = await tx.manager.query<Record<string, string>[]>(
      `WITH d AS (
         SELECT date_trunc('month', day)::date AS month, service_code, agency_code, channel, kind, status, source,
                sum(tx_count) AS n, sum(amount_fils) AS amount, sum(fee_fils) AS fee
         FROM payment_rollup_day WHERE day BETWEEN date_trunc('month', $1::date) AND date_trunc('month', $2::date) + interval '1 month - 1 day'
         GROUP BY 1, 2, 3, 4, 5, 6, 7),
       m AS (SELECT * FROM payment_rollup_month WHERE month BETWEEN date_trunc('month', $1::date) AND $2::date)
       SELECT to_char(coalesce(d.month, m.month), 'YYYY-MM-DD') AS day, coalesce(d.service_code, m.service_code) AS service_code,
              coalesce(d.agency_code, m.agency_code) AS agency_code, coalesce(d.channel, m.channel) AS channel,
              coalesce(d.kind, m.kind) AS kind, coalesce(d.status, m.status) AS status,
              (coalesce(m.tx_count, 0) - coalesce(d.n, 0))::text AS n,
              (coalesce(m.amount_fils, 0) - coalesce(d.amount, 0))::text AS amount,
              (coalesce(m.fee_fils, 0) - coalesce(d.fee, 0))::text AS fee
       FROM d FULL JOIN m USING (month, service_code, agency_code, channel, kind, status, source)
       WHERE coalesce(m.tx_count, 0) <> coalesce(d.n, 0) OR coalesce(m.amount_fils, 0) <> coalesce(d.amount, 0)
          OR coalesce(m.fee_fils, 0) <> coalesce(d.fee, 0)`,
      [from, to],
    );
    return rows.map(toRow);
  }

  /** Replaces the daily rollups (source 'facts') of a range by what the facts say. */
  async rebuildDays(tx: Tx, from: string, to: string, start: Date, end: Date): Promise<void> {
    // Zero the range through UPDATE so the month trigger subtracts, then add the facts back.
    await tx.manager.query(
      `UPDATE payment_rollup_day SET tx_count = 0, amount_fils = 0, fee_fils = 0
       WHERE source = 'facts' AND day BETWEEN $1::date AND $2::date`,
      [from, to],
    );
    await tx.manager.query(
      `INSERT INTO payment_rollup_day AS r (day, service_code, agency_code, channel, kind, status, source, tx_count, amount_fils, fee_fils)
       SELECT ${BAHRAIN_DAY_SQL('occurred_at')}, service_code, agency_code, channel, kind, status, 'facts',
              count(*), sum(amount_fils)::bigint, sum(fee_fils)::bigint
       FROM payment_transaction WHERE occurred_at >= $1 AND occurred_at < $2
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
       ON CONFLICT (day, service_code, agency_code, channel, kind, status, source) DO UPDATE SET
         tx_count = r.tx_count + EXCLUDED.tx_count, amount_fils = r.amount_fils + EXCLUDED.amount_fils,
         fee_fils = r.fee_fils + EXCLUDED.fee_fils`,
      [start, end],
    );
  }

  /** Years of historic aggregates already loaded. */
  async historicTotal(tx: Tx, from: string, to: string): Promise<bigint> {
    const [r] = await tx.manager.query<{ n: string }[]>(
      `SELECT coalesce(sum(tx_count), 0)::text AS n FROM payment_rollup_day
       WHERE source = 'historic_aggregate' AND day BETWEEN $1::date AND $2::date`,
      [from, to],
    );
    return BigInt(r.n);
  }
}

function toRow(r: Record<string, string>): RollupRow {
  return {
    day: r.day,
    serviceCode: r.service_code,
    agencyCode: r.agency_code,
    channel: r.channel,
    kind: r.kind,
    status: r.status,
    count: BigInt(r.n),
    amountFils: BigInt(r.amount),
    feeFils: BigInt(r.fee),
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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

/** Full calendar months inside [from, to], and the leftover days at either end. */
export function splitMonths(
  from: string,
  to: string,
): { months: [string, string] | null; days: [string, string][] } {
  const firstOfMonth = (d: string) => `${d.slice(0, 7)}-01`;
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const lastOfMonth = (d: string) => {
    const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  };
  const mStart = from === firstOfMonth(from) ? from : addDays(lastOfMonth(from), 1);
  const mEndMonthLast = to === lastOfMonth(to) ? to : addDays(firstOfMonth(to), -1);
  if (mStart > mEndMonthLast) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < mStart) days.push([from, addDays(mStart, -1)]);
  if (mEndMonthLast < to) days.push([addDays(mEndMonthLast, 1), to]);
  return { months: [mStart, firstOfMonth(mEndMonthLast)], days };
}

/**
 * Reads statistics from the rollups only: whole months from `payment_rollup_month`, the
 * remaining days from `payment_rollup_day`. Never touches the fact table.
 */
@Injectable()
export class PaymentRollupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sumSucceeded(filter: RollupFilter, dim: RollupDimension): Promise<RollupSum[]> {
    const { months, days } = splitMonths(filter.from, filter.to);
    const parts: string[] = [];
    const params: unknown[] = [filter.agencyCode ?? null, filter.serviceCode ?? null];
    const where = `status = 'succeeded' AND ($1::varchar IS NULL OR agency_code = $1) AND ($2::varchar IS NULL OR service_code = $2)`;
    const col = DIM_COLUMN[dim];
    if (months) {
      params.push(months[0], months[1]);
      parts.push(
        `SELECT ${col} AS key, channel, kind, tx_count, amount_fils, fee_fils FROM payment_rollup_month
         WHERE month BETWEEN $${params.length - 1}::date AND $${params.length}::date AND ${where}`,
      );
    }
    for (const [f, t] of days) {
      params.push(f, t);
      parts.push(
        `SELECT ${col} AS key, channel, kind, tx_count, amount_fils, fee_fils FROM payment_rollup_day
         WHERE day BETWEEN $${params.length - 1}::date AND $${params.length}::date AND ${where}`,
      );
    }
    const rows = await this.dataSource.query<
      { key: string; channel: string; kind: string; n: string; amount: string; fee: string }[]
    >(
      `SELECT key, channel, kind, sum(tx_count)::text AS n, sum(amount_fils)::text AS amount, sum(fee_fils)::text AS fee
       FROM (${parts.join(' UNION ALL ')}) u GROUP BY key, channel, kind`,
      params,
    );
    return rows.map((r) => ({
      key: r.key,
      channel: r.channel as PaymentChannel,
      kind: r.kind as TransactionKind,
      count: BigInt(r.n),
      amountFils: BigInt(r.amount),
      feeFils: BigInt(r.fee),
    }));
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

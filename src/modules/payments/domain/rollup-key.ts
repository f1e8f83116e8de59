import type { PaymentChannel, TransactionKind, TransactionStatus } from './channels.js';
import { bahrainDay } from './periods.js';

/**
 * Daily rollups: one row per (Bahrain day, service, agency, channel, kind, status) holding
 * count, amount and fee. Ingest and status changes add deltas to those rows in the same
 * transaction as the raw rows, so statistics never scan the raw table. Keeping the rollup by
 * status (not only succeeded) lets a status change move a transaction between buckets.
 */
export interface RollupKey {
  day: string;
  serviceCode: string;
  agencyCode: string;
  channel: PaymentChannel;
  kind: TransactionKind;
  status: TransactionStatus;
}

export interface RollupDelta extends RollupKey {
  count: number;
  amountFils: bigint;
  feeFils: bigint;
}

/** What a rollup needs from a transaction (TransactionInput and the stored entity both fit). */
export interface RollupSource {
  occurredAt: Date;
  serviceCode: string;
  agencyCode: string;
  channel: PaymentChannel;
  kind: TransactionKind;
  status: TransactionStatus;
  amountFils: bigint;
  feeFils: bigint;
}

export function rollupKeyOf(tx: RollupSource): RollupKey {
  return {
    day: bahrainDay(tx.occurredAt),
    serviceCode: tx.serviceCode,
    agencyCode: tx.agencyCode,
    channel: tx.channel,
    kind: tx.kind,
    status: tx.status,
  };
}

/** A Map key. `|` cannot occur in any part (codes are validated), so keys never collide. */
export function rollupKeyString(k: RollupKey): string {
  return `${k.day}|${k.serviceCode}|${k.agencyCode}|${k.channel}|${k.kind}|${k.status}`;
}

function add(
  into: Map<string, RollupDelta>,
  key: RollupKey,
  count: number,
  amountFils: bigint,
  feeFils: bigint,
): void {
  const id = rollupKeyString(key);
  const d = into.get(id);
  if (d) {
    d.count += count;
    d.amountFils += amountFils;
    d.feeFils += feeFils;
  } else into.set(id, { ...key, count, amountFils, feeFils });
}

/**
 * Merged deltas sorted by key, zero deltas dropped. The fixed order makes concurrent upserts
 * lock rollup rows in the same order, so two batches cannot deadlock each other.
 */
export function settleRollupDeltas(deltas: Map<string, RollupDelta>): RollupDelta[] {
  return [...deltas.entries()]
    .filter(([, d]) => d.count !== 0 || d.amountFils !== 0n || d.feeFils !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** Deltas for newly inserted transactions (only those actually inserted, not replays). */
export function rollupDeltasForBatch(txs: Iterable<RollupSource>): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const tx of txs) add(deltas, rollupKeyOf(tx), 1, tx.amountFils, tx.feeFils);
  return settleRollupDeltas(deltas);
}

/** Moving a transaction to another status: −1 from its old bucket, +1 to the new one. */
export function rollupDeltasForStatusChange(
  tx: RollupSource,
  newStatus: TransactionStatus,
): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  add(deltas, rollupKeyOf(tx), -1, -tx.amountFils, -tx.feeFils);
  add(deltas, rollupKeyOf({ ...tx, status: newStatus }), 1, tx.amountFils, tx.feeFils);
  return settleRollupDeltas(deltas);
}

/** Folds deltas into totals the way the upserts do (reference model for tests and rebuilds). */
export function applyRollupDeltas(
  totals: Map<string, RollupDelta>,
  deltas: Iterable<RollupDelta>,
): Map<string, RollupDelta> {
  for (const d of deltas) add(totals, d, d.count, d.amountFils, d.feeFils);
  return totals;
}

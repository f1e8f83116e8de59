import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  PAYMENT_CHANNEL_CODES,
  TRANSACTION_KIND_CODES,
  canTransition,
  type TransactionStatus,
} from './channels.js';
import {
  applyRollupDeltas,
  rollupDeltasForBatch,
  rollupDeltasForStatusChange,
  settleRollupDeltas,
  type RollupDelta,
  type RollupSource,
} from './rollup-key.js';

const aTransaction = (over: Partial<RollupSource> = {}): RollupSource => ({
  occurredAt: new Date('2026-03-01T20:59:00Z'),
  serviceCode: 'NPRA-0001',
  agencyCode: 'NPRA',
  channel: 'web',
  kind: 'payment',
  status: 'succeeded',
  amountFils: 12_500n,
  feeFils: 300n,
  ...over,
});

describe('rollupDeltasForBatch', () => {
  it('buckets by Bahrain day and sums count, amount and fee', () => {
    const sut = rollupDeltasForBatch([
      aTransaction(),
      aTransaction({ amountFils: 1n, feeFils: 0n }),
      aTransaction({ occurredAt: new Date('2026-03-01T21:00:00Z') }),
    ]);
    expect(sut).toEqual([
      expect.objectContaining({ day: '2026-03-01', count: 2, amountFils: 12_501n, feeFils: 300n }),
      expect.objectContaining({ day: '2026-03-02', count: 1, amountFils: 12_500n, feeFils: 300n }),
    ]);
  });

  it('keeps kinds and statuses in separate buckets', () => {
    expect(
      rollupDeltasForBatch([
        aTransaction(),
        aTransaction({ kind: 'refund' }),
        aTransaction({ status: 'failed' }),
      ]),
    ).toHaveLength(3);
  });
});

describe('rollupDeltasForStatusChange', () => {
  it('moves one transaction from its old bucket to the new one', () => {
    expect(rollupDeltasForStatusChange(aTransaction({ status: 'pending' }), 'succeeded')).toEqual([
      expect.objectContaining({
        status: 'pending',
        count: -1,
        amountFils: -12_500n,
        feeFils: -300n,
      }),
      expect.objectContaining({
        status: 'succeeded',
        count: 1,
        amountFils: 12_500n,
        feeFils: 300n,
      }),
    ]);
  });

  it('gives nothing when the status does not change', () => {
    expect(rollupDeltasForStatusChange(aTransaction(), 'succeeded')).toEqual([]);
  });
});

describe('rollup deltas', () => {
  const tx = fc.record({
    occurredAt: fc.date({
      min: new Date('2026-01-01T00:00:00Z'),
      max: new Date('2026-01-04T00:00:00Z'),
      noInvalidDate: true,
    }),
    serviceCode: fc.constantFrom('NPRA-0001', 'LMRA-0002'),
    agencyCode: fc.constantFrom('NPRA', 'LMRA'),
    channel: fc.constantFrom(...PAYMENT_CHANNEL_CODES.slice(0, 3)),
    kind: fc.constantFrom(...TRANSACTION_KIND_CODES),
    status: fc.constantFrom<TransactionStatus>('pending', 'succeeded'),
    amountFils: fc.bigInt({ min: 1n, max: 2n ** 62n }),
    feeFils: fc.bigInt({ min: 0n, max: 1000n }),
  });

  it('applied in any order, ingest plus status changes equal a rollup of the final state', () => {
    fc.assert(
      fc.property(
        fc.array(tx, { minLength: 1, maxLength: 30 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom<TransactionStatus>('succeeded', 'failed', 'cancelled'),
          ),
        ),
        (txs, changes) => {
          const totals = new Map<string, RollupDelta>();
          // Ingest in two batches, as two API calls would.
          const half = Math.floor(txs.length / 2);
          applyRollupDeltas(totals, rollupDeltasForBatch(txs.slice(half)));
          applyRollupDeltas(totals, rollupDeltasForBatch(txs.slice(0, half)));
          const current = txs.map((t) => ({ ...t }));
          for (const [i, to] of changes) {
            const t = current[i % current.length];
            if (!canTransition(t.status, to)) continue;
            applyRollupDeltas(totals, rollupDeltasForStatusChange(t, to));
            t.status = to;
          }
          expect(settleRollupDeltas(totals)).toEqual(rollupDeltasForBatch(current));
        },
      ),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  PaymentsDemoSeeder,
  DEMO_2017,
} from '../../src/modules/payments/demo/payments-demo.seeder.js';
import type {
  PaymentChannel,
  TransactionStatus,
} from '../../src/modules/payments/domain/channels.js';
import type { TransactionInput } from '../../src/modules/payments/domain/transaction-input.js';
import { PaymentIngestService } from '../../src/modules/payments/services/payment-ingest.service.js';
import { PaymentReconciliationService } from '../../src/modules/payments/services/payment-reconciliation.service.js';
import { PaymentStatsService } from '../../src/modules/payments/services/payment-stats.service.js';
import { SYSTEM_ACTOR, type Actor } from '../../src/platform/auth/roles.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { DomainException } from '../../src/platform/errors/domain-exception.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CHANNELS: PaymentChannel[] = ['web', 'mobile', 'counter', 'cheque', 'kiosk'];
const SERVICES = [
  ['NPRA-0001', 'NPRA'],
  ['NPRA-0002', 'NPRA'],
  ['GDT-0001', 'GDT'],
] as const;

/** Every mismatch between the daily rollups and a GROUP BY over the facts (and months vs days). */
async function rollupDrift(t: TestApp) {
  const days = await t.db.query(`
    WITH f AS (
      SELECT ((occurred_at AT TIME ZONE 'UTC') + interval '3 hours')::date AS day, service_code, agency_code, channel, kind, status,
             count(*)::bigint AS n, sum(amount_fils)::bigint AS amount, sum(fee_fils)::bigint AS fee
      FROM payment_transaction GROUP BY 1, 2, 3, 4, 5, 6),
    r AS (SELECT day, service_code, agency_code, channel, kind, status, tx_count AS n, amount_fils AS amount, fee_fils AS fee
          FROM payment_rollup_day WHERE source = 'facts' AND (tx_count <> 0 OR amount_fils <> 0 OR fee_fils <> 0))
    SELECT * FROM f FULL JOIN r USING (day, service_code, agency_code, channel, kind, status)
    WHERE f.n IS DISTINCT FROM r.n OR f.amount IS DISTINCT FROM r.amount OR f.fee IS DISTINCT FROM r.fee`);
  const months = await t.db.query(`
    WITH d AS (SELECT date_trunc('month', day)::date AS month, service_code, agency_code, channel, kind, status, source,
                      sum(tx_count)::bigint AS n, sum(amount_fils)::bigint AS amount FROM payment_rollup_day GROUP BY 1, 2, 3, 4, 5, 6, 7)
    SELECT * FROM d FULL JOIN payment_rollup_month m USING (month, service_code, agency_code, channel, kind, status, source)
    WHERE coalesce(d.n, 0) <> coalesce(m.tx_count, 0) OR coalesce(d.amount, 0) <> coalesce(m.amount_fils, 0)`);
  // The statistics rollups (succeeded, every source, kinds in columns) against the daily rollups.
  const pivot = (period: string) => `
    SELECT ${period} AS period, agency_code, channel,
           sum(tx_count) FILTER (WHERE kind = 'payment') AS payment_count, sum(amount_fils) FILTER (WHERE kind = 'payment') AS payment_fils,
           sum(fee_fils) FILTER (WHERE kind = 'payment') AS payment_fee_fils,
           sum(tx_count) FILTER (WHERE kind = 'refund') AS refund_count, sum(amount_fils) FILTER (WHERE kind = 'refund') AS refund_fils,
           sum(fee_fils) FILTER (WHERE kind = 'refund') AS refund_fee_fils,
           sum(tx_count) FILTER (WHERE kind = 'reversal') AS reversal_count, sum(amount_fils) FILTER (WHERE kind = 'reversal') AS reversal_fils,
           sum(fee_fils) FILTER (WHERE kind = 'reversal') AS reversal_fee_fils
    FROM payment_rollup_day WHERE status = 'succeeded' GROUP BY 1, 2, 3`;
  const statsDrift = (table: string, period: string, source: string) =>
    t.db.query(`
      SELECT * FROM (${source}) d FULL JOIN (SELECT ${period} AS period, * FROM ${table}) s USING (period, agency_code, channel)
      WHERE ${['payment', 'refund', 'reversal']
        .flatMap((k) => [`${k}_count`, `${k}_fils`, `${k}_fee_fils`])
        .map((c) => `coalesce(d.${c}, 0) <> coalesce(s.${c}, 0)`)
        .join(' OR ')}`);
  const statsDays = await statsDrift('payment_stats_day', 'day', pivot('day'));
  const statsMonths = await statsDrift(
    'payment_stats_month',
    'month',
    pivot("date_trunc('month', day)::date"),
  );
  return { days, months, statsDays, statsMonths };
}

describe('payment rollups', () => {
  let t: TestApp;
  let ingest: PaymentIngestService;
  let runner: TransactionRunner;
  let run = 0;
  const store = (items: TransactionInput[]) =>
    runner.run((tx) => ingest.store(tx, SYSTEM_ACTOR, items));

  beforeAll(async () => {
    t = await startTestApp();
    ingest = t.get(PaymentIngestService);
    runner = t.get(TransactionRunner);
  }, 120_000);
  afterAll(() => t.close());

  it('equal a GROUP BY over the facts, to the fils, after random payments, refunds, reversals, status changes and replays', async () => {
    const payment = fc.record({
      service: fc.integer({ min: 0, max: SERVICES.length - 1 }),
      channel: fc.constantFrom(...CHANNELS),
      status: fc.constantFrom<TransactionStatus>('succeeded', 'succeeded', 'pending', 'failed'),
      // Around midnight Bahrain time (21:00 UTC) so the day boundary is exercised.
      minute: fc.integer({ min: 0, max: 60 * 24 * 62 }),
      amount: fc.oneof(
        fc.constant(1n),
        fc.constant(2n ** 31n),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
      ),
      fee: fc.bigInt({ min: 0n, max: 5000n }),
    });
    const step = fc.oneof(
      fc.record({
        op: fc.constant('batch' as const),
        items: fc.array(payment, { minLength: 1, maxLength: 25 }),
      }),
      fc.record({
        op: fc.constant('undo' as const),
        pick: fc.nat(),
        kind: fc.constantFrom('refund' as const, 'reversal' as const),
        part: fc.bigInt({ min: 1n, max: 100n }),
      }),
      fc.record({
        op: fc.constant('settle' as const),
        pick: fc.nat(),
        to: fc.constantFrom<TransactionStatus>('succeeded', 'failed', 'cancelled'),
      }),
      fc.record({ op: fc.constant('replay' as const), pick: fc.nat() }),
      fc.record({
        op: fc.constant('parallel' as const),
        items: fc.array(payment, { minLength: 2, maxLength: 10 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run++;
        let seq = 0;
        const batches: TransactionInput[][] = [];
        const payments: TransactionInput[] = [];
        const make = (p: ReturnType<typeof payment.generate>['value']): TransactionInput => {
          const at = new Date(Date.UTC(2026, 0, 1, 21, 0) + p.minute * 60_000 - 31 * 24 * 3600_000);
          const [serviceCode, agencyCode] = SERVICES[p.service];
          return {
            externalRef: `P${run}-${++seq}`,
            occurredAt: at,
            occurredAtText: at.toISOString(),
            serviceCode,
            agencyCode,
            channel: p.channel,
            kind: 'payment',
            status: p.status,
            amountFils: p.amount,
            feeFils: p.fee,
            currency: 'BHD',
          };
        };
        for (const s of steps) {
          if (s.op === 'batch' || s.op === 'parallel') {
            const items = s.items.map(make);
            if (s.op === 'batch') await store(items);
            else await Promise.all(items.map((i) => store([i])));
            batches.push(items);
            payments.push(...items);
          } else if (s.op === 'undo' && payments.length) {
            const p = payments[s.pick % payments.length];
            const undo: TransactionInput = {
              ...p,
              externalRef: `P${run}-${++seq}`,
              kind: s.kind,
              status: 'succeeded',
              amountFils: (p.amountFils * s.part) / 100n || 1n,
              originalRef: p.externalRef,
              occurredAt: new Date(p.occurredAt.getTime() + 3600_000),
            };
            undo.occurredAtText = undo.occurredAt.toISOString();
            await store([undo]);
            batches.push([undo]);
          } else if (s.op === 'settle' && payments.length) {
            const p = payments[s.pick % payments.length];
            try {
              await ingest.changeStatus(SYSTEM_ACTOR, p.externalRef, s.to, p.agencyCode);
              p.status = s.to;
            } catch (e) {
              expect((e as DomainException).code).toBe('PAYMENTS_STATUS_TRANSITION_NOT_ALLOWED');
            }
          } else if (s.op === 'replay' && batches.length) {
            const b = batches[s.pick % batches.length];
            // A resend carries the values first reported; the status is not part of the identity.
            const result = await store(b);
            expect(result.inserted).toBe(0);
          }
        }
        const drift = await rollupDrift(t);
        expect(drift).toEqual({ days: [], months: [], statsDays: [], statsMonths: [] });
      }),
      { numRuns: 12 },
    );
  }, 240_000);

  it('answers any range, agency and service exactly as a GROUP BY over the facts would (months, days, month minus days)', async () => {
    const stats = t.get(PaymentStatsService);
    const day = (n: number) =>
      new Date(Date.UTC(2025, 11, 1) + n * 86_400_000).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 45 }),
        fc.constantFrom(undefined, 'NPRA', 'GDT'),
        fc.constantFrom(undefined, 'NPRA-0001', 'GDT-0001'),
        async (start, length, agencyCode, serviceCode) => {
          const range = { from: day(start), to: day(start + length), agencyCode, serviceCode };
          const [facts] = await t.db.query<Record<string, string>>(
            `SELECT count(*)::text AS count,
                    coalesce(sum(amount_fils) FILTER (WHERE kind = 'payment'), 0)::text AS gross,
                    coalesce(sum(amount_fils) FILTER (WHERE kind <> 'payment'), 0)::text AS refunds,
                    coalesce(sum(fee_fils), 0)::text AS fee,
                    (count(*) FILTER (WHERE kind = 'payment' AND channel IN ('web', 'mobile', 'kiosk', 'gateway', 'bank_transfer'))
                     - count(*) FILTER (WHERE kind = 'reversal' AND channel IN ('web', 'mobile', 'kiosk', 'gateway', 'bank_transfer')))::text AS e_count
             FROM payment_transaction
             WHERE status = 'succeeded' AND ((occurred_at AT TIME ZONE 'UTC') + interval '3 hours')::date BETWEEN $1::date AND $2::date
               AND ($3::varchar IS NULL OR agency_code = $3) AND ($4::varchar IS NULL OR service_code = $4)`,
            [range.from, range.to, agencyCode ?? null, serviceCode ?? null],
          );
          const totals = await stats.controlTotals(range);
          expect({
            count: totals.count.toString(),
            gross: totals.grossFils.toString(),
            refunds: totals.refundsFils.toString(),
            fee: totals.feeFils.toString(),
          }).toEqual({
            count: facts.count,
            gross: facts.gross,
            refunds: facts.refunds,
            fee: facts.fee,
          });
          const share = await stats.electronicShare(range);
          expect(String(share.count.electronic)).toBe(facts.e_count);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('reconciliation finds no difference, then finds an injected one and repairs it', async () => {
    const sut = t.get(PaymentReconciliationService);
    const clean = await sut.reconcile(t.admin, '2025-11-01', '2026-03-31');
    expect(clean.differences).toEqual([]);
    expect(clean.rollupRowsChecked).toBeGreaterThan(0);

    const [row] = await t.db.query<{ day: string; service_code: string }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, service_code FROM payment_rollup_day WHERE source = 'facts' AND tx_count > 0 ORDER BY day LIMIT 1",
    );
    await t.db.query(
      "UPDATE payment_rollup_day SET amount_fils = amount_fils + 1 WHERE day = $1 AND service_code = $2 AND source = 'facts' AND tx_count > 0 AND ctid = (SELECT ctid FROM payment_rollup_day WHERE day = $1 AND service_code = $2 AND source = 'facts' AND tx_count > 0 LIMIT 1)",
      [row.day, row.service_code],
    );
    const dirty = await sut.reconcile(t.admin, '2025-11-01', '2026-03-31');
    expect(dirty.differences).toHaveLength(1);
    expect(dirty.differences[0]).toMatchObject({
      table: 'payment_rollup_day',
      day: row.day,
      amountFilsDiff: '1',
      countDiff: '0',
    });

    const operator: Actor = {
      type: 'staff',
      id: t.admin.id!,
      label: 'auditor',
      role: 'auditor',
      agencyId: null,
    };
    await expect(
      sut.reconcile(operator, '2025-11-01', '2026-03-31', { repair: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const repaired = await sut.reconcile(t.admin, '2025-11-01', '2026-03-31', { repair: true });
    expect(repaired.repaired).toBe(true);
    expect((await sut.reconcile(t.admin, '2025-11-01', '2026-03-31')).differences).toEqual([]);
    expect(await rollupDrift(t)).toEqual({
      days: [],
      months: [],
      statsDays: [],
      statsMonths: [],
    });
  }, 60_000);

  it('refuses reconciliation to agency staff', async () => {
    const editor: Actor = {
      type: 'staff',
      id: t.admin.id!,
      label: 'e',
      role: 'agency_editor',
      agencyId: t.admin.id,
    };
    await expect(
      t.get(PaymentReconciliationService).reconcile(editor, '2026-01-01', '2026-01-31'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads the 2017 figures back exactly from historic aggregates, and seeds only once', async () => {
    const seeder = t.get(PaymentsDemoSeeder);
    await seeder.seed();
    await seeder.seed();
    const stats = t.get(PaymentStatsService);
    const share = await stats.electronicShare({ from: '2017-01-01', to: '2017-12-31' });
    expect(share).toEqual({
      count: { electronic: 1_025_000, total: 2_500_000 },
      valueFils: { electronic: 74_000_000_000n, total: 180_487_804_878n },
    });
    expect(share.count.electronic).toBeGreaterThan(1_000_000);
    const report = await stats.report(SYSTEM_ACTOR, {
      period: 'year',
      date: '2017',
      groupBy: 'electronic',
    });
    expect(report.totals.electronicShareByCount).toBe(0.41);
    expect(report.totals.electronicShareByValue).toBe(0.41);
    const electronic = report.groups.find((g) => g.key === 'electronic')!;
    expect(electronic.netBhd).toBe('74000000.000');
    expect(electronic.count.net).toBe(String(DEMO_2017.electronicCount));
    // A quarter and a custom range cut through the daily rows and still add up.
    const q = await stats.electronicShare({ from: '2017-01-01', to: '2017-03-31' });
    const rest = await stats.electronicShare({ from: '2017-04-01', to: '2017-12-31' });
    expect(q.valueFils.electronic + rest.valueFils.electronic).toBe(74_000_000_000n);
    const a = await stats.electronicShare({ from: '2017-01-15', to: '2017-07-09' });
    const b1 = await stats.electronicShare({ from: '2017-01-01', to: '2017-01-14' });
    const b2 = await stats.electronicShare({ from: '2017-07-10', to: '2017-12-31' });
    expect(a.count.total + b1.count.total + b2.count.total).toBe(2_500_000);
    // Historic aggregates are not facts: reconciliation ignores them.
    expect(
      (await t.get(PaymentReconciliationService).reconcile(t.admin, '2017-01-01', '2017-12-31'))
        .differences,
    ).toEqual([]);
    // The live demo facts are there for the dashboards.
    const [live] = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM payment_transaction WHERE external_ref LIKE 'DEMO-%'",
    );
    expect(Number(live.n)).toBe(400);
  }, 120_000);

  it('answers the contract questions: service year, control totals and a streamed export that ties to them', async () => {
    const stats = t.get(PaymentStatsService);
    const year = await stats.serviceYear('NPRA-0001', 2017);
    expect(year.electronicShareByCount).toBe(0.41);
    expect(year.byChannel.find((c) => c.channel === 'web')).toMatchObject({ electronic: true });
    const filter = { from: '2025-11-01', to: '2026-03-31', agencyCode: 'NPRA' };
    const totals = await stats.controlTotals(filter);
    let count = 0n;
    let gross = 0n;
    for await (const row of stats.streamTransactions(filter)) {
      if (row.status !== 'succeeded') continue;
      count++;
      if (row.kind === 'payment') gross += BigInt(row.amountFils!);
    }
    expect(count).toBe(totals.count);
    expect(gross).toBe(totals.grossFils);
  }, 60_000);

  it('creates monthly partitions ahead and keeps stray dates in the default partition', async () => {
    const rows = await t.db.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'payment_transaction'",
    );
    const names = rows.map((r) => r.name);
    expect(names).toContain('payment_transaction_y2026m03');
    expect(names).toContain('payment_transaction_default');
    const [created] = await t.db.query<{ n: number }>(
      "SELECT payment_transaction_ensure_partitions('2031-05-01', 2) AS n",
    );
    expect(created.n).toBe(2);
    const [again] = await t.db.query<{ n: number }>(
      "SELECT payment_transaction_ensure_partitions('2031-05-01', 2) AS n",
    );
    expect(again.n).toBe(0);
    // 2031-05-31 22:00 UTC is 2031-06-01 01:00 in Bahrain: the June partition.
    await store([
      {
        externalRef: 'EDGE-1',
        occurredAt: new Date('2031-05-31T22:00:00Z'),
        occurredAtText: '2031-06-01T01:00:00+03:00',
        serviceCode: 'NPRA-0001',
        agencyCode: 'NPRA',
        channel: 'web',
        kind: 'payment',
        status: 'succeeded',
        amountFils: 1n,
        feeFils: 0n,
        currency: 'BHD',
      },
    ]).catch((e: unknown) => e);
    const [where] = await t.db.query<{ t: string }>(
      "SELECT tableoid::regclass::text AS t FROM payment_transaction WHERE external_ref = 'EDGE-1'",
    );
    expect(where.t).toBe('payment_transaction_y2031m06');
  });

  it('empties the statistics rollups with the daily rollups (TRUNCATE, as the benchmark resets its tables)', async () => {
    const range = { from: '2025-11-01', to: '2026-03-31' };
    expect((await t.get(PaymentStatsService).controlTotals(range)).count).toBeGreaterThan(0n);
    await t.db.query('TRUNCATE payment_rollup_day, payment_rollup_month');
    const [left] = await t.db.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM payment_stats_day) + (SELECT count(*) FROM payment_stats_month) AS n',
    );
    expect(Number(left.n)).toBe(0);
    expect((await t.get(PaymentStatsService).controlTotals(range)).count).toBe(0n);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EkeyDemoSeeder } from '../../src/modules/ekey/services/ekey-demo-seeder.js';
import { PaymentsDemoSeeder } from '../../src/modules/payments/demo/payments-demo.seeder.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { StrategyDemoSeeder } from '../../src/modules/strategy/demo/strategy-demo.seeder.js';
import { ExportService } from '../../src/modules/strategy/services/export.service.js';
import { StrategyService } from '../../src/modules/strategy/services/strategy.service.js';
import type { ReportKpi } from '../../src/modules/strategy/services/strategy-report.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The real modules and their demo data, no stand-ins: the 2017 report from data. */
describe('the 2017 committee report from the demo data', () => {
  let t: TestApp;
  let kpis: Map<string, ReportKpi>;
  beforeAll(async () => {
    t = await startTestApp();
    for (const seeder of [
      RegistryDemoSeeder,
      PaymentsDemoSeeder,
      EkeyDemoSeeder,
      StrategyDemoSeeder,
    ])
      await t.get<{ seed(): Promise<void> }>(seeder).seed();
    const report = await t.get(StrategyService).report(2017);
    kpis = new Map(report.goals.flatMap((g) => g.kpis).map((k) => [k.code, k]));
  });
  afterAll(() => t.close());

  it('states 75,000 eKey registrations against 50,000: 150 %', () => {
    expect(kpis.get('EKEY_REGISTRATIONS')).toMatchObject({
      numerator: '75000',
      target: '50000',
      achievementPercent: '150.0',
      met: true,
      valueText: { ar: '٧٥٬٠٠٠', en: '75,000' },
    });
  });

  it('states 4 government systems against 2: 200 %, with its evidence', () => {
    expect(kpis.get('GOV_SYSTEMS_DELIVERED')).toMatchObject({
      numerator: '4',
      target: '2',
      achievementPercent: '200.0',
      evidenceRef: expect.stringContaining('acceptance certificates'),
    });
  });

  it("states the payments module's 2017 electronic share: 41 %, over a million, 74 million dinars", () => {
    const byValue = kpis.get('E_PAYMENT_SHARE_VALUE')!;
    expect(byValue.status).toBe('live');
    expect(byValue.details).toMatchObject({ electronicFils: '74000000000' });
    expect(Number(byValue.details!.electronicCount)).toBeGreaterThan(1_000_000);
    expect(byValue.valueText?.en).toBe('41.0%');
    expect(kpis.get('E_PAYMENT_SHARE_COUNT')!.valueText?.en).toBe('41.0%');
  });

  async function exportPayments(from: string, to: string) {
    const job = await t.get(ExportService).request(t.admin, {
      kind: 'payment_transactions',
      format: 'csv',
      filters: { from, to },
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await t.db.query<{
        status: string;
        error: string | null;
        rows_written: string;
      }>('SELECT status, error, rows_written FROM export_job WHERE id = $1', [job.id]);
      if (row.status === 'succeeded' || row.status === 'failed') return row;
      if (Date.now() > deadline) throw new Error(`export still ${row.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('exports the live payment facts and they add up to the payments rollup', async () => {
    const today = new Date();
    const from = new Date(today.getTime() - 120 * 86_400_000).toISOString().slice(0, 10);
    const row = await exportPayments(from, today.toISOString().slice(0, 10));
    expect(row).toMatchObject({ status: 'succeeded', error: null });
    expect(Number(row.rows_written)).toBeGreaterThan(0);
  });

  it('refuses to deliver 2017 transactions: no rows stand behind the historic aggregates', async () => {
    const row = await exportPayments('2017-01-01', '2017-12-31');
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/do not add up to the rollup/);
  });
});

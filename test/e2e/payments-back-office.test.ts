import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TransactionInput } from '../../src/modules/payments/domain/transaction-input.js';
import { PaymentIngestService } from '../../src/modules/payments/services/payment-ingest.service.js';
import { SYSTEM_ACTOR, type StaffRole } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'payments staff passphrase 1';
type Listed = { params: Record<string, string> };

const fact = (
  ref: string,
  agencyCode: string,
  at: string,
  amountFils: bigint,
): TransactionInput => ({
  externalRef: ref,
  occurredAt: new Date(at),
  occurredAtText: at,
  serviceCode: `${agencyCode}-0001`,
  agencyCode,
  channel: 'web',
  kind: 'payment',
  status: 'succeeded',
  amountFils,
  feeFils: 0n,
  currency: 'BHD',
});

describe('payments back office', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    const npra = await makeAgency(t, { code: 'NPRA' });
    await makeAgency(t, { code: 'GDT' });
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole, agencyId: string | null) =>
      staff.create(t.admin, { email, name: email, role, agencyId, password: PASSWORD });
    await add('editor@npra.gov.bh', 'agency_editor', npra.id);
    await add('auditor@iga.gov.bh', 'auditor', null);
    await t
      .get(TransactionRunner)
      .run((tx) =>
        t
          .get(PaymentIngestService)
          .store(tx, SYSTEM_ACTOR, [
            fact('BO-N1', 'NPRA', '2026-02-01T10:00:00+03:00', 9_999_999n),
            fact('BO-N2', 'NPRA', '2026-02-02T10:00:00+03:00', 1n),
            fact('BO-G1', 'GDT', '2026-02-03T10:00:00+03:00', 5000n),
          ]),
      );
  }, 120_000);
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', PASSWORD).expect(302);
    return agent;
  };
  const LIST = '/admin/api/resources/PaymentTransactionRecord/actions/list?perPage=100';

  it('shows agency staff only their agency’s transactions, even when they filter for another', async () => {
    const agent = await signIn('editor@npra.gov.bh');
    const own = (await agent.get(LIST).expect(200)).body.records as Listed[];
    expect(own.map((r) => r.params.externalRef).sort()).toEqual(['BO-N1', 'BO-N2']);
    const sneaky = (await agent.get(`${LIST}&filters.agencyCode=GDT`).expect(200)).body
      .records as Listed[];
    expect(sneaky.every((r) => r.params.agencyCode === 'NPRA')).toBe(true);
    const show = await agent.get(
      '/admin/api/resources/PaymentTransactionRecord/records/BO-G1/show',
    );
    expect(show.body.record?.params?.externalRef).toBeUndefined();
  });

  it('shows national roles every agency, with exact amounts as strings, and no way to edit', async () => {
    const agent = await signIn('auditor@iga.gov.bh');
    const rows = (await agent.get(LIST).expect(200)).body.records as Listed[];
    expect(rows.map((r) => r.params.externalRef).sort()).toEqual(['BO-G1', 'BO-N1', 'BO-N2']);
    expect(rows.find((r) => r.params.externalRef === 'BO-N1')!.params.amountFils).toBe('9999999');
    const edit = await agent
      .post('/admin/api/resources/PaymentTransactionRecord/records/BO-N1/edit')
      .field('amountFils', '1');
    expect(edit.body.notice?.type ?? 'error').toBe('error');
    const [row] = await t.db.query<{ amount_fils: string }>(
      "SELECT amount_fils FROM payment_transaction WHERE external_ref = 'BO-N1'",
    );
    expect(row.amount_fils).toBe('9999999');
  });

  it('serves the dashboard figures and an on-demand reconciliation to national roles', async () => {
    const agent = await signIn('auditor@iga.gov.bh');
    const stats = await agent
      .get('/admin/api/resources/PaymentTransactionRecord/actions/statistics?year=2026')
      .expect(200);
    expect(stats.body.electronicShareByMonth).toHaveLength(12);
    expect(stats.body.electronicShareByMonth[1]).toEqual({
      month: '2026-02',
      byCount: 1,
      byValue: 1,
    });
    expect(stats.body.topServices[0]).toEqual({
      service: 'NPRA-0001',
      netFils: '10000000',
      netBhd: '10000.000',
    });
    const rec = await agent
      .get(
        '/admin/api/resources/PaymentTransactionRecord/actions/reconcile?from=2026-02-01&to=2026-02-28',
      )
      .expect(200);
    expect(rec.body).toMatchObject({ differences: [], rollupRowsChecked: 3 });
  });

  it('limits the dashboard of agency staff to their agency and refuses them reconciliation', async () => {
    const agent = await signIn('editor@npra.gov.bh');
    const stats = await agent
      .get('/admin/api/resources/PaymentTransactionRecord/actions/statistics?year=2026')
      .expect(200);
    expect(stats.body.topServices.map((s: { service: string }) => s.service)).toEqual([
      'NPRA-0001',
    ]);
    const rec = await agent.get(
      '/admin/api/resources/PaymentTransactionRecord/actions/reconcile?from=2026-02-01&to=2026-02-28',
    );
    expect(rec.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
  });
});

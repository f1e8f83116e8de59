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
    await makeAgency(t, { code: 'XNPRA' }); // its code contains NPRA's
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole, agencyId: string | null) =>
      staff.create(t.admin, { email, name: email, role, agencyId, password: PASSWORD });
    await add('editor@npra.gov.bh', 'agency_editor', npra.id);
    await add('auditor@iga.gov.bh', 'auditor', null);
    await t.get(TransactionRunner).run((tx) =>
      t.get(PaymentIngestService).store(tx, SYSTEM_ACTOR, [
        fact('BO-N1', 'NPRA', '2026-02-01T10:00:00+03:00', 9_999_999n),
        fact('BO-N2', 'NPRA', '2026-02-02T10:00:00+03:00', 1n),
        fact('BO-G1', 'GDT', '2026-02-03T10:00:00+03:00', 5000n),
        // 2025: the same reference at two agencies, and months to page across (Bahrain
        // time: P-5 is the last hour of March, P-4 the first of April).
        fact('SAME-1', 'NPRA', '2025-03-10T10:00:00+03:00', 100n),
        fact('SAME-1', 'GDT', '2025-03-11T10:00:00+03:00', 200n),
        fact('BO-X1', 'XNPRA', '2025-05-01T09:00:00+03:00', 7n),
        fact('P-1', 'NPRA', '2025-01-15T10:00:00+03:00', 1n),
        fact('P-2', 'NPRA', '2025-02-15T10:00:00+03:00', 2n),
        fact('P-3', 'NPRA', '2025-02-15T10:00:00+03:00', 3n),
        fact('P-5', 'NPRA', '2025-03-31T23:30:00+03:00', 5n),
        fact('P-4', 'NPRA', '2025-04-01T00:30:00+03:00', 4n),
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
    // Not XNPRA's, although its code contains NPRA (filters are exact, not LIKE).
    expect(own.map((r) => r.params.key).sort()).toEqual(
      ['BO-N1', 'BO-N2', 'P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'SAME-1'].map((r) => `NPRA:${r}`),
    );
    const sneaky = (await agent.get(`${LIST}&filters.agencyCode=GDT`).expect(200)).body
      .records as Listed[];
    expect(sneaky.length).toBeGreaterThan(0);
    expect(sneaky.every((r) => r.params.agencyCode === 'NPRA')).toBe(true);
    const show = (key: string) =>
      agent.get(`/admin/api/resources/PaymentTransactionRecord/records/${key}/show`);
    expect((await show('GDT:BO-G1')).body.record?.params?.externalRef).toBeUndefined();
    // The same reference at another agency: refused; their own: shown.
    expect((await show('GDT:SAME-1')).body.record?.params?.externalRef).toBeUndefined();
    expect((await show('NPRA:SAME-1').expect(200)).body.record.params).toMatchObject({
      agencyCode: 'NPRA',
      externalRef: 'SAME-1',
      amountFils: '100',
    });
  });

  it('names a transaction by agency and reference, so equal references of two agencies stay apart', async () => {
    const agent = await signIn('auditor@iga.gov.bh');
    const same = (await agent.get(`${LIST}&filters.externalRef=SAME-1`).expect(200)).body;
    expect(same.meta.total).toBe(2);
    expect((same.records as Listed[]).map((r) => [r.params.key, r.params.amountFils])).toEqual([
      ['GDT:SAME-1', '200'],
      ['NPRA:SAME-1', '100'],
    ]);
    // Found at whichever agency holds it, the first and the last in key order included.
    for (const [ref, key] of [
      ['BO-G1', 'GDT:BO-G1'],
      ['BO-X1', 'XNPRA:BO-X1'],
    ]) {
      const found = (await agent.get(`${LIST}&filters.externalRef=${ref}`).expect(200)).body;
      expect((found.records as Listed[]).map((r) => r.params.key)).toEqual([key]);
    }
    expect(
      (await agent.get(`${LIST}&filters.externalRef=NO-SUCH`).expect(200)).body.records,
    ).toEqual([]);
    const show = (key: string) =>
      agent.get(`/admin/api/resources/PaymentTransactionRecord/records/${key}/show`).expect(200);
    expect((await show('GDT:SAME-1')).body.record.params.amountFils).toBe('200');
    expect((await show('NPRA:SAME-1')).body.record.params.amountFils).toBe('100');
    expect((await show('NPRA:NO-SUCH')).body.record.baseError.type).toBe('NotFoundError');
  });

  it('pages through every transaction in time order, across months, with the total from the rollups', async () => {
    const agent = await signIn('auditor@iga.gov.bh');
    const expected = async (order: 'ASC' | 'DESC', where = 'TRUE') =>
      (
        await t.db.query<{ key: string }>(
          `SELECT agency_code || ':' || external_ref AS key FROM payment_transaction WHERE ${where}
           ORDER BY occurred_at ${order}, agency_code ${order}, external_ref ${order}`,
        )
      ).map((r) => r.key);
    const pages = async (query: string) => {
      const keys: string[] = [];
      let total = -1;
      for (let page = 1; page <= 10; page++) {
        const body = (
          await agent
            .get(
              `/admin/api/resources/PaymentTransactionRecord/actions/list?perPage=3&page=${page}${query}`,
            )
            .expect(200)
        ).body;
        total = body.meta.total;
        if (!body.records.length) break;
        keys.push(...(body.records as Listed[]).map((r) => r.params.key));
      }
      return { keys, total };
    };
    const all = await pages('');
    expect(all.keys).toEqual(await expected('DESC'));
    expect(all.total).toBe(all.keys.length);
    expect((await pages('&sortBy=occurredAt&direction=asc')).keys).toEqual(await expected('ASC'));
    const npra = await pages('&filters.agencyCode=NPRA&filters.kind=payment');
    expect(npra.keys).toEqual(await expected('DESC', "agency_code = 'NPRA'"));
    expect(npra.total).toBe(8);
    // Days are Bahrain days: 1 April holds P-4 only, 31 March P-5 only.
    const april = await pages(
      '&filters.occurredAt~~from=2025-04-01&filters.occurredAt~~to=2025-04-01',
    );
    expect(april).toEqual({ keys: ['NPRA:P-4'], total: 1 });
    const spring = await pages(
      '&filters.occurredAt~~from=2025-03-11&filters.occurredAt~~to=2025-04-30&filters.agencyCode=NPRA',
    );
    expect(spring).toEqual({ keys: ['NPRA:P-4', 'NPRA:P-5'], total: 2 });
  });

  it('shows national roles every agency, with exact amounts as strings, and no way to edit', async () => {
    const agent = await signIn('auditor@iga.gov.bh');
    const rows = (await agent.get(LIST).expect(200)).body.records as Listed[];
    expect(new Set(rows.map((r) => r.params.agencyCode))).toEqual(
      new Set(['NPRA', 'GDT', 'XNPRA']),
    );
    expect(rows.find((r) => r.params.key === 'NPRA:BO-N1')!.params.amountFils).toBe('9999999');
    const edit = await agent
      .post('/admin/api/resources/PaymentTransactionRecord/records/NPRA:BO-N1/edit')
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

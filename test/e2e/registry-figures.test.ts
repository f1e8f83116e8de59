import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentsDemoSeeder } from '../../src/modules/payments/demo/payments-demo.seeder.js';
import type { TransactionInput } from '../../src/modules/payments/domain/transaction-input.js';
import { PaymentIngestService } from '../../src/modules/payments/services/payment-ingest.service.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { RegistryFiguresService } from '../../src/modules/registry/services/registry-figures.service.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'registry figures passphrase 1';

interface YearJson {
  year: number;
  channels: { channel: string; electronic: boolean; count: number; grossFils: string }[];
  electronicShare: { byCount: number; byValue: number };
}

describe('per-service payment figures (issue #8)', () => {
  let t: TestApp;
  let etagBefore: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    await t.get(RegistryDemoSeeder).seed();
    // The page before any figures exist, to compare its ETag with the one after.
    const before = await t.http().get('/v1/services/NPRA-0001').expect(200);
    expect(before.body.figures).toEqual([]);
    etagBefore = before.headers.etag;
    await t.get(PaymentsDemoSeeder).seed();
    await t.get(RegistryFiguresService).refresh();
    const agencies = t.get(AgencyService);
    const staff = t.get(StaffService);
    for (const [email, agency] of [
      ['editor@npra.gov.bh', 'NPRA'],
      ['editor@gdt.gov.bh', 'GDT'],
    ] as const)
      await staff.create(t.admin, {
        email,
        name: email,
        role: 'agency_editor',
        agencyId: (await agencies.findByCode(agency))!.id,
        password: PASSWORD,
      });
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', PASSWORD).expect(302);
    return agent;
  };

  it('shows the 2017 demo year of a service in its public JSON: channels, money as strings, 41 % electronic', async () => {
    const res = await t.http().get('/v1/services/NPRA-0001').expect(200);
    const y2017 = (res.body.figures as YearJson[]).find((y) => y.year === 2017)!;
    expect(y2017.electronicShare).toEqual({ byCount: 0.41, byValue: 0.41 });
    // NPRA-0001 carries 30 % of the year; web is 40 % of its electronic payments.
    expect(y2017.channels.find((c) => c.channel === 'web')).toEqual({
      channel: 'web',
      electronic: true,
      count: 123_000,
      grossFils: '8880000000',
      netFils: '8880000000',
    });
    expect(y2017.channels.find((c) => c.channel === 'counter')).toMatchObject({
      electronic: false,
    });
    expect(y2017.channels.reduce((n, c) => n + c.count, 0)).toBe(750_000);
    expect(y2017.channels.map((c) => c.channel)).toEqual([
      'web',
      'mobile',
      'kiosk',
      'gateway',
      'counter',
      'cash_office',
      'cheque',
    ]);
    // Years in order; a service without payments has none.
    const years = (res.body.figures as YearJson[]).map((y) => y.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    const quiet = await t.http().get('/v1/services/MOH-0001').expect(200);
    expect(quiet.body.figures).toEqual([]);
  });

  it('changes the ETag when the figures change, and keeps it when a refresh finds nothing new', async () => {
    const res = await t.http().get('/v1/services/NPRA-0001').expect(200);
    const etag = res.headers.etag;
    expect(etag).not.toBe(etagBefore);
    await t.http().get('/v1/services/NPRA-0001').set('If-None-Match', etagBefore).expect(200);
    expect(await t.get(RegistryFiguresService).refresh()).toEqual({ changed: 0, deleted: 0 });
    await t.http().get('/v1/services/NPRA-0001').set('If-None-Match', etag).expect(304);
  });

  it('shows an agency editor the figures of their service in the back office, and lists low electronic shares of their agency only', async () => {
    const editor = await signIn('editor@npra.gov.bh');
    const [svc] = await t.db.query<{ id: string }>(
      `SELECT id FROM service WHERE code = 'NPRA-0001'`,
    );
    const show = await editor
      .get(`/admin/api/resources/Service/records/${svc.id}/show`)
      .expect(200);
    expect(show.body.record.params.paymentFigures).toContain(
      '2017: electronic 41.0% of payments, 41.0% of value; web 123000 (8880000000 fils)',
    );
    const list = await editor
      .get('/admin/api/resources/ServicePaymentFigures/actions/list?perPage=100')
      .expect(200);
    const rows: { params: Record<string, string> }[] = list.body.records;
    expect(rows.map((r) => r.params.serviceCode)).toContain('NPRA-0001');
    expect(rows.every((r) => r.params.serviceCode.startsWith('NPRA-'))).toBe(true);
    const other = await signIn('editor@gdt.gov.bh');
    const theirs = await other
      .get('/admin/api/resources/ServicePaymentFigures/actions/list?perPage=100')
      .expect(200);
    const theirRows: { params: Record<string, string> }[] = theirs.body.records;
    expect(theirRows.length).toBeGreaterThan(0);
    expect(theirRows.every((r) => r.params.serviceCode.startsWith('GDT-'))).toBe(true);
  });

  it('counts payments gross by channel and takes refunds and reversals out of the net and the shares', async () => {
    const at = new Date('2024-06-10T08:00:00Z');
    const item = (
      ref: string,
      channel: TransactionInput['channel'],
      kind: TransactionInput['kind'],
      amount: bigint,
      originalRef?: string,
    ): TransactionInput => ({
      externalRef: ref,
      occurredAt: at,
      occurredAtText: at.toISOString(),
      serviceCode: 'MOH-0002',
      agencyCode: 'MOH',
      channel,
      kind,
      status: 'succeeded',
      amountFils: amount,
      feeFils: 0n,
      currency: 'BHD',
      ...(originalRef ? { originalRef } : {}),
    });
    await t
      .get(TransactionRunner)
      .run((tx) =>
        t
          .get(PaymentIngestService)
          .store(tx, SYSTEM_ACTOR, [
            item('FIG-1', 'web', 'payment', 10_000n),
            item('FIG-2', 'web', 'refund', 2_000n, 'FIG-1'),
            item('FIG-3', 'counter', 'payment', 5_000n),
            item('FIG-4', 'counter', 'reversal', 5_000n, 'FIG-3'),
            item('FIG-5', 'counter', 'payment', 2_000n),
          ]),
      );
    expect((await t.get(RegistryFiguresService).refresh()).changed).toBe(1);
    const res = await t.http().get('/v1/services/MOH-0002').expect(200);
    expect(res.body.figures).toEqual([
      {
        year: 2024,
        channels: [
          { channel: 'web', electronic: true, count: 1, grossFils: '10000', netFils: '8000' },
          { channel: 'counter', electronic: false, count: 2, grossFils: '7000', netFils: '2000' },
        ],
        // Net count: web 1, counter 2 - 1 reversed = 1; net value: 8000 web of 10000.
        electronicShare: { byCount: 0.5, byValue: 0.8 },
      },
    ]);
  });

  it('lists the services still run mostly on paper and counters', async () => {
    const low = await t.get(RegistryFiguresService).lowElectronicShare(2017, 0.5, null);
    expect(low.map((r) => r.code).sort()).toEqual(
      ['EWA-0001', 'GDT-0001', 'LMRA-0001', 'MOIC-0001', 'NPRA-0001'].sort(),
    );
    expect(await t.get(RegistryFiguresService).lowElectronicShare(2017, 0.4, null)).toEqual([]);
  });
});

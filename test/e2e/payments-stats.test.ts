import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentIngestService } from '../../src/modules/payments/services/payment-ingest.service.js';
import type { TransactionInput } from '../../src/modules/payments/domain/transaction-input.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

const tx = (ref: string, over: Partial<TransactionInput> & { at: string }): TransactionInput => {
  const occurredAt = new Date(over.at);
  return {
    externalRef: ref,
    occurredAt,
    occurredAtText: over.at,
    serviceCode: 'NPRA-0001',
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'payment',
    status: 'succeeded',
    amountFils: 1000n,
    feeFils: 10n,
    currency: 'BHD',
    ...over,
  };
};

describe('payments statistics API', () => {
  let t: TestApp;
  let npraRead: string;
  let national: string;
  let writeOnly: string;
  const get = (key: string, q: Record<string, string>) =>
    t.http().get('/v1/payments/stats').query(q).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    t = await startTestApp();
    const npra = await makeAgency(t, { code: 'NPRA' });
    await makeAgency(t, { code: 'GDT' });
    npraRead = (await makeApiClient(t, npra.id, ['payments:read'])).apiKey;
    national = (await makeApiClient(t, npra.id, ['reports:read'])).apiKey;
    writeOnly = (await makeApiClient(t, npra.id, ['payments:write'])).apiKey;
    const items = [
      // March 2026: NPRA web 2 × 1.000, counter 1 × 3.000, a refund of 0.500 on web; GDT mobile 10.000.
      tx('S-1', { at: '2026-03-10T10:00:00+03:00' }),
      tx('S-2', { at: '2026-03-31T23:59:00+03:00' }),
      tx('S-3', { at: '2026-03-15T10:00:00+03:00', channel: 'counter', amountFils: 3000n }),
      tx('S-4', {
        at: '2026-03-16T10:00:00+03:00',
        kind: 'refund',
        amountFils: 500n,
        originalRef: 'S-1',
      }),
      tx('S-5', {
        at: '2026-03-20T10:00:00+03:00',
        serviceCode: 'GDT-0001',
        agencyCode: 'GDT',
        channel: 'mobile',
        amountFils: 10000n,
      }),
      // Failed and pending do not count.
      tx('S-6', { at: '2026-03-20T10:00:00+03:00', status: 'failed', amountFils: 99999n }),
      tx('S-7', { at: '2026-03-20T10:00:00+03:00', status: 'pending', amountFils: 99999n }),
      // 2026-04-01 00:30 Bahrain is still 31 March in UTC: it belongs to April.
      tx('S-8', { at: '2026-03-31T21:30:00Z', amountFils: 7000n }),
      // February, for the comparison.
      tx('S-9', { at: '2026-02-10T10:00:00+03:00', channel: 'counter', amountFils: 2000n }),
    ];
    await t
      .get(TransactionRunner)
      .run((x) => t.get(PaymentIngestService).store(x, SYSTEM_ACTOR, items));
  }, 120_000);
  afterAll(() => t.close());

  it('gives national totals, electronic share by count and by value, and the previous period', async () => {
    const res = await get(national, { period: 'month', date: '2026-03' }).expect(200);
    expect(res.body.period).toEqual({
      kind: 'month',
      label: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(res.body.totals).toMatchObject({
      count: { payments: '4', refunds: '1', reversals: '0', net: '4' },
      grossFils: '15000',
      refundsFils: '500',
      netFils: '14500',
      feeFils: '50',
      netBhd: '14.500',
      electronic: { netCount: '3', netFils: '11500', netBhd: '11.500' },
      electronicShareByCount: 0.75,
      electronicShareByValue: 0.7931,
    });
    expect(res.body.previous.period.label).toBe('2026-02');
    expect(res.body.previous.totals).toMatchObject({ netFils: '2000', electronicShareByCount: 0 });
  });

  it('groups by channel, electronic, service, agency and kind, with bilingual labels', async () => {
    const by = async (groupBy: string) =>
      Object.fromEntries(
        (
          (await get(national, { period: 'month', date: '2026-03', groupBy }).expect(200)).body
            .groups as { key: string; netFils: string; grossFils: string; labelAr: string }[]
        ).map((g) => [g.key, g]),
      );
    const channel = await by('channel');
    expect(channel.web.netFils).toBe('1500');
    expect(channel.web.labelAr).toBe('البوابة الوطنية');
    expect(channel.counter.netFils).toBe('3000');
    const electronic = await by('electronic');
    expect(electronic.electronic.netFils).toBe('11500');
    expect(electronic.in_person.netFils).toBe('3000');
    expect((await by('service'))['GDT-0001'].netFils).toBe('10000');
    expect((await by('agency')).NPRA.netFils).toBe('4500');
    expect((await by('kind')).refund.grossFils).toBe('0');
  });

  it('counts a transaction in the Bahrain day it happened', async () => {
    const april = await get(national, { period: 'day', date: '2026-04-01' }).expect(200);
    expect(april.body.totals.netFils).toBe('7000');
    const q = await get(national, {
      period: 'custom',
      from: '2026-03-31',
      to: '2026-04-01',
    }).expect(200);
    expect(q.body.totals.netFils).toBe('8000');
    expect(q.body.previous.period).toMatchObject({ from: '2026-03-29', to: '2026-03-30' });
  });

  it('filters by service and agency; a payments:read client sees only its own agency', async () => {
    const gdt = await get(national, { period: 'quarter', date: '2026-Q1', agency: 'GDT' }).expect(
      200,
    );
    expect(gdt.body.totals.netFils).toBe('10000');
    const own = await get(npraRead, { period: 'quarter', date: '2026-Q1' }).expect(200);
    expect(own.body.filters.agency).toBe('NPRA');
    expect(own.body.totals.netFils).toBe('6500');
    const other = await get(npraRead, { period: 'quarter', date: '2026-Q1', agency: 'GDT' }).expect(
      403,
    );
    expect(other.body.code).toBe('OTHER_AGENCY');
    const svc = await get(national, { period: 'year', date: '2026', service: 'NPRA-0001' }).expect(
      200,
    );
    expect(svc.body.totals.netFils).toBe('13500');
  });

  it('refuses a client without a read scope and an anonymous caller', async () => {
    expect((await get(writeOnly, { period: 'year', date: '2026' }).expect(403)).body.code).toBe(
      'INSUFFICIENT_SCOPE',
    );
    await t.http().get('/v1/payments/stats').query({ period: 'year', date: '2026' }).expect(401);
  });

  it('names each bad query parameter', async () => {
    const res = await get(national, {
      period: 'month',
      date: '2026-13',
      groupBy: 'colour',
      agency: 'x',
    }).expect(400);
    expect(res.body.code).toBe('PAYMENTS_INVALID_STATS_QUERY');
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'query.agency',
      'query.date',
      'query.groupBy',
    ]);
    await get(national, { period: 'custom', from: '2026-03-10', to: '2026-03-01' }).expect(400);
    await get(national, { period: 'year', date: '2026', extra: '1' }).expect(400);
  });

  it('runs a reconciliation on demand for a reports:read client, finding nothing', async () => {
    const res = await t
      .http()
      .post('/v1/payments/reconciliations')
      .set('Authorization', `Bearer ${national}`)
      .send({ from: '2026-02-01', to: '2026-04-30' })
      .expect(200);
    expect(res.body).toMatchObject({ differences: [], repaired: false });
    expect(res.body.rollupRowsChecked).toBeGreaterThan(0);
    await t
      .http()
      .post('/v1/payments/reconciliations')
      .set('Authorization', `Bearer ${national}`)
      .send({ from: '2026-02-01', to: '2026-04-30', repair: true })
      .expect(403);
    await t
      .http()
      .post('/v1/payments/reconciliations')
      .set('Authorization', `Bearer ${npraRead}`)
      .send({ from: '2026-02-01', to: '2026-04-30' })
      .expect(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { RegistryService } from '../../src/modules/registry/services/registry.service.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { AuditService } from '../../src/platform/audit/audit.service.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

const PROBLEM = /^application\/problem\+json/;
let refSeq = 0;

describe('payments ingest API', () => {
  let t: TestApp;
  let npraKey: string;
  let otherKey: string;
  let readKey: string;
  let service: string;
  const item = (over: Record<string, unknown> = {}) => ({
    externalRef: `E2E-${++refSeq}`,
    occurredAt: '2026-03-01T09:30:00+03:00',
    serviceCode: service,
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'payment',
    status: 'succeeded',
    amountFils: '12500',
    feeFils: '0',
    currency: 'BHD',
    ...over,
  });
  const post = (key: string, idem: string | null, body: unknown) => {
    const r = t.http().post('/v1/payments/transactions').set('Authorization', `Bearer ${key}`);
    if (idem) r.set('Idempotency-Key', idem);
    return r.send(body as object);
  };
  const stats = (key: string, q: Record<string, string>) =>
    t.http().get('/v1/payments/stats').query(q).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    t = await startTestApp();
    await t.get(RegistryDemoSeeder).seed();
    const codes = await t.get(RegistryService).listPublishedCodes();
    service = codes.find((c) => c.startsWith('NPRA-'))!;
    const npra = (await t.get(AgencyService).findByCode('NPRA'))!;
    npraKey = (await makeApiClient(t, npra.id, ['payments:write', 'payments:read'])).apiKey;
    const other = await makeAgency(t, { code: 'OTHR' });
    otherKey = (await makeApiClient(t, other.id, ['payments:write', 'payments:read'])).apiKey;
    readKey = (await makeApiClient(t, npra.id, ['reports:read'])).apiKey;
  }, 300_000);
  afterAll(() => t.close());

  it('stores a batch and counts it in the statistics of its day', async () => {
    const res = await post(npraKey, 'k-basic', {
      items: [item(), item({ channel: 'counter', amountFils: '7500' })],
    }).expect(201);
    expect(res.body).toEqual({ received: 2, inserted: 2, duplicates: 0, duplicateRefs: [] });
    const s = await stats(npraKey, { period: 'day', date: '2026-03-01' }).expect(200);
    expect(s.body.totals.count.payments).toBe('2');
    expect(s.body.totals.netFils).toBe('20000');
    expect(s.body.totals.netBhd).toBe('20.000');
    expect(s.body.totals.electronicShareByCount).toBe(0.5);
    expect(s.body.totals.electronicShareByValue).toBe(0.625);
  });

  it('requires an Idempotency-Key', async () => {
    const res = await post(npraKey, null, { items: [item()] }).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('PAYMENTS_IDEMPOTENCY_KEY_REQUIRED');
  });

  it('refuses a client without payments:write and a request without a key', async () => {
    await post(readKey, 'k-scope', { items: [item()] }).expect(403);
    await t
      .http()
      .post('/v1/payments/transactions')
      .set('Idempotency-Key', 'x')
      .send({ items: [item()] })
      .expect(401);
  });

  it('replays the first answer for the same key and body, and refuses another body', async () => {
    const body = { items: [item({ occurredAt: '2026-03-02T10:00:00+03:00' })] };
    const first = await post(npraKey, 'k-replay', body).expect(201);
    const again = await post(npraKey, 'k-replay', body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await post(npraKey, 'k-replay', { items: [item()] }).expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const s = await stats(npraKey, { period: 'day', date: '2026-03-02' }).expect(200);
    expect(s.body.totals.count.payments).toBe('1');
  });

  it('stores the batch once when 50 identical requests race', async () => {
    const body = {
      items: Array.from({ length: 20 }, () => item({ occurredAt: '2026-03-03T10:00:00+03:00' })),
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(npraKey, 'k-race', body)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    for (const a of answers)
      expect(a.body).toEqual({ received: 20, inserted: 20, duplicates: 0, duplicateRefs: [] });
    const s = await stats(npraKey, { period: 'day', date: '2026-03-03' }).expect(200);
    expect(s.body.totals.count.payments).toBe('20');
    const [facts] = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM payment_transaction WHERE occurred_at::date = '2026-03-03'",
    );
    expect(facts.n).toBe('20');
  });

  it('names every invalid record by index and field, and stores nothing', async () => {
    const res = await post(npraKey, 'k-invalid', {
      items: [
        item({ externalRef: 'GOOD-1', occurredAt: '2026-03-04T10:00:00+03:00' }),
        item({ amountFils: 12.5 }),
        item({ channel: 'fax', currency: 'USD' }),
      ],
    }).expect(400);
    expect(res.body.code).toBe('PAYMENTS_INVALID_BATCH');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['items[1].amountFils', 'items[2].channel', 'items[2].currency']);
    const s = await stats(npraKey, { period: 'day', date: '2026-03-04' }).expect(200);
    expect(s.body.totals.count.payments).toBe('0');
    // The key was not used up by the refused batch.
    await post(npraKey, 'k-invalid', {
      items: [item({ occurredAt: '2026-03-04T10:00:00+03:00' })],
    }).expect(201);
  });

  it('refuses an empty batch and one of 1001 items', async () => {
    expect((await post(npraKey, 'k-empty', { items: [] }).expect(400)).body.errors[0].field).toBe(
      'items',
    );
    const big = { items: Array.from({ length: 1001 }, () => item()) };
    expect((await post(npraKey, 'k-big', big).expect(400)).body.errors[0].reason).toBe('length');
  });

  it('lets an e-service report only for its own agency', async () => {
    const res = await post(otherKey, 'k-other', { items: [item()] }).expect(403);
    expect(res.body.code).toBe('OTHER_AGENCY');
    expect(res.body.errors[0].field).toBe('items[0].agencyCode');
  });

  it('checks service codes against the registry', async () => {
    const res = await post(npraKey, 'k-unknown', {
      items: [item({ serviceCode: 'NPRA-9999' })],
    }).expect(422);
    expect(res.body.code).toBe('PAYMENTS_UNKNOWN_SERVICE');
    expect(res.body.errors[0].field).toBe('items[0].serviceCode');
  });

  it('checks every service code of a batch with several, naming each bad item', async () => {
    const codes = await t.get(RegistryService).listPublishedCodes();
    const second = codes.find((c) => c.startsWith('NPRA-') && c !== service)!;
    const foreign = codes.find((c) => !c.startsWith('NPRA-'))!;
    const unknown = await post(npraKey, 'k-several-1', {
      items: [item(), item({ serviceCode: 'NPRA-9999' }), item({ serviceCode: second })],
    }).expect(422);
    expect(unknown.body.code).toBe('PAYMENTS_UNKNOWN_SERVICE');
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'items[1].serviceCode',
    ]);
    const other = await post(npraKey, 'k-several-2', {
      items: [item({ serviceCode: second }), item(), item({ serviceCode: foreign })],
    }).expect(422);
    expect(other.body.code).toBe('PAYMENTS_SERVICE_OF_OTHER_AGENCY');
    expect(other.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'items[2].serviceCode',
    ]);
    const ok = await post(npraKey, 'k-several-3', {
      items: [item({ serviceCode: second }), item()],
    }).expect(201);
    expect(ok.body.inserted).toBe(2);
  });

  it('counts a resend under a new key as duplicates, and refuses a changed resend', async () => {
    const one = item({ occurredAt: '2026-03-05T10:00:00+03:00' });
    await post(npraKey, 'k-dup-1', { items: [one] }).expect(201);
    const again = await post(npraKey, 'k-dup-2', { items: [one] }).expect(201);
    expect(again.body).toMatchObject({
      inserted: 0,
      duplicates: 1,
      duplicateRefs: [one.externalRef],
    });
    const changed = await post(npraKey, 'k-dup-3', { items: [{ ...one, amountFils: '1' }] }).expect(
      409,
    );
    expect(changed.body.code).toBe('PAYMENTS_DUPLICATE_EXTERNAL_REF');
    const s = await stats(npraKey, { period: 'day', date: '2026-03-05' }).expect(200);
    expect(s.body.totals.netFils).toBe('12500');
  });

  it('nets refunds and reversals, and refuses one whose payment was never reported', async () => {
    const pay = item({ occurredAt: '2026-03-06T10:00:00+03:00', amountFils: '10000' });
    await post(npraKey, 'k-pay', { items: [pay] }).expect(201);
    await post(npraKey, 'k-refund', {
      items: [
        item({
          occurredAt: '2026-03-06T11:00:00+03:00',
          kind: 'refund',
          amountFils: '4000',
          originalRef: pay.externalRef,
        }),
      ],
    }).expect(201);
    const missing = await post(npraKey, 'k-refund-2', {
      items: [
        item({
          occurredAt: '2026-03-06T11:00:00+03:00',
          kind: 'reversal',
          originalRef: 'NEVER-SENT',
        }),
      ],
    }).expect(422);
    expect(missing.body.code).toBe('PAYMENTS_ORIGINAL_NOT_FOUND');
    const s = await stats(npraKey, { period: 'day', date: '2026-03-06' }).expect(200);
    expect(s.body.totals).toMatchObject({
      grossFils: '10000',
      refundsFils: '4000',
      netFils: '6000',
    });
    expect(s.body.totals.count).toMatchObject({ payments: '1', refunds: '1', net: '1' });
  });

  it('moves a pending payment into the succeeded figures, once', async () => {
    const p = item({
      occurredAt: '2026-03-07T10:00:00+03:00',
      status: 'pending',
      amountFils: '5000',
    });
    await post(npraKey, 'k-pending', { items: [p] }).expect(201);
    let s = await stats(npraKey, { period: 'day', date: '2026-03-07' }).expect(200);
    expect(s.body.totals.netFils).toBe('0');
    const patch = (key: string, status: string) =>
      t
        .http()
        .patch(`/v1/payments/transactions/${p.externalRef}`)
        .set('Authorization', `Bearer ${key}`)
        .send({ status });
    await patch(otherKey, 'succeeded').expect(404);
    const ok = await patch(npraKey, 'succeeded').expect(200);
    expect(ok.body).toEqual({
      externalRef: p.externalRef,
      previousStatus: 'pending',
      status: 'succeeded',
    });
    const again = await patch(npraKey, 'failed').expect(409);
    expect(again.body.code).toBe('PAYMENTS_STATUS_TRANSITION_NOT_ALLOWED');
    await patch(npraKey, 'pending').expect(400);
    s = await stats(npraKey, { period: 'day', date: '2026-03-07' }).expect(200);
    expect(s.body.totals.netFils).toBe('5000');
  });

  it('audits every stored batch and status change in the hash chain, and not a refused batch', async () => {
    const p = item({ occurredAt: '2026-03-09T10:00:00+03:00', status: 'pending' });
    const stored = await post(npraKey, 'k-audited', {
      items: [p, item({ occurredAt: '2026-03-09T11:00:00+03:00' })],
    }).expect(201);
    const changed = await t
      .http()
      .patch(`/v1/payments/transactions/${p.externalRef}`)
      .set('Authorization', `Bearer ${npraKey}`)
      .send({ status: 'succeeded' })
      .expect(200);
    const refused = await post(npraKey, 'k-audit-refused', {
      items: [item({ occurredAt: '2026-03-09T12:00:00+03:00', serviceCode: 'NPRA-9999' })],
    }).expect(422);
    const ids = [stored, changed, refused].map((r) => String(r.headers['x-correlation-id']));
    // Queued in the request's transaction and sealed right after its commit, without being asked.
    const entries = () =>
      t.db.query<{ correlation_id: string; action: string; object_id: string | null }>(
        `SELECT correlation_id, action, object_id, details FROM audit_event
         WHERE correlation_id = ANY($1) ORDER BY seq`,
        [ids],
      );
    for (let waited = 0; (await entries()).length < 2 && waited < 5000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(await entries()).toEqual([
      {
        correlation_id: ids[0],
        action: 'payments.transactions.report',
        object_id: null,
        details: { received: 2, inserted: 2, duplicates: 0, source: 'api' },
      },
      {
        correlation_id: ids[1],
        action: 'payments.transaction.status',
        object_id: `NPRA:${p.externalRef}`,
        details: { from: 'pending', to: 'succeeded' },
      },
    ]);
    expect((await t.get(AuditService).verify()).ok).toBe(true);
  });

  it('round-trips money edge cases exactly: 1 fils, 2^31 fils, 74,000,000.000 BHD', async () => {
    const day = '2026-03-08T10:00:00+03:00';
    await post(npraKey, 'k-money', {
      items: [
        item({ occurredAt: day, amountFils: '1' }),
        item({ occurredAt: day, amountFils: String(2 ** 31) }),
        item({ occurredAt: day, amountFils: '74000000000' }),
      ],
    }).expect(201);
    const s = await stats(npraKey, { period: 'day', date: '2026-03-08' }).expect(200);
    expect(s.body.totals.netFils).toBe((1n + 2n ** 31n + 74_000_000_000n).toString());
    expect(s.body.totals.netBhd).toBe('76147483.649');
  });
});

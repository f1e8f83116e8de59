import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TransactionInput } from '../../src/modules/payments/domain/transaction-input.js';
import { PaymentIngestService } from '../../src/modules/payments/services/payment-ingest.service.js';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { countServed, seen } from '../support/lean-routes.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * `GET /v1/payments/stats` has a lean route (`payments-fast-routes.ts`) for a plain query from a
 * client with an API key. What it serves must be exactly what `PaymentsController` serves; what
 * it declines (other credentials, unknown or repeated parameters, bad queries, missing scope,
 * another agency, unknown or revoked keys) must be the controller's answer as before, counted
 * once by the rate limit.
 */
describe('payments statistics lean route', () => {
  let t: TestApp;
  let national: string;
  let npraRead: string;
  let writeOnly: string;
  let served = new Map<string, number>();
  const servedHere = () => served.get('/v1/payments/stats') ?? 0;

  const at = (
    ref: string,
    when: string,
    over: Partial<TransactionInput> = {},
  ): TransactionInput => ({
    externalRef: ref,
    occurredAt: new Date(when),
    occurredAtText: when,
    serviceCode: 'NPRA-0001',
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'payment',
    status: 'succeeded',
    amountFils: 1250n,
    feeFils: 25n,
    currency: 'BHD',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '500' });
    const npra = await makeAgency(t, { code: 'NPRA' });
    await makeAgency(t, { code: 'GDT' });
    national = (await makeApiClient(t, npra.id, ['reports:read'])).apiKey;
    npraRead = (await makeApiClient(t, npra.id, ['payments:read'])).apiKey;
    writeOnly = (await makeApiClient(t, npra.id, ['payments:write'])).apiKey;
    await t.get(TransactionRunner).run((x) =>
      t.get(PaymentIngestService).store(x, SYSTEM_ACTOR, [
        at('F-1', '2026-03-10T10:00:00+03:00'),
        at('F-2', '2026-03-11T10:00:00+03:00', { channel: 'counter', amountFils: 4000n }),
        at('F-3', '2026-03-12T10:00:00+03:00', {
          kind: 'refund',
          amountFils: 250n,
          originalRef: 'F-1',
        }),
        at('F-4', '2026-03-20T10:00:00+03:00', {
          agencyCode: 'GDT',
          serviceCode: 'GDT-0001',
          channel: 'mobile',
          amountFils: 9000n,
        }),
        at('F-5', '2026-02-02T10:00:00+03:00', { channel: 'kiosk', amountFils: 700n }),
      ]),
    );
    served = countServed(t, (r) => r.path === '/v1/payments/stats');
  }, 120_000);
  afterAll(() => t.close());

  /** Through the lean route: the key as `Authorization: Bearer`. */
  const fast = (key: string, query: string) =>
    t
      .http()
      .get(`/v1/payments/stats${query}`)
      .set('Authorization', `Bearer ${key}`)
      .set('X-Correlation-Id', 'same-1');
  /** Through the controller: the same key as `X-Api-Key`, which the lean route leaves to it. */
  const nest = (key: string, query: string) =>
    t
      .http()
      .get(`/v1/payments/stats${query}`)
      .set('X-Api-Key', key)
      .set('X-Correlation-Id', 'same-1');

  it('answers a plain query itself, exactly as the controller does', async () => {
    const cases: [string, string][] = [
      [national, '?period=month&date=2026-03&groupBy=channel'],
      [national, '?period=month&date=2026-03&groupBy=agency'],
      [national, '?period=quarter&date=2026-Q1&groupBy=electronic'],
      [national, '?period=custom&from=2026-02-01&to=2026-03-15&service=NPRA-0001&groupBy=kind'],
      [national, '?period=year&date=2026&agency=GDT'],
      [npraRead, '?period=month&date=2026-03&groupBy=service'],
    ];
    for (const [key, query] of cases) {
      const before = servedHere();
      const a = await fast(key, query);
      expect(servedHere()).toBe(before + 1);
      const b = await nest(key, query);
      expect(servedHere()).toBe(before + 1);
      expect(a.status).toBe(200);
      expect(seen(a)).toEqual(seen(b));
    }
    // And the figures are the month's: 1.250 + 4.000 − 0.250 for NPRA, 9.000 for GDT.
    const march = await fast(national, '?period=month&date=2026-03');
    expect(march.body.totals.netFils).toBe('14000');
    expect(march.body.previous.totals.netFils).toBe('700');
    const own = await fast(npraRead, '?period=month&date=2026-03');
    expect(own.body.filters.agency).toBe('NPRA');
    expect(own.body.totals.netFils).toBe('5000');
  });

  it('leaves every problem to the controller, which answers as before', async () => {
    const revoked = await makeApiClient(t, (await makeAgency(t, { code: 'LMRA' })).id, [
      'reports:read',
    ]);
    await t.get(ApiClientService).revoke(t.admin, revoked.client.id);
    const cases: [string, string, number, string][] = [
      [national, '?period=month&date=2026-13', 400, 'PAYMENTS_INVALID_STATS_QUERY'],
      [national, '', 400, 'PAYMENTS_INVALID_STATS_QUERY'],
      [national, '?period=month&date=2026-03&colour=red', 400, 'VALIDATION_FAILED'],
      [national, '?period=month&date=2026-03&date=2026-04', 400, 'VALIDATION_FAILED'],
      [writeOnly, '?period=month&date=2026-03', 403, 'INSUFFICIENT_SCOPE'],
      [npraRead, '?period=month&date=2026-03&agency=GDT', 403, 'OTHER_AGENCY'],
      [revoked.apiKey, '?period=month&date=2026-03', 401, ''],
      [`dwn_${'0'.repeat(16)}_${'x'.repeat(43)}`, '?period=month', 401, ''],
    ];
    for (const [key, query, status, code] of cases) {
      const before = servedHere();
      const a = await fast(key, query);
      expect(servedHere()).toBe(before);
      expect(a.status).toBe(status);
      expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (code) expect(a.body.code).toBe(code);
      expect(seen(a)).toEqual(seen(await nest(key, query)));
    }
    // No credential at all, and a staff-style bearer token that is not an API key.
    const anonymous = await t.http().get('/v1/payments/stats?period=month');
    expect(anonymous.status).toBe(401);
    const other = await t
      .http()
      .get('/v1/payments/stats?period=month')
      .set('Authorization', 'Bearer not-a-key');
    expect(other.status).toBe(401);
  });

  it('counts a request once, whether served or left to the controller', async () => {
    const key = (
      await makeApiClient(t, (await makeAgency(t, { code: 'EWA' })).id, ['reports:read'])
    ).apiKey;
    const remaining = async (query: string) =>
      Number((await fast(key, query)).headers['ratelimit-remaining']);
    const first = await remaining('?period=month&date=2026-03');
    expect(await remaining('?period=month&date=2026-13')).toBe(first - 1);
    expect(await remaining('?period=month&date=2026-03')).toBe(first - 2);
  });
});

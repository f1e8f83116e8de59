import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { PublicFastRoutes } from '../../src/platform/http/public-fast-routes.js';
import { countServed, seen } from '../support/lean-routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The registry's lean routes (`catalogue-fast-routes.ts`) answer the plain service page and
 * search from the server's request listener, before Express and Nest. What they serve must be exactly what the controller serves;
 * whatever they decline (a query string on the page, a search query the DTO's fast check does
 * not accept, not found) must be the controller's answer as before; and the rate limit applies
 * to them as to any route.
 */
describe('registry lean public routes', () => {
  let t: TestApp;
  /** Requests each lean route has answered itself (a counter around its Express handler). */
  let served = new Map<string, number>();
  let bucket = 0;
  /** A rate-limit bucket of its own for each test (the guard counts per API key id). */
  const client = () => `Bearer dwn_${(0xabc0000000000000n + BigInt(++bucket)).toString(16)}_x`;

  beforeAll(async () => {
    // One trusted proxy: the address a request is counted and logged under is X-Forwarded-For's.
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '20', TRUST_PROXY: '1' });
    await t.get(RegistryDemoSeeder).seed();
    // Count what each lean route serves itself.
    served = countServed(t);
  });
  afterAll(() => t.close());

  const get = (path: string, auth: string, headers: Record<string, string> = {}) => {
    const req = t.http().get(path).set('Authorization', auth).set('X-Correlation-Id', 'same-1');
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req;
  };

  it('registers the service page and the search as lean routes', () => {
    const paths = t.get(PublicFastRoutes).routes.map((r) => r.path);
    expect(paths.filter((p) => p.startsWith('/v1/services'))).toEqual([
      '/v1/services',
      '/v1/services/:code',
    ]);
  });

  it('serves a service page exactly as the controller does, 200 and 304, in both languages', async () => {
    const auth = client();
    for (const lang of ['ar', 'en']) {
      const before = served.get('/v1/services/:code') ?? 0;
      const fast = await get('/v1/services/NPRA-0001', auth, { 'Accept-Language': lang });
      expect(served.get('/v1/services/:code')).toBe(before + 1);
      // A query string (the current version asked for): the lean route declines it.
      const nest = await get('/v1/services/NPRA-0001?version=1', auth, { 'Accept-Language': lang });
      expect(served.get('/v1/services/:code')).toBe(before + 1);
      expect(fast.status).toBe(200);
      expect(seen(fast)).toEqual(seen(nest));
      expect(fast.headers['ratelimit-limit']).toBe('20');

      const etag = fast.headers.etag;
      const fast304 = await get('/v1/services/NPRA-0001', auth, {
        'Accept-Language': lang,
        'If-None-Match': `W/${etag}`,
      });
      const nest304 = await get('/v1/services/NPRA-0001?version=1', auth, {
        'Accept-Language': lang,
        'If-None-Match': `W/${etag}`,
      });
      expect(fast304.status).toBe(304);
      expect(seen(fast304)).toEqual(seen(nest304));
    }
  });

  it('serves a search exactly as the controller does', async () => {
    const auth = client();
    for (const [q, lang] of [
      ['تجديد جواز السفر', 'ar'],
      ['passport renewal', 'en'],
      ['جوزات', 'ar'], // a typo: the approximate page
    ]) {
      const before = served.get('/v1/services') ?? 0;
      const fast = await get(`/v1/services?q=${encodeURIComponent(q)}&limit=20`, auth, {
        'Accept-Language': lang,
      });
      expect(served.get('/v1/services')).toBe(before + 1);
      // `limit=020` is valid for class-validator but not for the DTO's fast check.
      const nest = await get(`/v1/services?q=${encodeURIComponent(q)}&limit=020`, auth, {
        'Accept-Language': lang,
      });
      expect(served.get('/v1/services')).toBe(before + 1);
      expect(fast.status).toBe(200);
      expect(JSON.parse(fast.text).items.length).toBeGreaterThan(0);
      expect(Number(fast.headers['content-length'])).toBe(Buffer.byteLength(fast.text));
      expect(seen(fast)).toEqual(seen(nest));
    }
  });

  it('answers from the row it reads: an agency renamed since the page was last sent shows at once', async () => {
    const auth = client();
    const page = async () =>
      JSON.parse((await get('/v1/services/NPRA-0003', auth, { 'Accept-Language': 'en' })).text) as {
        agency: { nameEn: string };
        schemaOrg: { provider: { name: string } };
      };
    const before = await page();
    expect((await page()).agency.nameEn).toBe(before.agency.nameEn);
    const db = t.get(DataSource);
    await db.query(`UPDATE agency SET name_en = name_en || ' (renamed)' WHERE code = 'NPRA'`);
    try {
      const after = await page();
      expect(after.agency.nameEn).toBe(`${before.agency.nameEn} (renamed)`);
      expect(JSON.stringify(after.schemaOrg)).toContain(`${before.agency.nameEn} (renamed)`);
    } finally {
      await db.query(
        `UPDATE agency SET name_en = replace(name_en, ' (renamed)', '') WHERE code = 'NPRA'`,
      );
    }
    expect((await page()).agency.nameEn).toBe(before.agency.nameEn);
  });

  it('leaves problems to the controller: bad code, not found, bad version, unknown parameter, bad cursor', async () => {
    const auth = client();
    const before = { ...Object.fromEntries(served) };
    const bad = await get('/v1/services/not%20a%20code', auth).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.code).toBe('REGISTRY_INVALID_CODE');
    expect((await get('/v1/services/NPRA-9999', auth).expect(404)).body.code).toBe(
      'REGISTRY_SERVICE_NOT_FOUND',
    );
    expect((await get('/v1/services/NPRA-0001?version=7', auth).expect(404)).body.code).toBe(
      'REGISTRY_EDITION_NOT_FOUND',
    );
    expect((await get('/v1/services?qq=1', auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const cursor = await get('/v1/services?cursor=nonsense', auth).expect(400);
    expect(cursor.body.code).toBe('REGISTRY_INVALID_CURSOR');
    expect(cursor.body.correlationId).toBe('same-1');
    expect(Object.fromEntries(served)).toEqual(before);
  });

  it('counts a request once when the lean route leaves it to the controller', async () => {
    const auth = client();
    const first = await get('/v1/services/NPRA-0001', auth).expect(200);
    expect(first.headers['ratelimit-remaining']).toBe('19');
    const notFound = await get('/v1/services/NPRA-9999', auth).expect(404);
    expect(notFound.headers['ratelimit-remaining']).toBe('18');
  });

  it('rate-limits the lean routes like any other route', async () => {
    const auth = client();
    for (let i = 0; i < 10; i++) {
      await get('/v1/services/NPRA-0001', auth).expect(200);
      await get('/v1/services?q=passport', auth).expect(200);
    }
    for (const path of ['/v1/services/NPRA-0001', '/v1/services?q=passport']) {
      const limited = await get(path, auth).expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['ratelimit-remaining']).toBe('0');
    }
  });

  it('answers HEAD as the controller does, without a body', async () => {
    const auth = client();
    const before = served.get('/v1/services/:code') ?? 0;
    const fast = await t.http().head('/v1/services/NPRA-0001').set('Authorization', auth);
    expect(served.get('/v1/services/:code')).toBe(before + 1);
    const nest = await t.http().head('/v1/services/NPRA-0001?version=1').set('Authorization', auth);
    expect(fast.status).toBe(200);
    expect(fast.text).toBeFalsy();
    const { 'x-correlation-id': a, ...fastHeaders } = seen(fast).headers;
    const { 'x-correlation-id': b, ...nestHeaders } = seen(nest).headers;
    expect(fastHeaders).toEqual(nestHeaders);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).not.toBe(a);
  });

  it('leaves to Express what it would route differently: a body, another letter case, a trailing slash', async () => {
    const auth = client();
    const before = served.get('/v1/services/:code') ?? 0;
    const withBody = await get('/v1/services/NPRA-0001', auth)
      .set('Content-Type', 'application/json')
      .send('{"a":');
    // Express's body parser sees it first, as it did before the lean routes.
    expect(withBody.status).toBe(400);
    expect(withBody.body.code).toBe('MALFORMED_JSON');
    expect((await get('/v1/services/NPRA-0001/', auth)).status).toBe(200);
    expect((await get('/V1/services/NPRA-0001', auth)).status).toBe(200);
    expect(served.get('/v1/services/:code')).toBe(before);
  });

  it('counts and logs a request under the address the trusted proxy forwarded', async () => {
    const from = (ip: string) =>
      t.http().get('/v1/services/NPRA-0002').set('X-Forwarded-For', `198.51.100.9, ${ip}`);
    const before = served.get('/v1/services/:code') ?? 0;
    expect((await from('203.0.113.71')).headers['ratelimit-remaining']).toBe('19');
    expect((await from('203.0.113.71')).headers['ratelimit-remaining']).toBe('18');
    expect((await from('203.0.113.72')).headers['ratelimit-remaining']).toBe('19');
    expect(served.get('/v1/services/:code')).toBe(before + 3);
    const ips = t.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request' && l.url === '/v1/services/NPRA-0002')
      .map((l) => l.ip);
    expect(ips).toEqual(['203.0.113.71', '203.0.113.71', '203.0.113.72']);
  });

  it('logs a declined request once, with the correlation id the client sees', async () => {
    const res = await t
      .http()
      .get('/v1/services/NPRA-9998')
      .set('Authorization', client())
      .expect(404);
    const id = res.headers['x-correlation-id'];
    expect(res.body.correlationId).toBe(id);
    const lines = t.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request' && l.correlationId === id);
    expect(lines).toEqual([
      expect.objectContaining({ status: 404, url: '/v1/services/NPRA-9998' }),
    ]);
  });

  it('labels the latency of a lean route with its route, as Nest labels its own', async () => {
    await get('/v1/services/NPRA-0001', client()).expect(200);
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /diwan_http_request_duration_seconds_count\{[^}]*route="\/v1\/services\/:code"[^}]*status="200"[^}]*\} [1-9]/,
    );
  });

  it('writes the same access-log line for a lean route as for the controller', () => {
    const lines = t.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request' && l.url === '/v1/services/NPRA-0001');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines)
      expect(Object.keys(l).sort()).toEqual(
        ['correlationId', 'method', 'url', 'status', 'ms', 'ip', 'msg', 'level', 'time', 'app']
          .filter((k) => k in lines[0])
          .sort(),
      );
  });
});

import { StaffService } from '../../src/platform/auth/staff.service.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  makeAgency,
  makeApiClient,
  startTestApp,
  TEST_ADMIN,
  type TestApp,
} from '../support/test-app.js';
import { inOneRateWindow } from '../support/rate-window.js';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP platform', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp({ HTTP_BODY_LIMIT_KB: '4' });
    const agency = await makeAgency(t, {
      code: 'IGA',
      nameAr: 'هيئة المعلومات والحكومة الإلكترونية',
      nameEn: 'Information & eGovernment Authority',
    });
    await makeAgency(t, {
      code: 'IGAU',
      nameAr: 'إدارة الخدمات',
      nameEn: 'Services Directorate',
      parentId: agency.id,
    });
    key = (await makeApiClient(t, agency.id, ['payments:write'])).apiKey;
  });
  afterAll(() => t.close());

  it('says it is live and ready, naming the modes it runs in', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.queues.mode).toBe(process.env.REDIS_URL ? 'bull' : 'in-process');
  });

  it('serves the agencies as a bilingual tree', async () => {
    const res = await t.http().get('/v1/agencies').expect(200);
    const iga = res.body.find((a: { code: string }) => a.code === 'IGA');
    expect(iga.nameAr).toBe('هيئة المعلومات والحكومة الإلكترونية');
    expect(iga.children.map((c: { code: string }) => c.code)).toEqual(['IGAU']);
  });

  it('gives every response a correlation id, echoing a safe one from the caller', async () => {
    const res = await t
      .http()
      .get('/health/live')
      .set('X-Correlation-Id', 'ticket-4711')
      .expect(200);
    expect(res.headers['x-correlation-id']).toBe('ticket-4711');
    const evil = await t
      .http()
      .get('/health/live')
      .set('X-Correlation-Id', 'a b\tc<script>')
      .expect(200);
    expect(evil.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.logs.text()).toContain('"correlationId":"ticket-4711"');
  });

  it('sends the security headers on every response, errors included', async () => {
    for (const path of ['/health/live', '/v1/no-such-route']) {
      const res = await t.http().get(path);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('writes one access-log line per request, with its correlation id and without the query string', async () => {
    await t.http().get('/health/live?secret=1').set('X-Correlation-Id', 'log-line-1').expect(200);
    const line = t.logs
      .text()
      .split('\n')
      .find((l) => l.includes('"correlationId":"log-line-1"') && l.includes('"msg":"request"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      method: 'GET',
      url: '/health/live',
      status: 200,
      correlationId: 'log-line-1',
    });
    expect(line).not.toContain('secret');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t
      .http()
      .post('/v1/me')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'MALFORMED_JSON',
      type: 'urn:diwan:error:MALFORMED_JSON',
    });
    expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
  });

  it('answers an oversized body with 413', async () => {
    const res = await t
      .http()
      .post('/v1/me')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(10_000) }))
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http().get('/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('requires an API key, refuses a bad one, and accepts a good one', async () => {
    expect((await t.http().get('/v1/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect(
      (
        await t
          .http()
          .get('/v1/me')
          .set('Authorization', 'Bearer dwn_0123456789abcdef_' + 'x'.repeat(43))
          .expect(401)
      ).body.code,
    ).toBe('INVALID_CREDENTIALS');
    const me = await t.http().get('/v1/me').set('Authorization', `Bearer ${key}`).expect(200);
    expect(me.body.scopes).toEqual(['payments:write']);
  });

  it('never writes an API key or a cookie into the logs', () => {
    expect(t.logs.text()).not.toContain(key);
    expect(t.logs.text()).not.toContain(key.slice('dwn_'.length + 17));
  });

  it('publishes its OpenAPI document and the docs page', async () => {
    const doc = await t.http().get('/openapi.json').expect(200);
    expect(doc.body.paths['/v1/agencies']).toBeDefined();
    await t.http().get('/docs').expect(200);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.text).toContain('diwan_http_request_duration_seconds');
  });
});

describe('back office sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '12' });
  });
  afterAll(() => t.close());

  it('signs the admin in, keeps the session in PostgreSQL, and lists staff', async () => {
    const agent = t.http();
    await agent.get('/admin/login').expect(200);
    const login = await agent
      .post('/admin/login')
      .field('email', TEST_ADMIN.email)
      .field('password', TEST_ADMIN.password)
      .expect(302);
    expect(login.headers.location).toBe('/admin');
    expect(String(login.headers['set-cookie'])).toMatch(/diwan_admin=.*HttpOnly/i);
    const [{ n }] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM admin_session');
    expect(Number(n)).toBeGreaterThan(0);
    const list = await agent.get('/admin/api/resources/StaffMember/actions/list').expect(200);
    expect(list.body.records.map((r: { params: { email: string } }) => r.params.email)).toContain(
      TEST_ADMIN.email,
    );
    expect(JSON.stringify(list.body)).not.toContain('argon2');
  });

  it('refuses a wrong password and keeps the visitor out', async () => {
    const agent = t.http();
    const login = await agent
      .post('/admin/login')
      .field('email', TEST_ADMIN.email)
      .field('password', 'not the password');
    expect(login.status).not.toBe(302);
    expect(login.text).toContain('invalidCredentials');
    const res = await agent.get('/admin/api/resources/StaffMember/actions/list');
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.body?.records).toBeUndefined();
  });

  it('creates an API client through its service, shows the key once and audits it', async () => {
    const agent = t.http();
    await agent
      .post('/admin/login')
      .field('email', TEST_ADMIN.email)
      .field('password', TEST_ADMIN.password)
      .expect(302);
    const agency = await makeAgency(t);
    const res = await agent
      .post('/admin/api/resources/ApiClient/actions/new')
      .field('name', 'Sijilat portal')
      .field('agencyId', agency.id)
      .field('scopes.0', 'payments:write')
      .expect(200);
    const key = /dwn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(res.body.notice.message)?.[0];
    expect(key).toBeDefined();
    await t.http().get('/v1/me').set('Authorization', `Bearer ${key}`).expect(200);
    const shown = await agent
      .get(`/admin/api/resources/ApiClient/records/${res.body.record.id}/show`)
      .expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(key!.slice('dwn_'.length + 17));
    const audit = await t.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_event WHERE action = 'api_client.create' AND object_id = $1",
      [res.body.record.id],
    );
    expect(audit).toEqual([{ actor_label: TEST_ADMIN.email }]);
  });

  it('keeps staff management away from everyone but admins', async () => {
    await t.get(StaffService).create(t.admin, {
      email: 'auditor@gov.bh',
      name: 'Auditor',
      role: 'auditor',
      password: 'auditor passphrase 1',
    });
    const agent = t.http();
    await agent
      .post('/admin/login')
      .field('email', 'auditor@gov.bh')
      .field('password', 'auditor passphrase 1')
      .expect(302);
    const staff = await agent.get('/admin/api/resources/StaffMember/actions/list');
    // AdminJS answers a refused action with 200 and a ForbiddenError notice, and no records.
    expect(staff.body.notice).toEqual({ message: 'forbiddenError', type: 'error' });
    expect(staff.body.records).toEqual([]);
    // An entry a crashed process queued but never chained shows in the list all the same.
    await t.db.query(
      `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_label, action, object_type, outcome)
       VALUES (now(), 'system', 'crashed worker', 'payments.batch.orphan', 'payment_batch', 'success')`,
    );
    const audit = await agent.get('/admin/api/resources/AuditEvent/actions/list').expect(200);
    expect(
      (audit.body.records as { params: { action: string } }[]).map((r) => r.params.action),
    ).toContain('payments.batch.orphan');
    const create = await agent
      .post('/admin/api/resources/StaffMember/actions/new')
      .field('email', 'evil@gov.bh')
      .field('name', 'E')
      .field('role', 'admin')
      .field('password', 'evil passphrase 12');
    expect(JSON.stringify(create.body)).toContain('ForbiddenError');
    const [{ n }] = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM staff_member WHERE email = 'evil@gov.bh'",
    );
    expect(n).toBe('0');
  });

  it('rate-limits sign-in attempts from one address', async () => {
    // One more attempt than the limit (12 a minute), all in one window of the fixed-window
    // limiter, whatever earlier tests' sign-ins counted.
    await inOneRateWindow();
    let last = 0;
    for (let i = 0; i < 13; i++)
      last = (
        await t.http().post('/admin/login').field('email', 'x@y.z').field('password', 'wrong')
      ).status;
    expect(last).toBe(429);
  });
});

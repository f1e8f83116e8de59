import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'olive trees by the sea 2026';
const PROBLEM = /^application\/problem\+json/;
let seq = 200_000;
let ipSeq = 1;

function cookiesOf(res: Response): Record<string, string> {
  const raw = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return Object.fromEntries(
    raw.map((c) => {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}
const rawCookie = (res: Response, name: string) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) =>
    c.startsWith(`${name}=`),
  );

describe('eKey over HTTP', () => {
  let t: TestApp;
  let outbox: RecordingEkeyTransport;
  const secrets: string[] = [PASSWORD];
  /** Each test signs in from its own address, so the per-address budget is its own. */
  let ip = '';

  async function register(lang: 'ar' | 'en' = 'ar') {
    seq += 1;
    const cpr = `900${seq}`;
    const mobile = `+9733300${seq % 10_000}`.padEnd(12, '0');
    secrets.push(cpr);
    const res = await t
      .http()
      .post('/v1/ekey/registrations')
      .set('X-Forwarded-For', ip)
      .send({
        cpr,
        nameAr: 'سلمان خالد',
        nameEn: 'Salman Khalid',
        nationality: 'BH',
        residency: 'citizen',
        dateOfBirth: '1990-06-01',
        mobile,
        password: PASSWORD,
        lang,
      })
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      mobileMasked: expect.stringMatching(/^\+973\*+\d{3}$/),
    });
    const code = outbox.lastCodeTo(mobile);
    secrets.push(code);
    await t
      .http()
      .post(`/v1/ekey/registrations/${res.body.accountId as string}/verify-mobile`)
      .send({ code })
      .expect(200, { status: 'active' });
    return { cpr, mobile, accountId: res.body.accountId as string };
  }

  const signIn = (cpr: string, password: string, device?: string) => {
    const req = t.http().post('/v1/ekey/sign-in').set('X-Forwarded-For', ip);
    if (device) req.set('Cookie', `__Host-ekey_device=${device}`);
    return req.send({ cpr, password });
  };
  const withSession = (token: string) => `__Host-ekey_session=${token}`;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '1', EKEY_SIGN_IN_PER_IP_PER_MINUTE: '40' });
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
  });
  beforeEach(() => {
    ipSeq += 1;
    ip = `10.7.0.${ipSeq}`;
  });
  afterAll(() => t.close());

  it('registers, signs in with a __Host- cookie that is Secure, HttpOnly and SameSite=Lax, and signs out', async () => {
    const a = await register();
    const res = await signIn(a.cpr, PASSWORD).expect(200);
    expect(res.body).toEqual({ stage: 'active', methods: [] });
    const cookie = rawCookie(res, '__Host-ekey_session')!;
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
    const token = cookiesOf(res)['__Host-ekey_session'];

    const me = await t.http().get('/v1/ekey/me').set('Cookie', withSession(token)).expect(200);
    expect(me.body).toMatchObject({
      id: a.accountId,
      cprMasked: `******${a.cpr.slice(-3)}`,
      level: 'standard',
      totpEnabled: false,
      amr: ['pwd'],
    });
    const activity = await t
      .http()
      .get('/v1/ekey/me/activity')
      .set('Cookie', withSession(token))
      .expect(200);
    expect(activity.body.map((x: { kind: string }) => x.kind)).toEqual(
      expect.arrayContaining(['registered', 'activated', 'sign_in', 'new_device']),
    );
    await t.http().post('/v1/ekey/sign-out').set('Cookie', withSession(token)).expect(204);
    const after = await t.http().get('/v1/ekey/me').set('Cookie', withSession(token)).expect(401);
    expect(after.body.code).toBe('EKEY_SESSION_REQUIRED');
  });

  it('answers an unknown CPR, a wrong password and a locked eKey identically, in about the same time', async () => {
    const accountService = t.get(EkeyAccountService);
    const known = [];
    const locked = [];
    for (let i = 0; i < 5; i++) known.push(await register());
    for (let i = 0; i < 5; i++) locked.push(await register());
    for (const l of locked)
      await t.db.query(
        "INSERT INTO ekey_throttle (cpr_hash, kind, failures, last_failure_at) VALUES ($1, 'password', 100, now() - interval '1 day')",
        [accountService.cprHash(l.cpr)],
      );
    const cases = {
      unknown: Array.from({ length: 15 }, (_, i) => ({
        cpr: `77${String(seq + i).padStart(7, '0')}`,
        password: PASSWORD,
      })),
      wrongPassword: known.flatMap((k) =>
        [1, 2, 3].map((i) => ({ cpr: k.cpr, password: `not it ${i} at all` })),
      ),
      lockedRightPassword: locked.flatMap((k) =>
        [1, 2, 3].map(() => ({ cpr: k.cpr, password: PASSWORD })),
      ),
    };
    const bodies: Record<string, unknown> = {};
    const times: Record<string, number[]> = {
      unknown: [],
      wrongPassword: [],
      lockedRightPassword: [],
    };
    // Interleaved, so load from elsewhere on the machine falls on the three cases alike.
    for (let i = 0; i < 15; i++) {
      for (const [name, attempts] of Object.entries(cases)) {
        const attempt = attempts[i];
        ipSeq += 1;
        ip = `10.8.${ipSeq % 250}.${(ipSeq >> 8) % 250}`;
        const started = performance.now();
        const res = await signIn(attempt.cpr, attempt.password);
        times[name].push(performance.now() - started);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.headers['set-cookie']).toBeUndefined();
        const { correlationId, ...body } = res.body as Record<string, unknown>;
        expect(correlationId).toBeDefined();
        bodies[name] = body;
      }
    }
    // The lower quartile of each case's 15 times: load elsewhere on the machine only ever adds
    // time (and did push one median past the bound in a CI run at load 10), while a path that
    // skipped the argon2 verification would be faster at every percentile.
    const lowerQuartiles = Object.fromEntries(
      Object.entries(times).map(([name, ts]) => [name, ts.sort((x, y) => x - y)[3]]),
    );
    expect(bodies.wrongPassword).toEqual(bodies.unknown);
    expect(bodies.lockedRightPassword).toEqual(bodies.unknown);
    expect(bodies.unknown).toMatchObject({ status: 401, code: 'EKEY_INVALID_CREDENTIALS' });
    const values = Object.values(lowerQuartiles);
    // One argon2 verification (tens of ms) dominates every path; a DB look-up more or less does not show.
    const ratio = Math.max(...values) / Math.min(...values);
    expect({ similar: ratio < 1.5, lowerQuartiles }).toMatchObject({ similar: true });
  });

  it('changes the session id at the second factor; the pending id opens nothing and cannot be reused', async () => {
    const a = await register();
    const s = await signIn(a.cpr, PASSWORD).expect(200);
    const token = cookiesOf(s)['__Host-ekey_session'];
    const { secret } = (
      await t.http().post('/v1/ekey/me/totp').set('Cookie', withSession(token)).expect(200)
    ).body as { secret: string };
    const { totpCode } = await import('../../src/modules/ekey/domain/totp.js');
    const first = await totpCode(secret, new Date());
    const enrolled = await t
      .http()
      .post('/v1/ekey/me/totp/confirm')
      .set('Cookie', withSession(token))
      .send({ code: first })
      .expect(200);
    expect(enrolled.body.backupCodes).toHaveLength(10);
    secrets.push(...(enrolled.body.backupCodes as string[]));

    const pending = await signIn(a.cpr, PASSWORD).expect(200);
    expect(pending.body).toEqual({
      stage: 'second_factor',
      methods: ['totp', 'backup_code', 'sms'],
    });
    const pendingToken = cookiesOf(pending)['__Host-ekey_session'];
    await t.http().get('/v1/ekey/me').set('Cookie', withSession(pendingToken)).expect(401);

    const done = await t
      .http()
      .post('/v1/ekey/sign-in/second-factor')
      .set('Cookie', withSession(pendingToken))
      .send({ method: 'backup_code', code: enrolled.body.backupCodes[0] })
      .expect(200);
    const activeToken = cookiesOf(done)['__Host-ekey_session'];
    expect(activeToken).not.toBe(pendingToken);
    const me = await t
      .http()
      .get('/v1/ekey/me')
      .set('Cookie', withSession(activeToken))
      .expect(200);
    expect(me.body.amr).toEqual(['pwd', 'kba', 'mfa']);
    expect(me.body.backupCodesLeft).toBe(9);
    const reuse = await t
      .http()
      .post('/v1/ekey/sign-in/second-factor')
      .set('Cookie', withSession(pendingToken))
      .send({ method: 'backup_code', code: enrolled.body.backupCodes[1] })
      .expect(401);
    expect(reuse.body.code).toBe('EKEY_SESSION_REQUIRED');
  });

  it('limits sign-in attempts per address, without touching other addresses', async () => {
    const a = await register();
    let limited: Response | undefined;
    // The limit (40 a minute) counts in fixed windows on the clock's minutes: attempts that
    // straddle a minute boundary split between two windows, so try up to twice the limit.
    for (let i = 0; i < 85 && !limited; i++) {
      const res = await signIn(`55${String(i).padStart(7, '0')}`, 'whatever password 1');
      if (res.status === 429) limited = res;
    }
    expect(limited?.headers['content-type']).toMatch(PROBLEM);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    ip = '10.9.9.9';
    await signIn(a.cpr, PASSWORD).expect(200);
  });

  it('alerts the holder of a sign-in from a new device, not from a known one, and lets them end other sessions', async () => {
    const a = await register('en');
    const first = await signIn(a.cpr, PASSWORD).expect(200);
    const device = cookiesOf(first)['__Host-ekey_device'];
    expect(rawCookie(first, '__Host-ekey_device')).toMatch(/; Secure/);
    expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.alert.new_device');
    expect(outbox.lastTo(a.mobile)?.lang).toBe('en');
    const before = outbox.messages.length;
    const again = await signIn(a.cpr, PASSWORD, device).expect(200);
    expect(outbox.messages.length).toBe(before);
    expect(cookiesOf(again)['__Host-ekey_device']).toBeUndefined();

    const token = cookiesOf(again)['__Host-ekey_session'];
    const otherToken = cookiesOf(first)['__Host-ekey_session'];
    const list = await t
      .http()
      .get('/v1/ekey/me/sessions')
      .set('Cookie', withSession(token))
      .expect(200);
    expect(list.body).toHaveLength(2);
    const other = (list.body as { id: string; current: boolean }[]).find((s) => !s.current)!;
    await t
      .http()
      .delete(`/v1/ekey/me/sessions/${other.id}`)
      .set('Cookie', withSession(token))
      .expect(204);
    await t.http().get('/v1/ekey/me').set('Cookie', withSession(otherToken)).expect(401);
    await t.http().get('/v1/ekey/me').set('Cookie', withSession(token)).expect(200);
    // Someone else's session id is not found through my account.
    const b = await register();
    const bToken = cookiesOf(await signIn(b.cpr, PASSWORD).expect(200))['__Host-ekey_session'];
    await t
      .http()
      .delete(`/v1/ekey/me/sessions/${other.id}`)
      .set('Cookie', withSession(bToken))
      .expect(404);
  });

  it('refuses malformed input as problem+json naming the field', async () => {
    const res = await signIn('12ab', PASSWORD).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('EKEY_INVALID_CPR');
    const extra = await t
      .http()
      .post('/v1/ekey/sign-in')
      .send({ cpr: '850112345', password: PASSWORD, admin: true })
      .expect(400);
    expect(extra.body.code).toBe('VALIDATION_FAILED');
    await t
      .http()
      .post('/v1/ekey/registrations/not-a-uuid/verify-mobile')
      .send({ code: '123456' })
      .expect(400);
  });

  it('never logs a password, a code or a full CPR', () => {
    const logs = t.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const s of secrets) expect(logs).not.toContain(s);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import type { StaffRole } from '../../src/platform/auth/roles.js';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { EkeyStatsService } from '../../src/modules/ekey/services/ekey-stats.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'ekey back office passphrase';

describe('eKey in the back office', () => {
  let t: TestApp;
  let accountId: string;
  const cpr = '920000123';

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    const outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole) =>
      staff.create(t.admin, { email, name: email, role, agencyId: null, password: PASSWORD });
    await add('operator@ekey.test', 'operator');
    await add('auditor@ekey.test', 'auditor');
    await add('admin2@ekey.test', 'admin');
    const accounts = t.get(EkeyAccountService);
    const r = await accounts.register({
      cpr,
      nameAr: 'فاطمة علي',
      nameEn: 'Fatima Ali',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1979-09-09',
      mobile: '+97336554433',
      password: 'a quiet evening by the pearl roundabout',
    });
    accountId = r.accountId;
    await accounts.verifyMobile(accountId, outbox.lastCodeTo('+97336554433'));
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', PASSWORD).expect(302);
    return agent;
  };

  it('lists accounts without CPR, mobile or secrets', async () => {
    const agent = await signIn('auditor@ekey.test');
    const res = await agent.get('/admin/api/resources/EkeyAccount/actions/list').expect(200);
    const text = JSON.stringify(res.body);
    expect(res.body.records.length).toBe(1);
    expect(text).toContain('Fatima Ali');
    expect(text).not.toContain(cpr);
    expect(text).not.toContain('36554433');
    expect(text).not.toMatch(/argon2|cprEncrypted|mobileEncrypted|passwordHash/);
  });

  it('lets an operator record the in-person check (advanced level, audited), and nobody else', async () => {
    const auditor = await signIn('auditor@ekey.test');
    await auditor
      .post(`/admin/api/resources/EkeyAccount/records/${accountId}/edit`)
      .field('levelEvidenceRef', 'KIOSK-7-2026-0001')
      .field('channel', 'kiosk');
    let [row] = await t.db.query<{ level: string }>(
      'SELECT level FROM ekey_account WHERE id = $1',
      [accountId],
    );
    expect(row.level).toBe('standard');

    const operator = await signIn('operator@ekey.test');
    const bad = await operator
      .post(`/admin/api/resources/EkeyAccount/records/${accountId}/edit`)
      .field('levelEvidenceRef', '')
      .field('channel', 'kiosk');
    expect(JSON.stringify(bad.body)).toContain('EKEY_INVALID_EVIDENCE');
    [row] = await t.db.query<{ level: string }>('SELECT level FROM ekey_account WHERE id = $1', [
      accountId,
    ]);
    expect(row.level).toBe('standard');

    const done = await operator
      .post(`/admin/api/resources/EkeyAccount/records/${accountId}/edit`)
      .field('levelEvidenceRef', 'KIOSK-7-2026-0001')
      .field('channel', 'kiosk')
      .expect(200);
    expect(JSON.stringify(done.body)).not.toContain('cprEncrypted');
    [row] = await t.db.query<{ level: string }>('SELECT level FROM ekey_account WHERE id = $1', [
      accountId,
    ]);
    expect(row.level).toBe('advanced');
    const audit = await t.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_event WHERE action = 'ekey.account.level.advanced'",
    );
    expect(audit.map((a) => a.actor_label)).toEqual(['operator@ekey.test']);
  });

  it('lets admins register a relying party (secret shown once, stored encrypted), not operators', async () => {
    const operator = await signIn('operator@ekey.test');
    await operator
      .post('/admin/api/resources/EkeyOidcClient/actions/new')
      .field('name', 'Sneaky')
      .field('redirectUris', 'https://sneaky.example/cb')
      .field('authMethod', 'client_secret_basic');
    expect(await t.db.query("SELECT 1 FROM ekey_oidc_client WHERE name = 'Sneaky'")).toEqual([]);

    const admin = await signIn('admin2@ekey.test');
    const res = await admin
      .post('/admin/api/resources/EkeyOidcClient/actions/new')
      .field('name', 'Municipal fees')
      .field('redirectUris', 'https://fees.example.bh/callback')
      .field('postLogoutRedirectUris', 'https://fees.example.bh/bye')
      .field('authMethod', 'client_secret_basic')
      .field('scopes', 'openid profile cpr')
      .expect(200);
    const secret = /copy it now\): (\S+)/.exec(res.body.notice.message as string)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.query<{ secret_encrypted: string; metadata: Record<string, unknown> }>(
      "SELECT secret_encrypted, metadata FROM ekey_oidc_client WHERE name = 'Municipal fees'",
    );
    expect(row.secret_encrypted).not.toContain(secret!);
    expect(row.metadata).toMatchObject({
      redirect_uris: ['https://fees.example.bh/callback'],
      scope: 'openid profile cpr',
    });
    expect(t.logs.text()).not.toContain(secret!);

    const invalid = await admin
      .post('/admin/api/resources/EkeyOidcClient/actions/new')
      .field('name', 'Broken')
      .field('redirectUris', 'not a url')
      .field('authMethod', 'client_secret_basic');
    expect(JSON.stringify(invalid.body)).toContain('EKEY_INVALID_CLIENT_METADATA');
    expect(await t.db.query("SELECT 1 FROM ekey_oidc_client WHERE name = 'Broken'")).toEqual([]);
  });

  it('lets admins set the yearly target, and rotates signing keys', async () => {
    const admin = await signIn('admin2@ekey.test');
    await admin
      .post('/admin/api/resources/EkeyRegistrationYear/actions/new')
      .field('year', '2027')
      .field('target', '80000')
      .expect(200);
    expect((await t.get(EkeyStatsService).yearAgainstTarget(2027)).target).toBe(80_000);
    const before = await t.db.query('SELECT kid FROM ekey_oidc_key WHERE retired_at IS NULL');
    const rotated = await admin.post('/admin/api/resources/EkeyOidcKey/actions/rotate').expect(200);
    expect(rotated.body.notice.type).toBe('success');
    const after = await t.db.query('SELECT kid FROM ekey_oidc_key WHERE retired_at IS NULL');
    expect(after.length).toBe(Math.min(2, before.length + 1));

    const operator = await signIn('operator@ekey.test');
    await operator.post('/admin/api/resources/EkeyOidcKey/actions/rotate');
    expect(await t.db.query('SELECT kid FROM ekey_oidc_key')).toHaveLength(before.length + 1);
  });
});

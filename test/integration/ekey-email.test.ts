import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { EkeyDirectory } from '../../src/modules/ekey/services/ekey-directory.js';
import {
  EkeyAccountService,
  type RegistrationInput,
} from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'lanterns over the old souq 1932';
let seq = 300_000;

const sessionOf = (res: Response) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
    .find((c) => c.startsWith('__Host-ekey_session='))!
    .split(';')[0];

describe('eKey e-mail verification', () => {
  let t: TestApp;
  let accounts: EkeyAccountService;
  let directory: EkeyDirectory;
  let outbox: RecordingEkeyTransport;
  const secrets: string[] = [PASSWORD];

  async function registerActive(email: string | null = null) {
    seq += 1;
    const p: RegistrationInput = {
      cpr: `870${seq}`,
      nameAr: 'فاطمة جاسم',
      nameEn: 'Fatema Jasim',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1979-09-09',
      mobile: `+9733900${String(seq % 10_000).padStart(4, '0')}`,
      email,
      password: PASSWORD,
      lang: 'en',
    };
    secrets.push(p.cpr);
    const { accountId } = await accounts.register(p);
    const code = outbox.lastCodeTo(p.mobile);
    secrets.push(code);
    await accounts.verifyMobile(accountId, code);
    return { ...p, accountId };
  }
  const emailCodeTo = (to: string) => {
    const m = outbox.lastTo(to);
    expect(m?.channel).toBe('email');
    const code = outbox.lastCodeTo(to);
    secrets.push(code);
    return code;
  };
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    t = await startTestApp({ EKEY_SIGN_IN_PER_IP_PER_MINUTE: '1000' });
    accounts = t.get(EkeyAccountService);
    directory = t.get(EkeyDirectory);
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
  });
  afterAll(() => t.close());

  it('mails a code at registration; the address is a contact only once the code is confirmed', async () => {
    const a = await registerActive('Fatema.J@Example.BH');
    const mail = outbox.lastTo('fatema.j@example.bh')!;
    expect(mail).toMatchObject({ channel: 'email', reference: 'ekey.otp.verify_email' });
    expect(mail.subject).toMatch(/e-mail/i);
    expect((await directory.contactFor(a.accountId))?.email).toBeNull();

    await expect(
      accounts.verifyEmail(a.accountId, wrong(emailCodeTo('fatema.j@example.bh'))),
    ).rejects.toMatchObject({ definition: { code: 'EKEY_CODE_INVALID' } });
    expect((await directory.contactFor(a.accountId))?.email).toBeNull();

    await accounts.verifyEmail(a.accountId, emailCodeTo('fatema.j@example.bh'));
    expect(await directory.contactFor(a.accountId)).toEqual({
      mobile: a.mobile,
      email: 'fatema.j@example.bh',
      lang: 'en',
    });
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_event WHERE object_id = $1 AND action LIKE 'ekey.account.email.%'`,
      [a.accountId],
    );
    expect(audit.map((r) => r.action)).toEqual(['ekey.account.email.verify']);
  });

  it('gives a code five guesses', async () => {
    const a = await registerActive('five@example.bh');
    const code = emailCodeTo('five@example.bh');
    for (let i = 0; i < 5; i++)
      await expect(accounts.verifyEmail(a.accountId, wrong(code))).rejects.toBeDefined();
    await expect(accounts.verifyEmail(a.accountId, code)).rejects.toMatchObject({
      definition: { code: 'EKEY_CODE_ATTEMPTS_EXHAUSTED' },
    });
    expect((await directory.contactFor(a.accountId))?.email).toBeNull();
  });

  it('re-verifies a changed address: the old code is dead, the holder is alerted, the change audited', async () => {
    const a = await registerActive('old@example.bh');
    const oldCode = emailCodeTo('old@example.bh');
    await accounts.verifyEmail(a.accountId, oldCode);
    const staleCode = await (async () => {
      await accounts.changeEmail(a.accountId, 'old@example.bh'); // same address: a new code only
      return emailCodeTo('old@example.bh');
    })();
    expect((await directory.contactFor(a.accountId))?.email).toBe('old@example.bh');

    await accounts.changeEmail(a.accountId, 'new@example.bh');
    expect((await directory.contactFor(a.accountId))?.email).toBeNull();
    expect(outbox.lastTo(a.mobile)?.reference).toBe('ekey.alert.email_changed');
    // The code that went to the old address cannot confirm the new one.
    await expect(accounts.verifyEmail(a.accountId, staleCode)).rejects.toMatchObject({
      definition: { code: 'EKEY_CODE_INVALID' },
    });
    await accounts.verifyEmail(a.accountId, emailCodeTo('new@example.bh'));
    expect((await directory.contactFor(a.accountId))?.email).toBe('new@example.bh');

    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_event WHERE object_id = $1 AND action LIKE 'ekey.account.email.%' ORDER BY seq`,
      [a.accountId],
    );
    expect(audit.map((r) => r.action)).toEqual([
      'ekey.account.email.verify',
      'ekey.account.email.change',
      'ekey.account.email.verify',
    ]);
  });

  it('refuses a malformed address (400 naming the field) and verification without an address', async () => {
    const a = await registerActive(null);
    await expect(accounts.changeEmail(a.accountId, 'not an address')).rejects.toMatchObject({
      definition: { code: 'EKEY_INVALID_EMAIL' },
      errors: [expect.objectContaining({ field: 'email' })],
    });
    await expect(accounts.verifyEmail(a.accountId, '123456')).rejects.toMatchObject({
      definition: { code: 'EKEY_NO_EMAIL' },
    });
  });

  it('works over HTTP for the signed-in holder only', async () => {
    const a = await registerActive(null);
    await t.http().post('/v1/ekey/me/email').send({ email: 'web@example.bh' }).expect(401);
    const signIn = await t
      .http()
      .post('/v1/ekey/sign-in')
      .send({ cpr: a.cpr, password: PASSWORD })
      .expect(200);
    const cookie = sessionOf(signIn);
    const bad = await t
      .http()
      .post('/v1/ekey/me/email')
      .set('Cookie', cookie)
      .send({ email: 'nope' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'email' })]),
    );
    await t
      .http()
      .post('/v1/ekey/me/email')
      .set('Cookie', cookie)
      .send({ email: 'web@example.bh' })
      .expect(202, { status: 'sent' });
    let me = await t.http().get('/v1/ekey/me').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ emailMasked: 'w***@example.bh', emailVerified: false });
    await t
      .http()
      .post('/v1/ekey/me/email/verify')
      .set('Cookie', cookie)
      .send({ code: emailCodeTo('web@example.bh') })
      .expect(200, { status: 'verified' });
    me = await t.http().get('/v1/ekey/me').set('Cookie', cookie).expect(200);
    expect(me.body.emailVerified).toBe(true);
  });

  it('never logs codes, passwords or CPR numbers', async () => {
    const logs = t.logs.text();
    for (const s of secrets) expect(logs).not.toContain(s);
    const audit = JSON.stringify(await t.db.query('SELECT details FROM audit_event'));
    for (const s of secrets) expect(audit).not.toContain(s);
  });
});

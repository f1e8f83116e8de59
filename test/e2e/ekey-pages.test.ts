import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { EkeyDirectory } from '../../src/modules/ekey/services/ekey-directory.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'frankincense and cardamom 1975';
let seq = 500_000;

/** A browser without JavaScript: keeps cookies, posts forms, reads the CSRF field. */
class FormBrowser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly t: TestApp) {}
  private keep(res: Response) {
    for (const c of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
  cookie(name: string) {
    return this.jar.get(name);
  }
  private header() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string) {
    return this.keep(await this.t.http().get(path).set('Cookie', this.header()));
  }
  async post(path: string, form: Record<string, string>, opts: { csrf?: boolean } = {}) {
    const body =
      opts.csrf === false ? form : { csrf: this.jar.get('__Host-ekey_csrf') ?? '', ...form };
    return this.keep(
      await this.t
        .http()
        .post(path)
        .set('Cookie', this.header())
        .type('form')
        .send(new URLSearchParams(body).toString()),
    );
  }
}

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];

describe('eKey pages without JavaScript', () => {
  let t: TestApp;
  let outbox: RecordingEkeyTransport;
  const secrets: string[] = [PASSWORD];

  function person() {
    seq += 1;
    const p = {
      cpr: `860${seq}`,
      nameAr: 'خليفة راشد',
      nameEn: 'Khalifa Rashid',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1983-11-20',
      mobile: `+9733800${String(seq % 10_000).padStart(4, '0')}`,
      email: '',
      password: PASSWORD,
    };
    secrets.push(p.cpr);
    return p;
  }

  /** Registration through the pages; returns the browser and the account id. */
  async function registerThroughPages(lang: 'ar' | 'en' = 'ar') {
    const b = new FormBrowser(t);
    const p = person();
    await b.get(`/ekey/register${lang === 'en' ? '?lang=en' : ''}`);
    const res = await b.post('/ekey/register', { ...p, lang });
    expect(res.status).toBe(303);
    const verify = res.headers.location;
    const accountId = /\/ekey\/register\/([0-9a-f-]{36})\/verify/.exec(verify)![1];
    const code = outbox.lastCodeTo(p.mobile);
    secrets.push(code);
    const done = await b.post(`/ekey/register/${accountId}/verify`, { code, lang });
    expect(done.status).toBe(200);
    return { b, p, accountId };
  }

  async function signInThroughPages(p: { cpr: string }, b = new FormBrowser(t)) {
    await b.get('/ekey/sign-in');
    const res = await b.post('/ekey/sign-in', { cpr: p.cpr, password: PASSWORD, lang: 'ar' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/ekey/account');
    return b;
  }

  beforeAll(async () => {
    t = await startTestApp({ EKEY_SIGN_IN_PER_IP_PER_MINUTE: '1000' });
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
  });
  afterAll(() => t.close());

  it('shows the registration form in Arabic, right to left, by default and in English on request', async () => {
    const b = new FormBrowser(t);
    const ar = await b.get('/ekey/register');
    expect(ar.status).toBe(200);
    expect(ar.text).toContain('<html lang="ar" dir="rtl">');
    expect(ar.text).toContain('إنشاء مفتاح إلكتروني');
    expect(ar.text).not.toContain('<script');
    expect(csrfIn(ar.text)).toBe(b.cookie('__Host-ekey_csrf'));
    expect(ar.headers['content-security-policy']).toContain("script-src 'none'");
    const en = await b.get('/ekey/register?lang=en');
    expect(en.text).toContain('<html lang="en" dir="ltr">');
    expect(en.text).toContain('Register for an eKey');
  });

  it('registers: form, then the SMS code page, then an active eKey', async () => {
    const b = new FormBrowser(t);
    const p = person();
    await b.get('/ekey/register?lang=en');
    const res = await b.post('/ekey/register', { ...p, lang: 'en' });
    expect(res.status).toBe(303);
    const verifyUrl = res.headers.location;
    expect(verifyUrl).toMatch(/^\/ekey\/register\/[0-9a-f-]{36}\/verify\?lang=en$/);
    const page = await b.get(verifyUrl);
    expect(page.text).toContain('We sent a 6-digit code to your mobile');
    const accountId = /register\/([0-9a-f-]{36})/.exec(verifyUrl)![1];
    const code = outbox.lastCodeTo(p.mobile);
    secrets.push(code);

    const wrong = await b.post(`/ekey/register/${accountId}/verify`, {
      code: code === '000000' ? '111111' : '000000',
      lang: 'en',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The code is not correct.');
    expect(wrong.text).toContain('role="alert"');

    const ok = await b.post(`/ekey/register/${accountId}/verify`, { code, lang: 'en' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Your eKey is ready');
    const [row] = await t.db.query<{ status: string }>(
      'SELECT status FROM ekey_account WHERE id = $1',
      [accountId],
    );
    expect(row.status).toBe('active');
  });

  it('keeps what was typed (not the password) and marks the field when registration is refused', async () => {
    const b = new FormBrowser(t);
    const p = { ...person(), password: 'short' };
    await b.get('/ekey/register');
    const res = await b.post('/ekey/register', { ...p, lang: 'ar' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('كلمة المرور قصيرة جدًا.');
    expect(res.text).toMatch(/id="password"[^>]*aria-invalid="true"/);
    expect(res.text).toContain(`value="${p.nameEn}"`);
    expect(res.text).not.toContain('value="short"');
    const bad = await b.post('/ekey/register', {
      ...person(),
      dateOfBirth: '1983-02-30',
      lang: 'en',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="dateOfBirth"[^>]*aria-invalid="true"/);
  });

  it('refuses a form without the CSRF token, or with another browser’s', async () => {
    const b = new FormBrowser(t);
    await b.get('/ekey/register');
    const none = await b.post('/ekey/register', { ...person(), lang: 'ar' }, { csrf: false });
    expect(none.status).toBe(403);
    const other = new FormBrowser(t);
    await other.get('/ekey/register');
    const forged = await b.post('/ekey/register', {
      ...person(),
      lang: 'ar',
      csrf: other.cookie('__Host-ekey_csrf')!,
    });
    expect(forged.status).toBe(403);
  });

  it('shows the account activity and devices, and ends another session with its button', async () => {
    const { p } = await registerThroughPages();
    const laptop = await signInThroughPages(p);
    const phone = await signInThroughPages(p);
    const page = await laptop.get('/ekey/account');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('تسجيل دخول'); // a sign-in in the activity list
    expect(page.text).toContain('هذا الجهاز');
    const revokeActions = [
      ...page.text.matchAll(/action="(\/ekey\/account\/sessions\/[0-9a-f-]{36}\/revoke)"/g),
    ].map((m) => m[1]);
    expect(revokeActions).toHaveLength(1); // the phone's; not this device's own
    expect(await phone.get('/ekey/account').then((r) => r.status)).toBe(200);

    expect((await laptop.post(revokeActions[0], { lang: 'ar' }, { csrf: false })).status).toBe(403);
    const done = await laptop.post(revokeActions[0], { lang: 'ar' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/ekey/account?done=revoked');
    const after = await laptop.get(done.headers.location);
    expect(after.text).toContain('تم إنهاء الجلسة.');
    const signedOut = await phone.get('/ekey/account');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toBe('/ekey/sign-in');
  });

  it('sends a browser without a session to the sign-in page, which shows the same error for a wrong password', async () => {
    const b = new FormBrowser(t);
    const res = await b.get('/ekey/account?lang=en');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/ekey/sign-in?lang=en');
    await b.get('/ekey/sign-in?lang=en');
    const wrong = await b.post('/ekey/sign-in', {
      cpr: '999999999',
      password: 'not the password at all',
      lang: 'en',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The CPR number or the password is not correct.');
  });

  it('verifies the e-mail address from its page', async () => {
    const { p, accountId } = await registerThroughPages('en');
    const b = await signInThroughPages(p);
    const page = await b.get('/ekey/account/email?lang=en');
    expect(page.status).toBe(200);
    const sent = await b.post('/ekey/account/email', { email: 'khalifa@example.bh', lang: 'en' });
    expect(sent.status).toBe(303);
    const form = await b.get(sent.headers.location);
    expect(form.text).toContain('We sent a code to your e-mail address');
    expect(form.text).toContain('k***@example.bh');
    const code = outbox.lastCodeTo('khalifa@example.bh');
    secrets.push(code);
    const done = await b.post('/ekey/account/email/verify', { code, lang: 'en' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/ekey/account?lang=en&done=email_verified');
    expect((await t.get(EkeyDirectory).contactFor(accountId))?.email).toBe('khalifa@example.bh');
    const account = await b.get(done.headers.location);
    expect(account.text).toContain('Your e-mail address is confirmed.');
    expect(account.text).toContain('(verified)');
  });

  it('never logs passwords, codes or CPR numbers', () => {
    const logs = t.logs.text();
    for (const s of secrets) expect(logs).not.toContain(s);
  });
});

import { describe, expect, it } from '@jest/globals';
import { consentPage, esc, secondFactorPage, signInPage } from './ekey-pages.js';

describe('eKey pages', () => {
  it('escapes every dynamic value', () => {
    expect(esc('<script>"x"&\'y\'`')).toBe('&#60;script&#62;&#34;x&#34;&#38;&#39;y&#39;&#96;');
    const page = signInPage({
      lang: 'en',
      action: '/ekey/interaction/a"b/login',
      self: '/ekey/interaction/a"b',
      error: '<b>boom</b>',
      cpr: '"><img>',
    });
    expect(page).not.toContain('<b>boom</b>');
    expect(page).not.toContain('"><img>');
    expect(page).toContain('&#60;b&#62;boom&#60;/b&#62;');
  });

  it('is Arabic right-to-left by default and English left-to-right on request, with labelled fields', () => {
    const ar = signInPage({ lang: 'ar', action: '/x/login', self: '/x' });
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('<label for="cpr">الرقم الشخصي</label>');
    expect(ar).toContain('lang=en');
    expect(ar).not.toContain('<script');
    const en = signInPage({ lang: 'en', action: '/x/login', self: '/x' });
    expect(en).toContain('<html lang="en" dir="ltr">');
    expect(en).toContain('<label for="password">Password</label>');
  });

  it('marks SMS as the weaker second factor and lists what a service asks to see', () => {
    const sf = secondFactorPage({
      lang: 'en',
      action: '/a',
      smsAction: '/s',
      methods: ['totp', 'sms'],
    });
    expect(sf).toContain('SMS code (weaker)');
    const consent = consentPage({
      lang: 'ar',
      action: '/c',
      clientName: 'خدمة',
      scopes: ['openid', 'cpr'],
    });
    expect(consent).toContain('رقمك الشخصي');
  });
});

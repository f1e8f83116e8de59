import { describe, expect, it } from '@jest/globals';
import { PersonalisationMissingError } from '../errors/notifications.errors.js';
import {
  checkPersonalisation,
  placeholdersOf,
  renderEmail,
  renderSms,
} from './template-renderer.js';

const ARABIC_TEMPLATE = {
  subject: 'تجديد رخصة ((نوع الرخصة))',
  body: 'عزيزي ((الاسم))،\n\nتمت الموافقة على طلبكم.\nتابعوا الطلب على https://diwan.gov.bh/requests/((رقم الطلب)).',
  lang: 'ar' as const,
};

describe('placeholdersOf', () => {
  it('lists each placeholder once, in order, ignoring case and spaces for sameness', () => {
    expect(
      placeholdersOf('((First name)) ((ref)) ((first name)) ((urgent??Please hurry))'),
    ).toEqual(['First name', 'ref', 'urgent']);
  });

  it('finds Arabic names', () => {
    expect(placeholdersOf(ARABIC_TEMPLATE.body)).toEqual(['الاسم', 'رقم الطلب']);
  });

  it('ignores text in single parentheses', () => {
    expect(placeholdersOf('Call (17) 123 (or not)')).toEqual([]);
  });
});

describe('checkPersonalisation', () => {
  it('reports missing and extra values across subject and body', () => {
    const sut = checkPersonalisation(
      { subject: 'Hello ((name))', body: 'Ref ((ref)) ((fee))' },
      { Name: 'Ali', ref: '', note: 'x' },
    );
    expect(sut).toEqual({ missing: ['ref', 'fee'], extra: ['note'] });
  });

  it('is satisfied when every placeholder has a value', () => {
    expect(checkPersonalisation('((a)) ((b))', { a: 1, B: false })).toEqual({
      missing: [],
      extra: [],
    });
  });
});

describe('renderSms', () => {
  it('fills placeholders and conditional text', () => {
    const body = 'Dear ((name)), your fee is ((fee)) BHD. ((urgent??Pay today.))';
    expect(renderSms(body, { name: 'Ali', fee: 12.5, urgent: 'yes' })).toBe(
      'Dear Ali, your fee is 12.5 BHD. Pay today.',
    );
    expect(renderSms(body, { name: 'Ali', fee: 12.5, urgent: 'no' })).toBe(
      'Dear Ali, your fee is 12.5 BHD.',
    );
  });

  it('refuses to render with a value missing', () => {
    expect(() => renderSms('Hi ((name)) ((ref))', { name: 'Ali' })).toThrow(
      PersonalisationMissingError,
    );
  });

  it('does not read placeholders inside values', () => {
    expect(renderSms('Hi ((name))', { name: '((ref))' })).toBe('Hi ((ref))');
  });
});

describe('renderEmail', () => {
  const values = { 'نوع الرخصة': 'القيادة', الاسم: 'فاطمة <المرزوقي>', 'رقم الطلب': 'R-77' };

  it('wraps an Arabic email in a right-to-left document', () => {
    const sut = renderEmail(ARABIC_TEMPLATE, values);
    expect(sut.subject).toBe('تجديد رخصة القيادة');
    expect(sut.html).toMatch(/^<!DOCTYPE html>\n<html lang="ar" dir="rtl">/);
    expect(sut.html).toContain('<title>تجديد رخصة القيادة</title>');
    expect(sut.html).toContain('الخدمات الحكومية');
  });

  it('escapes values in HTML and keeps them as written in the text part', () => {
    const sut = renderEmail(ARABIC_TEMPLATE, values);
    expect(sut.text).toContain('عزيزي فاطمة <المرزوقي>،');
    expect(sut.html).toContain('عزيزي فاطمة &#60;المرزوقي&#62;،');
    expect(sut.html).not.toContain('<المرزوقي>');
  });

  it('turns paragraphs, line breaks and URLs into HTML', () => {
    const sut = renderEmail(ARABIC_TEMPLATE, values);
    expect(sut.html).toContain('<p style="margin:0 0 16px">عزيزي فاطمة &#60;المرزوقي&#62;،</p>');
    expect(sut.html).toContain(
      'تمت الموافقة على طلبكم.<br>تابعوا الطلب على <a href="https://diwan.gov.bh/requests/R-77" style="color:#1d70b8">https://diwan.gov.bh/requests/R-77</a>.</p>',
    );
  });

  it('escapes a URL query and leaves out trailing punctuation', () => {
    const sut = renderEmail(
      { subject: 'Pay', body: 'See https://pay.gov.bh/?a=1&b="2" (now).', lang: 'en' },
      {},
    );
    expect(sut.html).toContain(
      '<a href="https://pay.gov.bh/?a=1&#38;b=" style="color:#1d70b8">https://pay.gov.bh/?a=1&#38;b=</a>&#34;2&#34; (now).',
    );
  });

  it('gives an English email a left-to-right document', () => {
    const sut = renderEmail(
      { subject: 'Fee due', body: 'Pay ((fee)) BHD', lang: 'en' },
      { fee: 3 },
    );
    expect(sut.html).toContain('<html lang="en" dir="ltr">');
    expect(sut.html).toContain('Government services');
  });

  it('keeps the subject on one line whatever the values hold', () => {
    const sut = renderEmail(
      { subject: 'Re: ((topic))', body: 'x', lang: 'en' },
      { topic: 'a\r\nBcc: evil@example.com' },
    );
    expect(sut.subject).toBe('Re: a Bcc: evil@example.com');
  });
});

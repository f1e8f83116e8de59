import { describe, expect, it } from '@jest/globals';
import { type BulkTemplate, checkBulkRow, csvLayout, csvRow } from './bulk-rows.js';

const sms = (body: string, lang: 'ar' | 'en' | null = null, maxParts = 2): BulkTemplate => ({
  channel: 'sms',
  ar: { body: `ar ${body}` },
  en: { body },
  lang,
  smsMaxParts: maxParts,
});

describe('checkBulkRow', () => {
  const sut = sms('Dear ((First name)), ref ((ref))');

  it('accepts a local mobile number, giving E.164, and matches names ignoring case and spaces', () => {
    const r = checkBulkRow(sut, {
      to: '3312 3456',
      personalisation: { firstname: 'Ali', ref: 'R1' },
    });
    expect('ok' in r && r.ok).toEqual({
      to: '+97333123456',
      personalisation: { firstname: 'Ali', ref: 'R1' },
    });
  });

  it('gives the same duplicate key to the same row written differently', () => {
    const a = checkBulkRow(sut, {
      to: '+97333123456',
      personalisation: { ref: 'R', firstname: 'A' },
    });
    const b = checkBulkRow(sut, { to: '33123456', personalisation: { firstname: 'A', ref: 'R' } });
    expect('dedupeKey' in a && 'dedupeKey' in b && a.dedupeKey === b.dedupeKey).toBe(true);
  });

  it('names every problem of a row: recipient, missing and unknown values', () => {
    const r = checkBulkRow(sut, { to: '12', personalisation: { firstname: '', colour: 'red' } });
    expect('errors' in r && r.errors.map((e) => `${e.field}:${e.reason}`)).toEqual([
      'to:format',
      'personalisation.First name:required',
      'personalisation.ref:required',
      'personalisation.colour:unknown',
    ]);
  });

  it('wants exactly one of a contact and an eKey account', () => {
    const both = checkBulkRow(sut, {
      to: '+97333123456',
      ekeyAccountId: '00000000-0000-4000-8000-000000000001',
      personalisation: { firstname: 'A', ref: 'R' },
    });
    const none = checkBulkRow(sut, { personalisation: { firstname: 'A', ref: 'R' } });
    expect('errors' in both && both.errors[0].reason).toBe('conflict');
    expect('errors' in none && none.errors[0].reason).toBe('required');
    const badId = checkBulkRow(sut, {
      ekeyAccountId: 'abc',
      personalisation: { firstname: 'A', ref: 'R' },
    });
    expect('errors' in badId && badId.errors[0].field).toBe('ekeyAccountId');
  });

  it('refuses an SMS that would need more parts than allowed, in the language it goes out in', () => {
    const long = 'x'.repeat(200);
    expect(
      'errors' in
        checkBulkRow(sms('((v))', 'en', 1), { to: '33123456', personalisation: { v: long } }),
    ).toBe(true);
    expect(
      'ok' in checkBulkRow(sms('((v))', 'en', 2), { to: '33123456', personalisation: { v: long } }),
    ).toBe(true);
    // Arabic is UCS-2: 140 Arabic letters need 3 parts of 67.
    const arabic = 'ب'.repeat(140);
    const r = checkBulkRow(sms('((v))', 'ar', 2), {
      to: '33123456',
      personalisation: { v: arabic },
    });
    expect('errors' in r && r.errors[0].message).toContain('Arabic SMS');
  });

  it('checks both languages for an eKey account, whose own preference may apply', () => {
    const t: BulkTemplate = {
      channel: 'sms',
      ar: { body: 'ب'.repeat(60) + '((v))' },
      en: { body: '((v))' },
      lang: 'en',
      smsMaxParts: 1,
    };
    const r = checkBulkRow(t, {
      ekeyAccountId: '00000000-0000-4000-8000-000000000001',
      personalisation: { v: 'ب'.repeat(20) },
    });
    expect('errors' in r && r.errors.map((e) => e.message)).toEqual([
      'The Arabic SMS would need more than 1 parts',
    ]);
  });
});

describe('csvLayout', () => {
  const variant = { body: 'Dear ((First name)) ((ref))' };

  it("finds Notify's recipient column and one column per placeholder, ignoring the rest", () => {
    const r = csvLayout(['Phone number', 'first_name', 'REF', 'notes'], 'sms', variant);
    expect('layout' in r && r.layout).toEqual({
      contact: 0,
      ekey: null,
      placeholders: [
        { name: 'First name', index: 1 },
        { name: 'ref', index: 2 },
      ],
    });
    if ('layout' in r)
      expect(csvRow(r.layout, [' 33123456 ', 'Ali', '', 'n'])).toEqual({
        to: '33123456',
        ekeyAccountId: undefined,
        personalisation: { 'First name': 'Ali' },
      });
  });

  it('names missing and repeated columns', () => {
    const r = csvLayout(['email address', 'ref', 'Ref'], 'sms', variant);
    expect('errors' in r && r.errors.map((e) => e.field)).toEqual([
      'header.Ref',
      'header',
      'header.First name',
    ]);
  });
});

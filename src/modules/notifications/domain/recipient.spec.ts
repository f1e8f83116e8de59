import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { maskRecipient, normaliseRecipient } from './recipient.js';

/** What the full parse decides: the reference the Bahraini fast path must agree with. */
const reference = (to: string) => {
  const phone = parsePhoneNumberFromString(to.trim(), 'BH');
  if (!phone?.isValid()) return null;
  const type = phone.getType();
  return type === undefined || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE'
    ? phone.number
    : null;
};

describe('recipients', () => {
  it('normalises Bahraini mobiles to E.164', () => {
    expect(normaliseRecipient('sms', '3312 3456')).toBe('+97333123456');
    expect(normaliseRecipient('sms', '+973 3312 3456')).toBe('+97333123456');
    expect(normaliseRecipient('sms', '+44 7911 123456')).toBe('+447911123456');
  });

  it('refuses what is not a mobile number', () => {
    expect(normaliseRecipient('sms', '12')).toBeNull();
    expect(normaliseRecipient('sms', 'not a number')).toBeNull();
    expect(normaliseRecipient('sms', '1770 0000')).toBeNull(); // Bahraini fixed line
  });

  it('decides like isValid() followed by getType()', () => {
    const numbers = [
      ...['3312 3456', '6612 3456', '1770 0000', '8000 0000', '9000 0000', '3312345'],
      ...['+1 202 555 0123', '+1 684 733 1234', '+7 912 345 6789', '+7 495 123 4567'],
      ...['+44 7911 123456', '+44 20 7946 0958', '+966 50 123 4567', '+971 4 123 4567'],
      ...['+247 4123', '+290 8123', '+383 44 123 456', '+800 1234 5678', '+882 1234 5678'],
      ...['', '+', '0', '+973', '+973 3312 34567', '+999 123 456'],
    ];
    for (const to of numbers)
      expect([to, normaliseRecipient('sms', to)]).toEqual([to, reference(to)]);
  });

  it('decides Bahraini numbers (+973 and 8 digits, or the 8 digits) like the full parse', () => {
    // Every leading digit and the mobile ranges' neighbours, so refusals are exercised too.
    const eightDigits = fc.oneof(
      fc.stringMatching(/^[0-9]{8}$/),
      fc.stringMatching(/^(3[0-9]|6[3469])[0-9]{6}$/),
    );
    fc.assert(
      fc.property(eightDigits, fc.boolean(), (digits, international) => {
        const to = international ? `+973${digits}` : digits;
        expect(normaliseRecipient('sms', to)).toBe(reference(to));
      }),
      { numRuns: 20_000 },
    );
  });

  it('lower-cases emails and refuses malformed ones', () => {
    expect(normaliseRecipient('email', ' Ali@Example.BH ')).toBe('ali@example.bh');
    expect(normaliseRecipient('email', 'ali@localhost')).toBeNull();
    expect(normaliseRecipient('email', 'a b@example.bh')).toBeNull();
  });

  it('masks recipients', () => {
    expect(maskRecipient('+97333123456')).toBe('+973****56');
    expect(maskRecipient('ali@example.bh')).toBe('a***@example.bh');
  });
});

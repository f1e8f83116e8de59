import { describe, expect, it } from '@jest/globals';
import { maskRecipient, normaliseRecipient } from './recipient.js';

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

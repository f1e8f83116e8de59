import { describe, expect, it } from '@jest/globals';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { normalizeMobile, requireMobile } from './phone.js';

describe('normalizeMobile', () => {
  it('gives E.164 for Bahraini mobiles written in any usual way', () => {
    for (const input of ['36001234', '3600 1234', '+973 3600 1234', '00973 36001234', '٣٦٠٠١٢٣٤']) {
      expect(normalizeMobile(input)).toEqual({ ok: true, e164: '+97336001234' });
    }
  });

  it('accepts foreign mobiles in international form', () => {
    expect(normalizeMobile('+966 50 123 4567')).toEqual({ ok: true, e164: '+966501234567' });
    expect(normalizeMobile('050 123 4567', 'SA')).toEqual({ ok: true, e164: '+966501234567' });
  });

  it('refuses fixed lines, which cannot receive SMS', () => {
    expect(normalizeMobile('17001234')).toEqual({ ok: false, reason: 'not_mobile' });
  });

  it('refuses garbage, extensions and absurd lengths', () => {
    for (const input of ['', '123', 'abc', '+97336001234 ext. 5', '3'.repeat(100)]) {
      expect(normalizeMobile(input)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('throws EKEY_INVALID_MOBILE with the reason', () => {
    expect(requireMobile('3600 1234')).toBe('+97336001234');
    expect(() => requireMobile('17001234')).toThrow(DomainException);
    try {
      requireMobile('17001234');
    } catch (e) {
      expect((e as DomainException).code).toBe('EKEY_INVALID_MOBILE');
      expect((e as DomainException).errors[0]).toMatchObject({
        field: 'mobile',
        reason: 'not_mobile',
      });
    }
  });
});

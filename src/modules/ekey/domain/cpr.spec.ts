import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { isValidCpr, maskCpr, normalizeCpr, requireCpr, toAsciiDigits } from './cpr.js';

describe('CPR', () => {
  it('converts Arabic-Indic and Persian digits and strips spaces and dashes', () => {
    expect(normalizeCpr('٨٥٠١١٢٣٤٥')).toBe('850112345');
    expect(normalizeCpr('۸۵۰۱۱۲۳۴۵')).toBe('850112345');
    expect(normalizeCpr(' 850-112 345 ')).toBe('850112345');
    expect(normalizeCpr('850\u2013112\u00a0345')).toBe('850112345');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
  });

  it('accepts exactly 9 digits', () => {
    expect(isValidCpr('850112345')).toBe(true);
    expect(isValidCpr('٨٥٠١١٢٣٤٥')).toBe(true);
    for (const bad of [
      '',
      '85011234',
      '8501123456',
      '85011234a',
      '850.112.345',
      '+850112345',
      '８５０１１２３４５',
    ]) {
      expect(isValidCpr(bad)).toBe(false);
    }
  });

  it('accepts any 9-digit string, since no checksum is published', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{9}$/), (cpr) => isValidCpr(cpr)));
  });

  it('throws EKEY_INVALID_CPR naming the field', () => {
    expect(requireCpr('٨٥٠-١١٢-٣٤٥')).toBe('850112345');
    try {
      requireCpr('12345', 'body.cpr');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainException);
      expect((e as DomainException).code).toBe('EKEY_INVALID_CPR');
      expect((e as DomainException).errors).toEqual([
        expect.objectContaining({ field: 'body.cpr', reason: 'format' }),
      ]);
    }
  });

  it('masks all but the last three digits', () => {
    expect(maskCpr('850112345')).toBe('******345');
    expect(maskCpr('٨٥٠١١٢٣٤٥')).toBe('******345');
    expect(maskCpr('12')).toBe('**');
  });
});

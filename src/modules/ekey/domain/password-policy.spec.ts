import { describe, expect, it } from '@jest/globals';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import {
  assertPasswordAcceptable,
  checkPassword,
  type PasswordContext,
} from './password-policy.js';

const single: PasswordContext = {
  hasSecondFactor: false,
  cpr: '850112345',
  names: ['Fatima Ali Al-Khalifa', 'فاطمة علي'],
};
const withMfa: PasswordContext = { ...single, hasSecondFactor: true };
const reasons = (password: string, ctx: PasswordContext = single) =>
  checkPassword(password, ctx).map((e) => e.reason);

describe('checkPassword', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(reasons('lanterns drift over quiet harbours')).toEqual([]);
    expect(reasons('alllowercaseletters')).toEqual([]);
  });

  it('asks for 15 characters when the password is the only factor, 8 with a second factor', () => {
    expect(reasons('violet-otter-9')).toEqual(['too_short']); // 14
    expect(reasons('violet-otter-92')).toEqual([]); // 15
    expect(reasons('violet-', withMfa)).toEqual(['too_short']);
    expect(reasons('violet-9', withMfa)).toEqual([]);
  });

  it('counts code points after NFKC, not UTF-16 units', () => {
    expect(reasons('😀'.repeat(8), withMfa)).toEqual([]); // 16 UTF-16 units, 8 code points
    expect(reasons('😀'.repeat(7), withMfa)).toEqual(['too_short']);
    expect(reasons('نخلة'.repeat(4))).toEqual([]); // Arabic, 16 letters
  });

  it('refuses more than 128 characters', () => {
    expect(reasons('x'.repeat(128))).toEqual([]);
    expect(reasons('x'.repeat(129))).toEqual(['too_long']);
  });

  it('refuses common passwords whatever their case', () => {
    expect(reasons('1qaz2wsx3edc4rfv')).toEqual(['common']);
    expect(reasons('1QAZ2WSX3EDC4RFV')).toEqual(['common']);
    expect(reasons('Password1', withMfa)).toEqual(['common']);
  });

  it('refuses the CPR, the names and the service words, case-insensitively', () => {
    expect(reasons('my number 850112345!')).toEqual(['context']);
    expect(reasons('my number ٨٥٠١١٢٣٤٥!')).toEqual(['context']); // Arabic-Indic digits
    expect(reasons('I love FATIMA forever')).toEqual(['context']);
    expect(reasons('password of khalifa family')).toEqual(['context']);
    expect(reasons('كلمة السر فاطمة ٢٠٢٤')).toEqual(['context']);
    expect(reasons('my EKey passphrase here')).toEqual(['context']);
    expect(reasons('diwan is where i work')).toEqual(['context']);
    expect(reasons('Bahrain pearls and palms', { hasSecondFactor: false })).toEqual(['context']);
  });

  it('ignores name parts shorter than 3 characters', () => {
    expect(
      reasons('al is a short word here', { hasSecondFactor: false, names: ['Al Noor'] }),
    ).toEqual([]);
  });

  it('reports every broken rule and never echoes the password', () => {
    const errors = checkPassword('ekey', single);
    expect(errors.map((e) => e.reason)).toEqual(['too_short', 'context']);
    for (const e of errors) {
      expect(e.field).toBe('password');
      expect(e.message).not.toContain('ekey');
    }
  });
});

describe('assertPasswordAcceptable', () => {
  it('throws the code of the first broken rule with all of them listed', () => {
    try {
      assertPasswordAcceptable('ekey', single);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainException);
      expect((e as DomainException).code).toBe('EKEY_PASSWORD_TOO_SHORT');
      expect((e as DomainException).errors).toHaveLength(2);
    }
    expect(() =>
      assertPasswordAcceptable('lanterns drift over quiet harbours', single),
    ).not.toThrow();
  });
});

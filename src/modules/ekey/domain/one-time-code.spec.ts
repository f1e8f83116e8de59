import { describe, expect, it } from '@jest/globals';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import {
  checkOneTimeCode,
  generateOneTimeCode,
  issueOneTimeCode,
  ONE_TIME_CODE_MAX_ATTEMPTS,
  type OneTimeCodeChallenge,
} from './one-time-code.js';

const cipher = new FieldCipher('d'.repeat(64));
const now = new Date('2025-03-01T08:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('one-time SMS codes', () => {
  it('generates 6 digits, leading zeros included', () => {
    for (let i = 0; i < 200; i++) expect(generateOneTimeCode()).toMatch(/^[0-9]{6}$/);
  });

  it('stores a keyed hash bound to the challenge, expiring after 5 minutes', () => {
    const { code, challenge } = issueOneTimeCode('ch-1', cipher, now);
    expect(challenge.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.codeHash).not.toContain(code);
    expect(challenge.expiresAt).toEqual(later(300));
    expect(challenge.attempts).toBe(0);
    // The same code under another challenge does not match.
    const moved: OneTimeCodeChallenge = { ...challenge, id: 'ch-2' };
    expect(checkOneTimeCode(moved, code, cipher, now)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('accepts the right code, with spaces or Arabic-Indic digits', () => {
    const { code, challenge } = issueOneTimeCode('ch-1', cipher, now);
    const arabic = code.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    expect(checkOneTimeCode(challenge, code, cipher, later(299))).toEqual({ ok: true });
    expect(checkOneTimeCode(challenge, ` ${arabic} `, cipher, now)).toEqual({ ok: true });
  });

  it('refuses the right code once expired', () => {
    const { code, challenge } = issueOneTimeCode('ch-1', cipher, now);
    expect(checkOneTimeCode(challenge, code, cipher, later(300))).toEqual({
      ok: false,
      reason: 'expired',
      attempts: 0,
    });
  });

  it('counts wrong guesses and kills the code at the fifth, even for the right one afterwards', () => {
    const issued = issueOneTimeCode('ch-1', cipher, now);
    let challenge = issued.challenge;
    const reasons: string[] = [];
    for (let i = 0; i < ONE_TIME_CODE_MAX_ATTEMPTS; i++) {
      const result = checkOneTimeCode(challenge, wrong(issued.code), cipher, now);
      if (result.ok) throw new Error('a wrong code passed');
      reasons.push(result.reason);
      challenge = { ...challenge, attempts: result.attempts };
    }
    expect(reasons).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'exhausted']);
    expect(checkOneTimeCode(challenge, issued.code, cipher, now)).toEqual({
      ok: false,
      reason: 'exhausted',
      attempts: 5,
    });
  });

  it('counts malformed input as a wrong guess', () => {
    const { challenge } = issueOneTimeCode('ch-1', cipher, now);
    expect(checkOneTimeCode(challenge, 'abc', cipher, now)).toEqual({
      ok: false,
      reason: 'invalid',
      attempts: 1,
    });
  });
});

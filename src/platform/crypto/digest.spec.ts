import { describe, expect, it } from '@jest/globals';
import { constantTimeEqual, hmacSha256Hex, randomToken, sha256Hex } from './digest.js';

describe('digest helpers', () => {
  it('computes SHA-256 and HMAC-SHA256 as hex (known vectors)', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    // RFC 4231 test case 2
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('compares strings of any length without throwing', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('makes base64url tokens of the asked size and refuses weak ones', () => {
    expect(Buffer.from(randomToken(32), 'base64url')).toHaveLength(32);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
    expect(() => randomToken(8)).toThrow(RangeError);
  });
});

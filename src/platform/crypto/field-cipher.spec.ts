import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { FieldCipher, FieldCipherError, parseMasterKey, unb64 } from './field-cipher.js';

const hexKey = 'a'.repeat(64);
const otherKey = randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  const sut = new FieldCipher(hexKey);

  it('round-trips Arabic text, emoji and the empty string', () => {
    for (const text of ['محمد بن عبدالله آل خليفة', 'مرحبا 👋 ١٢٣', '']) {
      expect(sut.decrypt(sut.encrypt(text))).toBe(text);
    }
  });

  it('writes a versioned compact token with a fresh IV each time', () => {
    const a = sut.encrypt('850112345');
    const b = sut.encrypt('850112345');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });

  it('detects a change of any single character of the token', () => {
    const token = sut.encrypt('JBSWY3DPEHPK3PXPJBSWY3DP', 'ekey_account:1:totp');
    for (let i = 0; i < token.length; i++) {
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(() => sut.decrypt(flipped, 'ekey_account:1:totp')).toThrow(FieldCipherError);
    }
  });

  it('refuses a value moved to another context (AAD)', () => {
    const token = sut.encrypt('secret', 'ekey_account:1:totp');
    expect(() => sut.decrypt(token, 'ekey_account:2:totp')).toThrow(/failed authentication/);
    expect(() => sut.decrypt(token)).toThrow(FieldCipherError);
  });

  it('fails with a wrong key', () => {
    const token = sut.encrypt('secret');
    expect(() => new FieldCipher(otherKey).decrypt(token)).toThrow(/failed authentication/);
  });

  it('rejects garbage with a clear error', () => {
    for (const bad of ['', 'v1', 'v2.a.b.c', 'v1.a.b', 'v1.!!!.b.c', 'v1.AAAA.AAAA.AAAA']) {
      expect(() => sut.decrypt(bad)).toThrow(FieldCipherError);
    }
  });

  it('gives stable look-up hashes that differ per purpose and per key', () => {
    const cpr = sut.lookupHash('850112345', 'ekey.cpr');
    expect(cpr).toMatch(/^[0-9a-f]{64}$/);
    expect(sut.lookupHash('850112345', 'ekey.cpr')).toBe(cpr);
    expect(new FieldCipher(hexKey).lookupHash('850112345', 'ekey.cpr')).toBe(cpr);
    expect(sut.lookupHash('850112345', 'ekey.mobile')).not.toBe(cpr);
    expect(new FieldCipher(otherKey).lookupHash('850112345', 'ekey.cpr')).not.toBe(cpr);
  });

  it('refuses an empty or odd look-up purpose', () => {
    expect(() => sut.lookupHash('x', '')).toThrow(RangeError);
    expect(() => sut.lookupHash('x', 'CPR HASH')).toThrow(RangeError);
  });
});

describe('parseMasterKey', () => {
  it('accepts 64 hex characters or base64 of 32 bytes', () => {
    expect(parseMasterKey(hexKey)).toHaveLength(32);
    expect(parseMasterKey(otherKey)).toHaveLength(32);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/);
    expect(() => new FieldCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('unb64', () => {
  // The reference: Node decodes leniently, so a string is canonical when it re-encodes to itself.
  const canonical = (text: string) =>
    /^[A-Za-z0-9_-]*$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;

  it('accepts exactly the canonical base64url strings, as re-encoding would', () => {
    const alphabet = ['A', 'B', 'E', 'Q', 'g', 'w', '-', '_', '=', '+', ' '];
    const strings: string[] = [''];
    for (let length = 1; length <= 3; length++)
      for (const prefix of strings.filter((t) => t.length === length - 1))
        for (const c of alphabet) strings.push(prefix + c);
    for (let i = 0; i < 400; i++) {
      const text = randomBytes(i % 40).toString('base64url');
      strings.push(text, `${text.slice(0, -1)}${alphabet[i % alphabet.length]}`, `${text}A`);
    }
    const wrong = strings.filter((text) => {
      const sut = unb64(text);
      return sut ? sut.toString('base64url') !== text || !canonical(text) : canonical(text);
    });
    expect(wrong).toEqual([]);
  });
});

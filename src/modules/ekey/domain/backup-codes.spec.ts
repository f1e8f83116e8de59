import { describe, expect, it } from '@jest/globals';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { generateBackupCodes, hashBackupCode, normalizeBackupCode } from './backup-codes.js';

const cipher = new FieldCipher('b'.repeat(64));

describe('backup codes', () => {
  it('generates 10 distinct codes shown as xxxxx-xxxxx from an unambiguous alphabet', () => {
    const codes = generateBackupCodes(cipher);
    expect(codes).toHaveLength(10);
    expect(new Set(codes.map((c) => c.display)).size).toBe(10);
    for (const { display, hash } of codes) {
      expect(display).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toContain(display.replace('-', ''));
    }
  });

  it('finds a code however the user types it', () => {
    const [{ display, hash }] = generateBackupCodes(cipher, 1) as [
      { display: string; hash: string },
    ];
    const raw = display.replace('-', '');
    for (const typed of [
      display,
      raw,
      display.toUpperCase(),
      ` ${raw.slice(0, 3)} ${raw.slice(3)} `,
    ]) {
      expect(hashBackupCode(typed, cipher)).toBe(hash);
    }
  });

  it('rejects input that cannot be a code before any look-up', () => {
    for (const bad of ['', 'abcde', 'abcde-fghjkm', 'abcde-fghj0', 'abcde-fghjl', 'abcde-fghj!']) {
      expect(normalizeBackupCode(bad)).toBeUndefined();
      expect(hashBackupCode(bad, cipher)).toBeUndefined();
    }
    expect(normalizeBackupCode('ABCDE-FGH٢٣')).toBe('abcdefgh23');
  });

  it('hashes with the server key: another key gives another hash', () => {
    const other = new FieldCipher('c'.repeat(64));
    expect(hashBackupCode('abcde-fghjk', cipher)).not.toBe(hashBackupCode('abcde-fghjk', other));
  });
});

/**
 * Backup (recovery) codes: 10 single-use codes shown once at enrolment. Each has ~49 bits
 * of entropy, so a keyed hash (HMAC) is enough at rest, unlike passwords; that also lets
 * the repository find and consume a code in one atomic `UPDATE … WHERE code_hash = $1`.
 */
import { randomInt } from 'node:crypto';
import type { LookupHasher } from '../../../platform/crypto/field-cipher.js';
import { toAsciiDigits } from './cpr.js';

export const BACKUP_CODE_COUNT = 10;
const LENGTH = 10;
/** No 0/o, 1/l/i: codes get copied from paper. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const PURPOSE = 'ekey.backup-code';

export interface BackupCode {
  /** Shown once to the user, `xxxxx-xxxxx`. */
  display: string;
  /** Stored. */
  hash: string;
}

export function generateBackupCodes(hasher: LookupHasher, count = BACKUP_CODE_COUNT): BackupCode[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let code = '';
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(code);
  }
  return [...codes].map((code) => ({
    display: `${code.slice(0, 5)}-${code.slice(5)}`,
    hash: hasher.lookupHash(code, PURPOSE),
  }));
}

/** Case, spaces, dashes and Arabic-Indic digits do not matter; `undefined` when it cannot be a code. */
export function normalizeBackupCode(input: string): string | undefined {
  const code = toAsciiDigits(input.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\s\-_]/g, '');
  if (code.length !== LENGTH) return undefined;
  return [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** Hash to look the entered code up with; `undefined` when the input cannot be a code. */
export function hashBackupCode(input: string, hasher: LookupHasher): string | undefined {
  const code = normalizeBackupCode(input);
  return code === undefined ? undefined : hasher.lookupHash(code, PURPOSE);
}

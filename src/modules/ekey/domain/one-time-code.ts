/**
 * 6-digit codes sent by SMS. With only a million values the code is weak by itself, so it
 * lives 5 minutes, dies after 5 wrong guesses, and is stored as an HMAC bound to its
 * challenge (a database leak then reveals nothing, and a hash cannot serve another challenge).
 */
import { randomInt } from 'node:crypto';
import { constantTimeEqual } from '../../../platform/crypto/digest.js';
import type { LookupHasher } from '../../../platform/crypto/field-cipher.js';
import { toAsciiDigits } from './cpr.js';

export const ONE_TIME_CODE_TTL_SECONDS = 300;
export const ONE_TIME_CODE_MAX_ATTEMPTS = 5;
const PURPOSE = 'ekey.one-time-code';

/** What the repository stores for a pending challenge. */
export interface OneTimeCodeChallenge {
  id: string;
  codeHash: string;
  expiresAt: Date;
  /** Wrong guesses so far. */
  attempts: number;
}

export type OneTimeCodeCheck =
  { ok: true } | { ok: false; reason: 'expired' | 'exhausted' | 'invalid'; attempts: number };

export function generateOneTimeCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashOneTimeCode(code: string, challengeId: string, hasher: LookupHasher): string {
  return hasher.lookupHash(`${challengeId}:${code}`, PURPOSE);
}

/** A fresh code (to send) and the challenge to store. */
export function issueOneTimeCode(
  challengeId: string,
  hasher: LookupHasher,
  now: Date,
  ttlSeconds = ONE_TIME_CODE_TTL_SECONDS,
): { code: string; challenge: OneTimeCodeChallenge } {
  const code = generateOneTimeCode();
  const challenge = {
    id: challengeId,
    codeHash: hashOneTimeCode(code, challengeId, hasher),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    attempts: 0,
  };
  return { code, challenge };
}

/**
 * Judges one guess. On failure `attempts` is the count to store. The repository must count
 * atomically (`SET attempts = attempts + 1 WHERE attempts < 5`) so parallel guesses cannot
 * exceed the limit, and delete the challenge on success so the code is used once.
 */
export function checkOneTimeCode(
  challenge: OneTimeCodeChallenge,
  input: string,
  hasher: LookupHasher,
  now: Date,
): OneTimeCodeCheck {
  const { attempts } = challenge;
  if (now.getTime() >= challenge.expiresAt.getTime()) {
    return { ok: false, reason: 'expired', attempts };
  }
  if (attempts >= ONE_TIME_CODE_MAX_ATTEMPTS) return { ok: false, reason: 'exhausted', attempts };
  const code = toAsciiDigits(input).replace(/\s/g, '');
  if (
    /^[0-9]{6}$/.test(code) &&
    constantTimeEqual(hashOneTimeCode(code, challenge.id, hasher), challenge.codeHash)
  ) {
    return { ok: true };
  }
  const after = attempts + 1;
  return {
    ok: false,
    reason: after >= ONE_TIME_CODE_MAX_ATTEMPTS ? 'exhausted' : 'invalid',
    attempts: after,
  };
}

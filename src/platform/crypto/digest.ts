/**
 * Small hashing helpers shared by the crypto building blocks. They take strings as UTF-8
 * and return hex or base64url so callers never juggle encodings.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, type BinaryLike } from 'node:crypto';

export function sha256Hex(data: BinaryLike): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256(key: BinaryLike, data: BinaryLike): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hmacSha256Hex(key: BinaryLike, data: BinaryLike): string {
  return hmacSha256(key, data).toString('hex');
}

/**
 * Constant-time equality of two strings. Both sides are hashed first so the comparison
 * also hides the length and never throws on a length mismatch (`timingSafeEqual` would).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** Unguessable token (session ids, reset links): `bytes` random bytes as base64url. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16)
    throw new RangeError('randomToken needs at least 16 bytes');
  return randomBytes(bytes).toString('base64url');
}

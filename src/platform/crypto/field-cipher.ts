/**
 * Secrets at rest: authenticated encryption of single column values and keyed hashes for
 * equality look-ups on values we cannot store in clear (CPR, mobile, email).
 *
 * One 32-byte master key (DIWAN_ENCRYPTION_KEY) is never used directly: HKDF-SHA256 derives
 * a sub-key per purpose, so the encryption key and each look-up key are independent and a
 * leaked look-up key reveals nothing about the others.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { hmacSha256Hex } from './digest.js';

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
const PURPOSE = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

/** Thrown by `decrypt`; its message never contains key material or plaintext. */
export class FieldCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCipherError';
  }
}

/** Accepts the same shapes as the config parser `key32`: 64 hex characters or base64 of 32 bytes. */
export function parseMasterKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32)
    throw new RangeError('The master key must be 32 bytes (64 hex characters or base64)');
  return key;
}

/** What code that only hashes for look-ups needs; lets tests pass a stub. */
export type LookupHasher = Pick<FieldCipher, 'lookupHash'>;

export class FieldCipher {
  private readonly masterKey: Buffer;
  private readonly encryptionKey: Buffer;
  private readonly lookupKeys = new Map<string, Buffer>();

  constructor(masterKey: string) {
    this.masterKey = parseMasterKey(masterKey);
    this.encryptionKey = this.derive(`field-cipher/${VERSION}/aes-256-gcm`);
  }

  /**
   * AES-256-GCM with a fresh random IV. `aad` binds the ciphertext to its place (e.g.
   * `ekey_account:<id>:totp_secret`), so a value copied to another row fails to decrypt.
   */
  encrypt(plaintext: string, aad = ''): string {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(aadBytes(aad));
    const head = cipher.update(plaintext, 'utf8');
    const tail = cipher.final(); // empty for GCM (a stream mode); kept in case it is not
    const ct = tail.length ? Buffer.concat([head, tail]) : head;
    return `${VERSION}.${b64(iv)}.${b64(ct)}.${b64(cipher.getAuthTag())}`;
  }

  decrypt(token: string, aad = ''): string {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION)
      throw new FieldCipherError('Unknown encrypted value format');
    const iv = unb64(parts[1]);
    const ct = unb64(parts[2]);
    const tag = unb64(parts[3]);
    if (!iv || !ct || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new FieldCipherError('Malformed encrypted value');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aadBytes(aad));
    decipher.setAuthTag(tag);
    try {
      const head = decipher.update(ct);
      const tail = decipher.final();
      return (tail.length ? Buffer.concat([head, tail]) : head).toString('utf8');
    } catch {
      throw new FieldCipherError(
        'Encrypted value failed authentication (tampered, wrong key or wrong context)',
      );
    }
  }

  /**
   * Deterministic keyed hash (hex) for `WHERE cpr_hash = $1`. Normalise the value first
   * (e.g. `normalizeCpr`); `purpose` separates columns so equal values in two columns
   * do not share a hash.
   */
  lookupHash(value: string, purpose: string): string {
    return hmacSha256Hex(this.lookupKey(purpose), value);
  }

  private lookupKey(purpose: string): Buffer {
    if (!PURPOSE.test(purpose)) throw new RangeError(`Invalid look-up purpose "${purpose}"`);
    let key = this.lookupKeys.get(purpose);
    if (!key) {
      key = this.derive(`lookup/${purpose}`);
      this.lookupKeys.set(purpose, key);
    }
    return key;
  }

  private derive(info: string): Buffer {
    // The master key is uniformly random, so an empty salt is fine (RFC 5869 §3.1).
    return Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.alloc(0), `diwan/${info}`, 32));
  }
}

// Random IVs drawn 256 at a time: one call into the CSPRNG per 256 encryptions instead of
// one each (about 25 µs per call here). Each pool is fresh and never reused.
const IV_POOL_BYTES = IV_BYTES * 256;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

// The version is authenticated too, so a token cannot be relabelled as another format.
function aadBytes(aad: string): Buffer {
  return Buffer.from(`${VERSION}|${aad}`, 'utf8');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
].entries())
  BASE64URL_VALUE[c.charCodeAt(0)] = i;

/**
 * Strict base64url: Node ignores stray characters and unused bits, so only the canonical
 * encoding of some bytes is accepted: its alphabet, no length of 4n+1 characters, and zero
 * bits after the last byte (the last character of 4n+2 characters carries 2 bits, of 4n+3
 * characters 4 bits).
 */
export function unb64(text: string | undefined): Buffer | undefined {
  if (text === undefined || !BASE64URL.test(text)) return undefined;
  const rest = text.length % 4;
  if (rest === 1) return undefined;
  if (rest !== 0) {
    const last = BASE64URL_VALUE[text.charCodeAt(text.length - 1)];
    if (last & (rest === 2 ? 0x0f : 0x03)) return undefined;
  }
  return Buffer.from(text, 'base64url');
}

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from '../../../platform/audit/canonical-json.js';

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ManifestSignature {
  algorithm: 'Ed25519';
  keyId: string;
  /** base64 of the signature over the canonical JSON of the manifest without `signature`. */
  value: string;
}

function keyBytes(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/**
 * Diwan's export key. Signs manifests with Ed25519 (node:crypto). The key is
 * REPORTS_EXPORT_SIGNING_KEY; outside production it is derived from DIWAN_ENCRYPTION_KEY with
 * HKDF, so a development instance keeps one key across restarts without another secret.
 */
export class ExportSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new Error('An Ed25519 seed is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey);
    const raw = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  }

  static fromConfig(signingKey: string | undefined, encryptionKey: string): ExportSigner {
    if (signingKey) return new ExportSigner(keyBytes(signingKey));
    const derived = hkdfSync(
      'sha256',
      keyBytes(encryptionKey),
      Buffer.alloc(0),
      'diwan:reports:export-signing:v1',
      32,
    );
    return new ExportSigner(Buffer.from(derived));
  }

  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(manifest: Record<string, unknown>): ManifestSignature {
    const { signature: _ignored, ...body } = manifest;
    const value = sign(null, Buffer.from(canonicalJson(body)), this.privateKey).toString('base64');
    return { algorithm: 'Ed25519', keyId: this.keyId, value };
  }

  /** True when `manifest.signature` is this key's signature of the rest of the manifest. */
  verify(manifest: Record<string, unknown>): boolean {
    const sig = manifest.signature as Partial<ManifestSignature> | undefined;
    if (!sig || sig.algorithm !== 'Ed25519' || typeof sig.value !== 'string') return false;
    if (sig.keyId !== this.keyId) return false;
    const { signature: _ignored, ...body } = manifest;
    try {
      return verify(
        null,
        Buffer.from(canonicalJson(body)),
        this.publicKey,
        Buffer.from(sig.value, 'base64'),
      );
    } catch {
      return false;
    }
  }
}

/**
 * Password hashing with argon2id (@node-rs/argon2 runs it on the libuv thread pool, so a
 * login never blocks the event loop). A server-side pepper goes in argon2's `secret`
 * input: a stolen database alone is then not enough to run a dictionary attack.
 */
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

export interface PasswordHasherOptions {
  /** KiB of memory per hash. OWASP / NIST minimum for argon2id: 19456 (19 MiB). */
  memoryCost?: number;
  /** Passes over memory. */
  timeCost?: number;
  parallelism?: number;
  /** Server secret mixed into every hash; changing it invalidates all stored hashes. */
  pepper?: string;
}

export interface PasswordCheck {
  ok: boolean;
  /** The password was right but the stored hash uses other parameters: store `hash(password)` again. */
  needsRehash: boolean;
}

export const DEFAULT_PASSWORD_HASHING = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** NFKC so the same password typed on another keyboard (full-width, composed accents) matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export class PasswordHasher {
  private readonly params: { memoryCost: number; timeCost: number; parallelism: number };
  private readonly secret: Buffer | undefined;
  private dummyHash: string | undefined;

  constructor(options: PasswordHasherOptions = {}) {
    this.params = {
      memoryCost: options.memoryCost ?? DEFAULT_PASSWORD_HASHING.memoryCost,
      timeCost: options.timeCost ?? DEFAULT_PASSWORD_HASHING.timeCost,
      parallelism: options.parallelism ?? DEFAULT_PASSWORD_HASHING.parallelism,
    };
    this.secret = options.pepper ? Buffer.from(options.pepper, 'utf8') : undefined;
  }

  /** PHC string, e.g. `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (argon2id is the library default). */
  hash(password: string): Promise<string> {
    return hash(normalizePassword(password), { ...this.params, secret: this.secret });
  }

  /** Throws only when `stored` is not a PHC string: a corrupt row must not look like a wrong password. */
  async verify(stored: string, password: string): Promise<PasswordCheck> {
    const ok = await verify(stored, normalizePassword(password), { secret: this.secret });
    return { ok, needsRehash: ok && this.isOutdated(stored) };
  }

  /**
   * Spends the time of a real verification and always fails. Call it when the CPR is
   * unknown so the response time does not tell whether an account exists.
   */
  async dummyVerify(): Promise<false> {
    if (this.dummyHash === undefined) {
      // Hashing with the same parameters costs the same as verifying, so the first call is no faster.
      this.dummyHash = await this.hash(randomBytes(16).toString('base64url'));
    } else {
      await verify(this.dummyHash, 'not the password', { secret: this.secret });
    }
    return false;
  }

  private isOutdated(stored: string): boolean {
    if (!stored.startsWith('$argon2id$v=19$')) return true;
    const p = parseOptions(stored);
    return (
      p.memoryCost !== this.params.memoryCost ||
      p.timeCost !== this.params.timeCost ||
      p.parallelism !== this.params.parallelism ||
      p.outputLen !== 32
    );
  }
}

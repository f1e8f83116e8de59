import { hkdfSync, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  type PasswordCheck,
  PasswordHasher,
  type PasswordHasherOptions,
} from '../../platform/crypto/password-hasher.js';
import type { DiwanConfig } from '../../platform/config/config.js';

/**
 * eKey's own password hasher: its parameters and pepper come from the `ekey` config area.
 * At most `cores - 1` argon2 computations run at once (each takes a whole core for tens of
 * milliseconds), so one core stays free for the event loop: sign-ins queue briefly instead
 * of every other request waiting behind them.
 */
export class EkeyPasswordHasher extends PasswordHasher {
  private readonly slots: number;
  private running = 0;
  private ekeyDummyHash: string | undefined;
  private readonly waiting: (() => void)[] = [];

  constructor(options: PasswordHasherOptions & { maxConcurrent?: number } = {}) {
    super(options);
    this.slots = options.maxConcurrent ?? Math.max(1, availableParallelism() - 1);
  }

  override hash(password: string): Promise<string> {
    return this.limited(() => super.hash(password));
  }

  override verify(stored: string, password: string): Promise<PasswordCheck> {
    return this.limited(() => super.verify(stored, password));
  }

  /** Same queue and the same work as a real verification (a stored hash of a random password). */
  override dummyVerify(): Promise<false> {
    return this.limited(async () => {
      this.ekeyDummyHash ??= await super.hash(randomBytes(16).toString('base64url'));
      await super.verify(this.ekeyDummyHash, 'not the password');
      return false as const;
    });
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((r) => this.waiting.push(r));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** The typed `ekey` config with every default resolved. */
export interface EkeySettings {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  signInPerIpPerMinute: number;
  cookieSecure: boolean;
}
export const EKEY_SETTINGS = Symbol('EKEY_SETTINGS');

/**
 * The pepper: EKEY_PASSWORD_PEPPER, or outside production one derived from the encryption
 * key (like that key's own development default), so restarts keep passwords valid.
 */
export function ekeyPepper(config: DiwanConfig): string {
  if (config.ekey.passwordPepper) return config.ekey.passwordPepper;
  if (config.app.env === 'production')
    throw new Error('EKEY_PASSWORD_PEPPER is required when NODE_ENV=production');
  return Buffer.from(
    hkdfSync('sha256', config.security.encryptionKey, Buffer.alloc(0), 'diwan/ekey/pepper', 32),
  ).toString('base64');
}

export function ekeySettings(config: DiwanConfig): EkeySettings {
  return {
    sessionIdleMs: config.ekey.sessionIdleMinutes * 60_000,
    sessionAbsoluteMs: config.ekey.sessionAbsoluteHours * 3_600_000,
    signInPerIpPerMinute: config.ekey.signInPerIpPerMinute,
    cookieSecure: true,
  };
}

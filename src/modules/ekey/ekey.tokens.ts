import { hkdfSync } from 'node:crypto';
import { PasswordHasher } from '../../platform/crypto/password-hasher.js';
import type { DiwanConfig } from '../../platform/config/config.js';

/** eKey's own password hasher: its parameters and pepper come from the `ekey` config area. */
export class EkeyPasswordHasher extends PasswordHasher {}

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

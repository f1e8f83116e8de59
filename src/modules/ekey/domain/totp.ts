/**
 * Authenticator-app codes: RFC 6238 TOTP with the parameters every app understands
 * (SHA-1, 6 digits, 30 s), accepting one step either side for clock drift. A code is
 * single-use: the caller stores the returned step and passes it back as `lastUsedStep`.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';
import { toAsciiDigits } from './cpr.js';

export const TOTP_PERIOD_SECONDS = 30;
const WINDOW_STEPS = 1;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/** 160-bit secret (RFC 4226's recommendation), Base32 as authenticator apps expect. Encrypt it at rest. */
export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** `otpauth://` URI for the enrolment QR code. Use a label without the full CPR (e.g. `maskCpr`). */
export function totpUri(secret: string, accountLabel: string, issuer = 'eKey'): string {
  return generateURI({ issuer, label: accountLabel, secret });
}

export function totpStep(now: Date): number {
  return Math.floor(epochSeconds(now) / TOTP_PERIOD_SECONDS);
}

/** Tests and enrolment checks only; users read codes from their app. */
export function totpCode(secret: string, now: Date): Promise<string> {
  return generate({ secret, epoch: epochSeconds(now) });
}

export async function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep?: number,
): Promise<TotpCheck> {
  const token = toAsciiDigits(code).replace(/\s/g, '');
  if (!/^[0-9]{6}$/.test(token)) return { ok: false, reason: 'invalid' };
  const epoch = epochSeconds(now);
  const epochTolerance = WINDOW_STEPS * TOTP_PERIOD_SECONDS;
  // otplib throws when afterTimeStep lies past the window; clamping keeps "refuse them all".
  const afterTimeStep =
    lastUsedStep === undefined ? undefined : Math.min(lastUsedStep, totpStep(now) + WINDOW_STEPS);
  const result = await verify({ secret, token, epoch, epochTolerance, afterTimeStep });
  // `'timeStep' in` narrows otplib's TOTP|HOTP result union to the TOTP one.
  if (result.valid && 'timeStep' in result) return { ok: true, step: result.timeStep };
  if (afterTimeStep === undefined) return { ok: false, reason: 'invalid' };
  // Tell a replay apart for the audit trail; the user sees the same error either way.
  const again = await verify({ secret, token, epoch, epochTolerance });
  return { ok: false, reason: again.valid ? 'replayed' : 'invalid' };
}

function epochSeconds(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

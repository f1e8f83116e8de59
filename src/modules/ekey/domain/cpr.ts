/**
 * CPR (Central Population Register) number: the 9-digit personal number of citizens and
 * residents. No checksum is applied: the algorithm is not public, so we only check shape.
 */
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';

const CPR = /^[0-9]{9}$/;

/** Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹, Persian/Urdu keyboards) digits to ASCII. */
export function toAsciiDigits(input: string): string {
  return input.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) =>
    String(d.charCodeAt(0) - (d >= '\u06f0' ? 0x06f0 : 0x0660)),
  );
}

/** ASCII digits with spaces and dashes removed; the result may still be invalid. */
export function normalizeCpr(input: string): string {
  return toAsciiDigits(input).replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

export function isValidCpr(input: string): boolean {
  return CPR.test(normalizeCpr(input));
}

/** Normalised CPR, or EKEY_INVALID_CPR naming the field. */
export function requireCpr(input: string, field = 'cpr'): string {
  const cpr = normalizeCpr(input);
  if (!CPR.test(cpr)) {
    throw new DomainException(EkeyErrors.INVALID_CPR, undefined, [
      { field, message: 'Enter the 9 digits of your CPR number', reason: 'format' },
    ]);
  }
  return cpr;
}

/** For logs and screens: only the last 3 digits stay visible (`******345`). */
export function maskCpr(cpr: string): string {
  const n = normalizeCpr(cpr);
  return n.length <= 3 ? '*'.repeat(n.length) : '*'.repeat(n.length - 3) + n.slice(-3);
}

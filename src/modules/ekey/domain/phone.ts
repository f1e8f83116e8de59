/**
 * Mobile numbers for SMS codes, stored as E.164 (`+97336001234`). The `max` metadata is
 * needed to tell mobile from fixed-line numbers (the default `min` set cannot). It is
 * passed to the `core` API by package name because `libphonenumber-js/max` imports it
 * relatively, which our Jest `.js` mapper turns into a bare JSON import.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';

export type MobileResult =
  { ok: true; e164: string } | { ok: false; reason: 'invalid' | 'not_mobile' };

/** Accepts local (`3600 1234`), international (`+973…`, `00973…`) and Arabic-Indic digits. */
export function normalizeMobile(input: string, defaultCountry: CountryCode = 'BH'): MobileResult {
  if (input.length > 64) return { ok: false, reason: 'invalid' };
  const parsed = parsePhoneNumberFromString(input, { defaultCountry, extract: false }, metadata);
  if (!parsed?.isValid() || parsed.ext) return { ok: false, reason: 'invalid' };
  const type = parsed.getType();
  // Some plans (US, CA) do not separate mobile from fixed ranges; such numbers can get SMS.
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')
    return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: parsed.number };
}

/** E.164 mobile, or EKEY_INVALID_MOBILE naming the field and the reason. */
export function requireMobile(
  input: string,
  field = 'mobile',
  defaultCountry: CountryCode = 'BH',
): string {
  const result = normalizeMobile(input, defaultCountry);
  if (!result.ok) {
    const message =
      result.reason === 'not_mobile'
        ? 'Enter a mobile number that can receive SMS'
        : 'Enter a valid mobile number';
    throw new DomainException(EkeyErrors.INVALID_MOBILE, undefined, [
      { field, message, reason: result.reason },
    ]);
  }
  return result.e164;
}

/**
 * Password rules of NIST SP 800-63B-4 §3.1.1.2: length is what matters, any Unicode is
 * allowed, no composition rules (they push people to `Password1!`), but known-common and
 * guessable-from-context passwords are refused.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { normalizeCpr, toAsciiDigits } from './cpr.js';

export const PASSWORD_MIN_SINGLE_FACTOR = 15;
export const PASSWORD_MIN_WITH_SECOND_FACTOR = 8;
export const PASSWORD_MAX = 128;

/** Words guessable for every eKey user, whoever they are. */
const SERVICE_WORDS = ['ekey', 'diwan', 'bahrain'];
const MIN_CONTEXT_WORD = 3;

export type PasswordRejection = 'too_short' | 'too_long' | 'common' | 'context';

export interface PasswordContext {
  /** True when the account has (or is enrolling) a second factor: NIST then allows 8 characters. */
  hasSecondFactor: boolean;
  cpr?: string;
  /** Any of the person's names, in any script; split into words here. */
  names?: string[];
}

let commonPasswords: ReadonlySet<string> | undefined;
function isCommon(lowered: string): boolean {
  // ~49k entries (all lower case): built on first use, not at import time.
  commonPasswords ??= new Set(dictionary['passwords-common']);
  return commonPasswords.has(lowered);
}

function contextWords(ctx: PasswordContext): string[] {
  const words = [
    ...SERVICE_WORDS,
    ...(ctx.names ?? []).flatMap((n) => n.normalize('NFKC').split(/[\s\-_.'’]+/u)),
  ];
  if (ctx.cpr) words.push(normalizeCpr(ctx.cpr));
  return words.map((w) => w.toLowerCase()).filter((w) => [...w].length >= MIN_CONTEXT_WORD);
}

/** Every rule the password breaks, as field errors with stable reasons; empty when acceptable. */
export function checkPassword(
  password: string,
  ctx: PasswordContext,
  field = 'password',
): FieldError[] {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length; // code points, so an emoji or Arabic letter counts once
  const min = ctx.hasSecondFactor ? PASSWORD_MIN_WITH_SECOND_FACTOR : PASSWORD_MIN_SINGLE_FACTOR;
  const errors: FieldError[] = [];
  const reject = (reason: PasswordRejection, message: string) =>
    errors.push({ field, reason, message });

  if (length < min) reject('too_short', `Use at least ${min} characters`);
  if (length > PASSWORD_MAX) reject('too_long', `Use at most ${PASSWORD_MAX} characters`);

  const lowered = normalized.toLowerCase();
  if (isCommon(lowered)) reject('common', 'This password is too common; choose another');
  // Digits compared in ASCII so a CPR typed with Arabic-Indic digits is still caught.
  const comparable = toAsciiDigits(lowered);
  if (contextWords(ctx).some((w) => comparable.includes(w))) {
    reject('context', 'Do not use your CPR number, your name or the name of the service');
  }
  return errors;
}

const ERROR_BY_REASON = {
  too_short: EkeyErrors.PASSWORD_TOO_SHORT,
  too_long: EkeyErrors.PASSWORD_TOO_LONG,
  common: EkeyErrors.PASSWORD_COMMON,
  context: EkeyErrors.PASSWORD_CONTAINS_CONTEXT,
} as const;

/** Throws the code of the first broken rule, with all broken rules in `errors`. */
export function assertPasswordAcceptable(
  password: string,
  ctx: PasswordContext,
  field = 'password',
): void {
  const errors = checkPassword(password, ctx, field);
  const first = errors[0];
  if (first) {
    throw new DomainException(
      ERROR_BY_REASON[first.reason as PasswordRejection],
      undefined,
      errors,
    );
  }
}

/**
 * Money is integer fils (1 BHD = 1000 fils): `bigint` in code and in `bigint` columns, a string of
 * digits in JSON. No amount ever passes through a float, so nothing here calls Number() on one.
 *
 * JSON input accepts strings only. A JSON number is refused even when it is a safe integer:
 * JSON.parse has already rounded anything above 2^53 without telling us, so a client sending
 * numbers works in tests and silently loses fils at scale. One spelling in both directions
 * (we emit strings too) also keeps idempotency hashes and CSV imports identical.
 */

export const FILS_PER_BHD = 1000n;
/** Upper bound of a PostgreSQL `bigint` column. */
export const MAX_FILS = 2n ** 63n - 1n;
/** Length of MAX_FILS in digits: longer strings are refused before BigInt() sees them. */
const MAX_DIGITS = MAX_FILS.toString().length;

export interface FilsOptions {
  /** Accept a leading `-` (adjustments, net totals). Default false. */
  allowNegative?: boolean;
  /** Smallest accepted value. Default 0 (or -MAX_FILS with allowNegative). */
  min?: bigint;
  /** Largest accepted value. Default MAX_FILS. */
  max?: bigint;
}

export type FilsFailureReason = 'type' | 'format' | 'range';

export type FilsResult =
  { ok: true; value: bigint } | { ok: false; reason: FilsFailureReason; message: string };

/** Thrown by parseFils/parseBhd; `reason` maps onto FieldError.reason. */
export class InvalidAmountError extends RangeError {
  constructor(
    readonly reason: FilsFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidAmountError';
  }
}

const fail = (reason: FilsFailureReason, message: string): FilsResult => ({
  ok: false,
  reason,
  message,
});

/** True when every char of `s` from `start` is an ASCII digit (no regex: this runs per CSV cell). */
function allDigits(s: string, start: number): boolean {
  if (start >= s.length) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function checkRange(value: bigint, options: FilsOptions): FilsResult {
  const min = options.min ?? (options.allowNegative ? -MAX_FILS : 0n);
  const max = options.max ?? MAX_FILS;
  if (value < min) return fail('range', `must be at least ${min} fils`);
  if (value > max) return fail('range', `must be at most ${max} fils`);
  return { ok: true, value };
}

/**
 * Reads an amount in fils from JSON or a CSV cell: a canonical string of digits (`"12500"`, `"0"`,
 * `"-300"` when negatives are allowed). No sign `+`, no leading zeros, no spaces, no decimals.
 */
export function tryParseFils(value: unknown, options: FilsOptions = {}): FilsResult {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return fail('type', 'must be a string of digits in fils (e.g. "12500"), not a JSON number');
  }
  if (typeof value !== 'string')
    return fail('type', 'must be a string of digits in fils (e.g. "12500")');
  const negative = value.charCodeAt(0) === 45; /* - */
  if (negative && !options.allowNegative) return fail('range', 'must not be negative');
  const start = negative ? 1 : 0;
  if (!allDigits(value, start)) {
    return fail(
      'format',
      'must be whole fils written as digits only (1 BHD = "1000"), without sign, spaces or decimals',
    );
  }
  if (value.length - start > 1 && value.charCodeAt(start) === 48)
    return fail('format', 'must not have leading zeros');
  if (negative && value === '-0') return fail('format', 'must not be "-0"');
  if (value.length - start > MAX_DIGITS) return fail('range', `must be at most ${MAX_FILS} fils`);
  return checkRange(BigInt(value), options);
}

export function parseFils(value: unknown, options: FilsOptions = {}): bigint {
  const r = tryParseFils(value, options);
  if (!r.ok) throw new InvalidAmountError(r.reason, r.message);
  return r.value;
}

/** The JSON form of an amount: a string of digits, so no client parses it into a float. */
export function filsToJson(fils: bigint): string {
  return fils.toString();
}

/** Exact dinar text with three decimals: 74000000000n → '74000000.000', -1n → '-0.001'. */
export function formatBhd(fils: bigint): string {
  const negative = fils < 0n;
  const abs = negative ? -fils : fils;
  const whole = abs / FILS_PER_BHD;
  const frac = (abs % FILS_PER_BHD).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/**
 * Dinar text to fils, exactly: '12.345' → 12345n, '7' → 7000n, '0.5' → 500n. At most three
 * decimals (a fourth would be a fraction of a fils); digits on both sides of the point.
 */
export function tryParseBhd(text: unknown, options: FilsOptions = {}): FilsResult {
  if (typeof text !== 'string') return fail('type', 'must be a string of dinars (e.g. "12.345")');
  const negative = text.charCodeAt(0) === 45;
  if (negative && !options.allowNegative) return fail('range', 'must not be negative');
  const start = negative ? 1 : 0;
  const dot = text.indexOf('.', start);
  const whole = dot < 0 ? text.slice(start) : text.slice(start, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  if (!allDigits(whole, 0) || (dot >= 0 && !allDigits(frac, 0))) {
    return fail('format', 'must be dinars with up to three decimals (e.g. "12.345")');
  }
  if (frac.length > 3)
    return fail('format', 'must have at most three decimals (1 fils = 0.001 BHD)');
  if (whole.length > MAX_DIGITS) return fail('range', `must be at most ${formatBhd(MAX_FILS)} BHD`);
  const abs = BigInt(whole) * FILS_PER_BHD + BigInt(frac.padEnd(3, '0'));
  return checkRange(negative ? -abs : abs, options);
}

export function parseBhd(text: unknown, options: FilsOptions = {}): bigint {
  const r = tryParseBhd(text, options);
  if (!r.ok) throw new InvalidAmountError(r.reason, r.message);
  return r.value;
}

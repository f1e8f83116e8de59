import type { FieldError } from '../../../platform/errors/domain-exception.js';
import { tryParseFils } from '../../../platform/money/fils.js';
import {
  PAYMENT_CHANNELS,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
  needsOriginal,
  type PaymentChannel,
  type TransactionKind,
  type TransactionStatus,
} from './channels.js';

/**
 * One transaction as an e-service reports it, from a JSON batch or a CSV row (every value a
 * string, so the same rules serve both). Checked by hand rather than with class-validator
 * because CSV rows never pass through the Nest pipe and errors must carry `items[12].…` paths.
 * Whether the service exists and belongs to the agency is the service's job (it needs the registry).
 */
export interface TransactionInput {
  /** The reporting e-service's own reference; unique per agency. */
  externalRef: string;
  occurredAt: Date;
  /** As sent, offset included: what the agency will recognise in a reconciliation. */
  occurredAtText: string;
  serviceCode: string;
  agencyCode: string;
  channel: PaymentChannel;
  kind: TransactionKind;
  status: TransactionStatus;
  amountFils: bigint;
  feeFils: bigint;
  currency: 'BHD';
  /** The payment a refund or reversal undoes. */
  originalRef?: string;
}

export const MAX_BATCH_SIZE = 1000;
export const SERVICE_CODE_PATTERN = /^[A-Z]{2,10}-\d{4}$/;
export const AGENCY_CODE_PATTERN = /^[A-Z]{2,10}$/;
/** ISO 8601 date-time with a mandatory offset: a time without one is ambiguous by three hours. */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** Printable, no surrounding spaces (`A-1 ` and `A-1` would be two different references). */
const REF_PATTERN = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;
const MAX_REF_LENGTH = 100;
/** Clock skew tolerated between an agency's system and ours. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The fields of a reported transaction, in the order of CSV files and exports. */
export const TRANSACTION_FIELDS = [
  'externalRef',
  'occurredAt',
  'serviceCode',
  'agencyCode',
  'channel',
  'kind',
  'status',
  'amountFils',
  'feeFils',
  'currency',
  'originalRef',
] as const;
type Field = (typeof TRANSACTION_FIELDS)[number];
const KNOWN = new Set<string>(TRANSACTION_FIELDS);

export type TransactionResult = { ok: TransactionInput } | { errors: FieldError[] };
export type BatchResult = { ok: TransactionInput[] } | { errors: FieldError[] };

export interface ValidateOptions {
  /** Prefix of every error path, e.g. `items[12]`. Empty for a lone object. */
  path?: string;
  /** When given, an occurredAt later than this (plus a little skew) is refused. */
  now?: Date;
}

/** Parses an ISO 8601 date-time with offset; null when the text or the calendar date is wrong. */
export function parseOffsetDateTime(text: string): Date | null {
  const common = parseCommonDateTime(text);
  return common !== undefined ? common : parseDateTimeByPattern(text);
}

/** `parseOffsetDateTime` by its regular expression: every shape it accepts. */
export function parseDateTimeByPattern(text: string): Date | null {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offsetHours = m[8] ? Number(m[9]) : 0;
  const offsetMinutes = m[8] ? Number(m[10]) : 0;
  return dateOfParts(y, mo, d, h, mi, s, ms, m[8] === '-' ? -1 : 1, offsetHours, offsetMinutes);
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The usual shapes, `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, read by character codes (the
 * regular expression and its captures cost more than the rest of an item's checks); undefined
 * for any other shape, which the pattern reads. The same checks follow either way.
 */
function parseCommonDateTime(s: string): Date | null | undefined {
  const n = s.length;
  if (n !== 20 && n !== 25) return undefined;
  if (
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58
  )
    return undefined;
  const century = twoDigits(s, 0);
  const year = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if ((century | year | mo | d | h | mi | sec) < 0) return undefined;
  const zone = s.charCodeAt(19);
  if (n === 20) {
    if (zone !== 90 /* Z */) return undefined;
    return dateOfParts(century * 100 + year, mo, d, h, mi, sec, 0, 1, 0, 0);
  }
  if ((zone !== 43 /* + */ && zone !== 45) || s.charCodeAt(22) !== 58) return undefined;
  const oh = twoDigits(s, 20);
  const om = twoDigits(s, 23);
  if ((oh | om) < 0) return undefined;
  return dateOfParts(century * 100 + year, mo, d, h, mi, sec, 0, zone === 45 ? -1 : 1, oh, om);
}

function dateOfParts(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offsetSign: 1 | -1,
  offsetHours: number,
  offsetMinutes: number,
): Date | null {
  const offsetMin = offsetSign * (offsetHours * 60 + offsetMinutes);
  if (
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    h > 23 ||
    mi > 59 ||
    s > 59 ||
    Math.abs(offsetMin) > 14 * 60 ||
    offsetMinutes > 59
  )
    return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 31 April over to 1 May: refuse instead.
  if (new Date(local).getUTCDate() !== d) return null;
  return new Date(local - offsetMin * 60_000);
}

export function validateTransaction(
  value: unknown,
  options: ValidateOptions = {},
): TransactionResult {
  const prefix = options.path ?? '';
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  const errors: FieldError[] = [];
  const error = (field: string, reason: string, message: string): void => {
    errors.push({ field: at(field), reason, message });
  };

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: [{ field: prefix || 'body', reason: 'type', message: 'must be an object' }] };
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input))
    if (!KNOWN.has(key)) error(key, 'unknown', 'is not a field of a transaction');

  // null counts as absent, so an optional column may be null in JSON as well as blank in CSV.
  const get = (f: Field): unknown => input[f] ?? undefined;
  const text = (f: Field, required: boolean): string | undefined => {
    const v = get(f);
    if (v === undefined) {
      if (required) error(f, 'required', 'is required');
      return undefined;
    }
    if (typeof v !== 'string') {
      error(f, 'type', 'must be a string');
      return undefined;
    }
    return v;
  };
  const reference = (f: 'externalRef' | 'originalRef', required: boolean): string | undefined => {
    const v = text(f, required);
    if (v === undefined) return undefined;
    if (v.length === 0 || v.length > MAX_REF_LENGTH)
      error(f, 'length', `must have 1 to ${MAX_REF_LENGTH} characters`);
    else if (!REF_PATTERN.test(v))
      error(f, 'format', 'must be printable, without surrounding spaces');
    else return v;
    return undefined;
  };
  const code = (f: Field, pattern: RegExp, example: string): string | undefined => {
    const v = text(f, true);
    if (v !== undefined && !pattern.test(v)) error(f, 'format', `must look like ${example}`);
    return v;
  };
  const oneOf = <T extends string>(f: Field, table: Record<T, unknown>): T | undefined => {
    const v = text(f, true);
    if (v === undefined) return undefined;
    if (Object.hasOwn(table, v)) return v as T;
    error(f, 'enum', `must be one of ${Object.keys(table).join(', ')}`);
    return undefined;
  };
  const amount = (f: 'amountFils' | 'feeFils', min: bigint): bigint | undefined => {
    const v = get(f);
    if (v === undefined) {
      error(f, 'required', 'is required');
      return undefined;
    }
    const r = tryParseFils(v, { min });
    if (r.ok) return r.value;
    error(f, r.reason, r.message);
    return undefined;
  };

  const externalRef = reference('externalRef', true);
  const occurredAtText = text('occurredAt', true);
  let occurredAt: Date | undefined;
  if (occurredAtText !== undefined) {
    occurredAt = parseOffsetDateTime(occurredAtText) ?? undefined;
    if (!occurredAt)
      error(
        'occurredAt',
        'format',
        'must be an ISO 8601 date-time with offset, e.g. 2026-03-01T09:30:00+03:00',
      );
    else if (occurredAt.getUTCFullYear() < 2000)
      error('occurredAt', 'range', 'must be in the year 2000 or later');
    else if (options.now && occurredAt.getTime() > options.now.getTime() + FUTURE_TOLERANCE_MS)
      error('occurredAt', 'range', 'must not be in the future');
  }
  const serviceCode = code('serviceCode', SERVICE_CODE_PATTERN, 'NPRA-0001');
  const agencyCode = code('agencyCode', AGENCY_CODE_PATTERN, 'NPRA');
  const channel = oneOf<PaymentChannel>('channel', PAYMENT_CHANNELS);
  const kind = oneOf<TransactionKind>('kind', TRANSACTION_KINDS);
  const status = oneOf<TransactionStatus>('status', TRANSACTION_STATUSES);
  const amountFils = amount('amountFils', 1n);
  const feeFils = amount('feeFils', 0n);
  const currency = text('currency', true);
  if (currency !== undefined && currency !== 'BHD')
    error('currency', 'enum', 'must be BHD (amounts are in fils of Bahraini dinar)');

  let originalRef: string | undefined;
  if (kind !== undefined && needsOriginal(kind)) {
    originalRef = reference('originalRef', true);
    if (originalRef !== undefined && originalRef === externalRef)
      error('originalRef', 'format', 'must name another transaction');
  } else if (kind === 'payment' && get('originalRef') !== undefined) {
    error('originalRef', 'unexpected', 'is only for a refund or a reversal');
  }

  if (errors.length > 0) return { errors };
  // Every required field is set when no error was recorded.
  const ok: TransactionInput = {
    externalRef: externalRef!,
    occurredAt: occurredAt!,
    occurredAtText: occurredAtText!,
    serviceCode: serviceCode!,
    agencyCode: agencyCode!,
    channel: channel!,
    kind: kind!,
    status: status!,
    amountFils: amountFils!,
    feeFils: feeFils!,
    currency: 'BHD',
  };
  if (originalRef !== undefined) ok.originalRef = originalRef;
  return { ok };
}

/** A CSV row already checked by `fastCheckCsvRow`: the values as sent, the time parsed. */
export interface CheckedCsvRow {
  fields: readonly string[];
  occurredAt: Date;
}

const WHOLE_FILS_MIN_1 = /^[1-9]\d{0,17}$/;
const WHOLE_FILS_MIN_0 = /^(?:0|[1-9]\d{0,17})$/;

/** True for 1 to 100 printable characters without surrounding spaces (`REF_PATTERN`). */
function isReference(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > MAX_REF_LENGTH) return false;
  // Printable ASCII without spaces is the usual reference; anything else asks the pattern.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return REF_PATTERN.test(s);
  }
  return true;
}

/** The time of a plainly valid row or item: parsed, from 2000 on and not in the future. */
function plainTime(text: string, now: Date | undefined): Date | null {
  const at = parseOffsetDateTime(text);
  if (
    !at ||
    at.getUTCFullYear() < 2000 ||
    (now !== undefined && at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
  )
    return null;
  return at;
}

/** Whether the three codes are ones the tables know (own keys only: `constructor` is no channel). */
function isKnownChannelKindStatus(channel: string, kind: string, status: string): boolean {
  return (
    Object.hasOwn(PAYMENT_CHANNELS, channel) &&
    Object.hasOwn(TRANSACTION_KINDS, kind) &&
    Object.hasOwn(TRANSACTION_STATUSES, status)
  );
}

/**
 * The CSV import's shortcut for the common row: fields in `TRANSACTION_FIELDS` order, every
 * value plainly valid. It accepts a strict subset of what `validateTransaction` accepts (amounts
 * of at most 18 digits, no unknown or misplaced column) and builds no object per field; any
 * doubt returns null and the row goes through `validateTransaction`, which names the errors.
 */
export function fastCheckCsvRow(fields: readonly string[], now: Date): CheckedCsvRow | null {
  if (fields.length !== TRANSACTION_FIELDS.length) return null;
  const [ref, at, service, agency, channel, kind, status, amount, fee, currency, original] = fields;
  if (!isReference(ref)) return null;
  if (!SERVICE_CODE_PATTERN.test(service) || !AGENCY_CODE_PATTERN.test(agency)) return null;
  if (!isKnownChannelKindStatus(channel, kind, status)) return null;
  if (!WHOLE_FILS_MIN_1.test(amount) || !WHOLE_FILS_MIN_0.test(fee) || currency !== 'BHD')
    return null;
  if (kind === 'payment') {
    if (original !== '') return null;
  } else if (original === ref || !isReference(original)) return null;
  const occurredAt = plainTime(at, now);
  return occurredAt ? { fields, occurredAt } : null;
}

/**
 * The JSON batch's shortcut for the common item, as `fastCheckCsvRow` is the CSV import's:
 * known fields only, every value a string and plainly valid (amounts of at most 18 digits).
 * It returns what `validateTransaction` returns for such an item, without its closures and
 * error bookkeeping per item; any doubt returns null and the item takes `validateTransaction`,
 * which names the errors. Property-tested against it.
 */
export function fastCheckItem(value: unknown, now: Date | undefined): TransactionInput | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  for (const key in v) if (!KNOWN.has(key)) return null;
  const { externalRef, occurredAt, serviceCode, agencyCode, channel, kind, status } = v;
  const { amountFils, feeFils, currency, originalRef } = v;
  if (
    typeof externalRef !== 'string' ||
    typeof occurredAt !== 'string' ||
    typeof serviceCode !== 'string' ||
    typeof agencyCode !== 'string' ||
    typeof channel !== 'string' ||
    typeof kind !== 'string' ||
    typeof status !== 'string' ||
    typeof amountFils !== 'string' ||
    typeof feeFils !== 'string' ||
    currency !== 'BHD'
  )
    return null;
  if (!isReference(externalRef)) return null;
  if (!SERVICE_CODE_PATTERN.test(serviceCode) || !AGENCY_CODE_PATTERN.test(agencyCode)) return null;
  if (!isKnownChannelKindStatus(channel, kind, status)) return null;
  if (!WHOLE_FILS_MIN_1.test(amountFils) || !WHOLE_FILS_MIN_0.test(feeFils)) return null;
  if (kind === 'payment') {
    if (originalRef !== undefined) return null;
  } else if (
    typeof originalRef !== 'string' ||
    originalRef === externalRef ||
    !isReference(originalRef)
  )
    return null;
  const at = plainTime(occurredAt, now);
  if (!at) return null;
  const ok: TransactionInput = {
    externalRef,
    occurredAt: at,
    occurredAtText: occurredAt,
    serviceCode,
    agencyCode,
    channel: channel as PaymentChannel,
    kind: kind as TransactionKind,
    status: status as TransactionStatus,
    amountFils: BigInt(amountFils),
    feeFils: BigInt(feeFils),
    currency: 'BHD',
  };
  if (kind !== 'payment') ok.originalRef = originalRef;
  return ok;
}

/** A batch of 1..1000 items; every item is checked so one response lists every problem. */
export function validateBatch(
  items: unknown,
  options: { path?: string; now?: Date } = {},
): BatchResult {
  const path = options.path ?? 'items';
  if (!Array.isArray(items))
    return {
      errors: [{ field: path, reason: 'type', message: 'must be an array of transactions' }],
    };
  if (items.length < 1 || items.length > MAX_BATCH_SIZE) {
    return {
      errors: [
        {
          field: path,
          reason: 'length',
          message: `must have 1 to ${MAX_BATCH_SIZE} transactions, got ${items.length}`,
        },
      ],
    };
  }
  const ok: TransactionInput[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    let t = fastCheckItem(item, options.now);
    if (!t) {
      const r = validateTransaction(item, { path: `${path}[${i}]`, now: options.now });
      if ('errors' in r) {
        errors.push(...r.errors);
        return;
      }
      t = r.ok;
    }
    const first = seen.get(t.externalRef);
    if (first !== undefined) {
      errors.push({
        field: `${path}[${i}].externalRef`,
        reason: 'duplicate',
        message: `repeats ${path}[${first}].externalRef`,
      });
      return;
    }
    seen.set(t.externalRef, i);
    ok.push(t);
  });
  return errors.length > 0 ? { errors } : { ok };
}

import type { FieldError } from '../../../platform/errors/domain-exception.js';

/**
 * Reporting periods in Bahrain time. Asia/Bahrain is UTC+3 all year (no DST), so a fixed offset
 * is exact and needs no time-zone database. Days are 'YYYY-MM-DD' strings and ranges are
 * inclusive, matching the `day` column of the daily rollups; arithmetic runs on UTC day numbers.
 */

export const BAHRAIN_OFFSET_MS = 3 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Widest custom range: three years, leap day included, keeps rollup queries bounded. */
export const MAX_CUSTOM_DAYS = 1096;
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

export type PeriodKind = 'day' | 'month' | 'quarter' | 'year' | 'custom';
const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'month', 'quarter', 'year', 'custom'];

export interface ReportingPeriod {
  period: PeriodKind;
  /** First Bahrain day, inclusive. */
  from: string;
  /** Last Bahrain day, inclusive. */
  to: string;
  /** '2026-03-14', '2026-03', '2026-Q1', '2026', or '2026-01-01/2026-02-15' (ISO 8601 interval). */
  label: string;
  days: number;
}

export interface PeriodQuery {
  period?: unknown;
  date?: unknown;
  from?: unknown;
  to?: unknown;
}

/** The Bahrain calendar day of an instant. */
export function bahrainDay(date: Date): string {
  return new Date(date.getTime() + BAHRAIN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Bahrain day starts (00:00+03:00), for `occurred_at >= …` bounds. */
export function bahrainDayStart(day: string): Date {
  return new Date(dayNumber(day) * DAY_MS - BAHRAIN_OFFSET_MS);
}

/** The day after a day (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  return dayText(dayNumber(day) + 1);
}

/** The first day of the month after the month of a day. */
export function nextMonthStart(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${pad2(m + 1)}-01`;
}

const dayNumber = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
const dayText = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A real calendar day between 2000 and 2099, or null. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  // Date.UTC rolls 2025-02-29 over to 03-01: refuse it instead.
  return dayText(Date.UTC(y, Number(m[2]) - 1, Number(m[3])) / DAY_MS) === text ? text : null;
}

function make(period: PeriodKind, fromDay: number, toDay: number, label: string): ReportingPeriod {
  return { period, from: dayText(fromDay), to: dayText(toDay), label, days: toDay - fromDay + 1 };
}

/** The calendar day, month, quarter or year that contains `day`. */
function containing(period: Exclude<PeriodKind, 'custom'>, day: string): ReportingPeriod {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const monthsFrom = (first: number, count: number): [number, number] => [
    Date.UTC(y, first - 1, 1) / DAY_MS,
    Date.UTC(y, first - 1 + count, 1) / DAY_MS - 1,
  ];
  switch (period) {
    case 'day':
      return make('day', dayNumber(day), dayNumber(day), day);
    case 'month':
      return make('month', ...monthsFrom(m, 1), `${y}-${pad2(m)}`);
    case 'quarter': {
      const q = Math.ceil(m / 3);
      return make('quarter', ...monthsFrom(q * 3 - 2, 3), `${y}-Q${q}`);
    }
    case 'year':
      return make('year', ...monthsFrom(1, 12), String(y));
  }
}

/** First day named by `date` in the format of its period, or null when it does not match. */
function firstDayOf(period: Exclude<PeriodKind, 'custom'>, date: string): string | null {
  switch (period) {
    case 'day':
      return parseDay(date);
    case 'month':
      return /^\d{4}-\d{2}$/.test(date) ? parseDay(`${date}-01`) : null;
    case 'quarter': {
      const m = /^(\d{4})-Q([1-4])$/.exec(date);
      return m ? parseDay(`${m[1]}-${pad2(Number(m[2]) * 3 - 2)}-01`) : null;
    }
    case 'year':
      return /^\d{4}$/.test(date) ? parseDay(`${date}-01-01`) : null;
  }
}

const FORMATS: Record<Exclude<PeriodKind, 'custom'>, string> = {
  day: 'YYYY-MM-DD',
  month: 'YYYY-MM',
  quarter: 'YYYY-Qn',
  year: 'YYYY',
};

export interface ResolveOptions {
  /** Today in Bahrain (bahrainDay(clock.now())): the default `date` when none is given. */
  today?: string;
  /** Prefix of error paths. Default 'query'. */
  path?: string;
}

/**
 * `{ period: 'quarter', date: '2026-Q1' }` → 2026-01-01..2026-03-31. Without `date`, the period
 * containing `today`. `custom` takes `from` and `to` (inclusive) instead of `date`.
 */
export function resolvePeriod(
  query: PeriodQuery,
  options: ResolveOptions = {},
): { ok: ReportingPeriod } | { errors: FieldError[] } {
  const prefix = options.path ?? 'query';
  const errors: FieldError[] = [];
  const error = (field: string, reason: string, message: string): { errors: FieldError[] } => {
    errors.push({ field: `${prefix}.${field}`, reason, message });
    return { errors };
  };
  const { period, date, from, to } = query;
  if (period === undefined)
    return error('period', 'required', `is required: one of ${PERIOD_KINDS.join(', ')}`);
  if (typeof period !== 'string' || !PERIOD_KINDS.includes(period as PeriodKind))
    return error('period', 'enum', `must be one of ${PERIOD_KINDS.join(', ')}`);

  if (period === 'custom') {
    if (date !== undefined)
      error('date', 'unexpected', 'is not used with a custom period; give from and to');
    const day = (field: 'from' | 'to', value: unknown): string | null => {
      if (value === undefined) error(field, 'required', 'is required for a custom period');
      else if (typeof value !== 'string' || parseDay(value) === null)
        error(field, 'format', 'must be a day YYYY-MM-DD between 2000 and 2099');
      else return value;
      return null;
    };
    const f = day('from', from);
    const t = day('to', to);
    if (f === null || t === null || errors.length > 0) return { errors };
    const days = dayNumber(t) - dayNumber(f) + 1;
    if (days < 1) return error('to', 'range', 'must not be before from');
    if (days > MAX_CUSTOM_DAYS)
      return error('to', 'range', `must be at most ${MAX_CUSTOM_DAYS} days after from`);
    return { ok: make('custom', dayNumber(f), dayNumber(t), `${f}/${t}`) };
  }

  const kind = period as Exclude<PeriodKind, 'custom'>;
  if (from !== undefined) error('from', 'unexpected', 'is only for a custom period');
  if (to !== undefined) error('to', 'unexpected', 'is only for a custom period');
  if (date === undefined) {
    if (options.today === undefined) error('date', 'required', `is required (${FORMATS[kind]})`);
    if (errors.length > 0) return { errors };
    return { ok: containing(kind, options.today!) };
  }
  const first = typeof date === 'string' ? firstDayOf(kind, date) : null;
  if (first === null)
    error('date', 'format', `must be ${FORMATS[kind]} for a ${kind} period, year 2000 to 2099`);
  if (errors.length > 0) return { errors };
  return { ok: containing(kind, first!) };
}

/** The period just before: previous day/month/quarter/year, or as many days just before a custom range. */
export function previousPeriod(p: ReportingPeriod): ReportingPeriod {
  const start = dayNumber(p.from);
  if (p.period === 'custom') {
    const f = start - p.days;
    return make('custom', f, start - 1, `${dayText(f)}/${dayText(start - 1)}`);
  }
  return containing(p.period, dayText(start - 1));
}

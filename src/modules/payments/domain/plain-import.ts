import { PlainCsvScanner } from './plain-csv.js';
import { BAHRAIN_OFFSET_MS } from './periods.js';
import type { RollupDelta } from './rollup-key.js';
import type { PaymentChannel, TransactionKind, TransactionStatus } from './channels.js';

const DAY_MS = 86_400_000;
/** Below this many digits an amount is exact as a double, and so are sums below 2^53. */
const SAFE_DIGITS = 15;
/** Sums are moved into a bigint before they could pass 2^53 with one more safe amount. */
const FLUSH_AT = 2 ** 53 - 10 ** 15;

interface Bucket {
  count: number;
  amount: number;
  amountBig: bigint;
  fee: number;
  feeBig: bigint;
}

/**
 * The CSV import's fast path, in Node, while PostgreSQL copies: scans the bytes of the file with
 * `PlainCsvScanner` (canonical header, 11 fields, printable ASCII, canonical times and amounts:
 * the file must be read by COPY as we read it), turns each line into a line of the fact table's COPY (`external_ref, occurred_at,
 * service_code, agency_code, channel, kind, status, amount_fils, fee_fils, occurred_at_text,
 * original_ref, source`), and folds it into the daily rollup deltas, so the database does not
 * group the rows a second time.
 *
 * It also checks, per row, what neither the scan nor the fact table's columns and CHECKs check:
 * the time range (`notBefore`..`notAfter`), a real calendar day, the currency, an original given
 * exactly for refunds and reversals and never the row's own reference. Codes and enums are
 * checked by the caller on the distinct values of the deltas (`deltas()`); originals against
 * the stored facts (`originals`). Any failure makes `ok` false: the caller then rolls back and
 * the diagnosing path names the lines.
 */
export class PlainRowFolder {
  ok = true;
  rows = 0;
  /** Agency and original reference of every refund and reversal, to check they exist. */
  readonly originals = { agencies: [] as string[], refs: [] as string[] };
  /** By `service,agency,channel,kind,status`, then by day number. */
  private readonly buckets = new Map<string, Map<number, Bucket>>();
  private readonly commas = new Int32Array(10);
  private readonly days = new Map<number, string>();
  private readonly scanner = new PlainCsvScanner();
  private rest = '';
  private header = true;

  constructor(
    private readonly notBefore: number,
    private readonly notAfter: number,
  ) {}

  /**
   * The COPY lines of the complete lines of this chunk (the file's bytes, in order). The bytes
   * are scanned here too: once `ok` is false, nothing more is read (the caller stops the COPY).
   */
  push(chunk: Buffer): string {
    this.scanner.push(chunk);
    if (!this.scanner.isPlain) return this.fail();
    if (!this.ok) return '';
    const text = this.rest + chunk.toString('latin1');
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.rest = text;
      return '';
    }
    this.rest = text.slice(end + 1);
    return this.lines(text, end);
  }

  /**
   * The COPY line of a last line without its line feed. Afterwards `ok` says whether the whole
   * file was plain (`PlainCsvScanner`) and every row passed; `rows` is its number of rows.
   */
  finish(): string {
    const text = this.rest;
    this.rest = '';
    const out = text && this.ok ? this.lines(`${text}\n`, text.length) : '';
    const scanned = this.scanner.finish();
    if (scanned === null || scanned !== this.rows || scanned === 0) return this.fail();
    return out;
  }

  /** The distinct (service, agency, channel, kind, status) of the rows read, for the caller's checks. */
  combos(): {
    serviceCode: string;
    agencyCode: string;
    channel: string;
    kind: string;
    status: string;
  }[] {
    return [...this.buckets.keys()].map((combo) => {
      const [serviceCode, agencyCode, channel, kind, status] = combo.split(',');
      return { serviceCode, agencyCode, channel, kind, status };
    });
  }

  /** The deltas, one per key: counts and sums of the rows read. */
  deltas(): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const [combo, days] of this.buckets) {
      const [serviceCode, agencyCode, channel, kind, status] = combo.split(',');
      for (const [dayNo, b] of days) {
        let day = this.days.get(dayNo);
        if (day === undefined) {
          day = new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
          this.days.set(dayNo, day);
        }
        out.push({
          day,
          serviceCode,
          agencyCode,
          channel: channel as PaymentChannel,
          kind: kind as TransactionKind,
          status: status as TransactionStatus,
          count: b.count,
          amountFils: b.amountBig + BigInt(b.amount),
          feeFils: b.feeBig + BigInt(b.fee),
        });
      }
    }
    return out;
  }

  private lines(text: string, end: number): string {
    let out = '';
    let start = 0;
    while (start <= end) {
      const nl = text.indexOf('\n', start);
      const stop = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      if (this.header) this.header = false;
      else out += this.row(text, start, stop);
      start = nl + 1;
    }
    return out;
  }

  /** The line `text[s, e)`: fields found by their commas, read in place (no array, few strings). */
  private row(text: string, s: number, e: number): string {
    this.rows++;
    const p = this.commas;
    let c = s - 1;
    for (let k = 0; k < 10; k++) {
      c = text.indexOf(',', c + 1);
      if (c < 0 || c >= e) return this.fail();
      p[k] = c;
    }
    if (text.indexOf(',', c + 1) < e && text.indexOf(',', c + 1) >= 0) return this.fail();
    // Fields: 0 ref [s, p0), 1 time, 2 service … 6 status, 7 amount, 8 fee, 9 currency, 10 original [p9+1, e).
    if (
      p[9] - p[8] !== 4 ||
      text.charCodeAt(p[8] + 1) !== 66 || // B
      text.charCodeAt(p[8] + 2) !== 72 || // H
      text.charCodeAt(p[8] + 3) !== 68 // D
    )
      return this.fail();
    const hasOriginal = e > p[9] + 1;
    // A kind other than the three fails the table's CHECK during the COPY.
    const isPayment = p[5] - p[4] === 8 && text.startsWith('payment', p[4] + 1);
    if (hasOriginal === isPayment) return this.fail();
    let original = '';
    if (hasOriginal) {
      original = text.substring(p[9] + 1, e);
      if (p[0] - s === e - p[9] - 1 && text.startsWith(original, s)) return this.fail();
    }
    const ms = instant(text, p[0] + 1, p[1] - p[0] - 1);
    if (ms === null || ms < this.notBefore || ms > this.notAfter) return this.fail();
    const dayNo = Math.floor((ms + BAHRAIN_OFFSET_MS) / DAY_MS);
    // Service, agency, channel, kind and status are one run of the line: one string, one look-up.
    const combo = text.substring(p[1] + 1, p[6]);
    let days = this.buckets.get(combo);
    if (!days) {
      days = new Map();
      this.buckets.set(combo, days);
    }
    let b = days.get(dayNo);
    if (!b) {
      b = { count: 0, amount: 0, amountBig: 0n, fee: 0, feeBig: 0n };
      days.set(dayNo, b);
    }
    b.count++;
    const amountDigits = p[7] - p[6] - 1;
    if (amountDigits <= SAFE_DIGITS) {
      b.amount += digits(text, p[6] + 1, p[7]);
      if (b.amount >= FLUSH_AT) {
        b.amountBig += BigInt(b.amount);
        b.amount = 0;
      }
    } else b.amountBig += BigInt(text.substring(p[6] + 1, p[7]));
    const feeDigits = p[8] - p[7] - 1;
    if (feeDigits <= SAFE_DIGITS) {
      b.fee += digits(text, p[7] + 1, p[8]);
      if (b.fee >= FLUSH_AT) {
        b.feeBig += BigInt(b.fee);
        b.fee = 0;
      }
    } else b.feeBig += BigInt(text.substring(p[7] + 1, p[8]));
    if (hasOriginal) {
      this.originals.agencies.push(text.substring(p[2] + 1, p[3]));
      this.originals.refs.push(original);
    }
    // The line up to the fee, the time again for occurred_at_text, the original, the source.
    return `${text.substring(s, p[8] + 1)}${text.substring(p[0] + 1, p[1])}${text.substring(p[9], e)},csv\n`;
  }

  private fail(): string {
    this.ok = false;
    return '';
  }
}

const CR = 13;

/** The decimal digits of `text[s, e)` as a number (at most SAFE_DIGITS of them). */
function digits(text: string, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM` (the shape the scan
 * let through) at `text[s, s + length)`, or null for a day the calendar does not have (the
 * database's cast refuses it too).
 */
export function instant(text: string, s = 0, length = text.length - s): number | null {
  const y = two(text, s) * 100 + two(text, s + 2);
  const mo = two(text, s + 5);
  const d = two(text, s + 8);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return null;
  let offset = 0;
  if (length === 25) {
    offset = (two(text, s + 20) * 60 + two(text, s + 23)) * 60_000;
    if (text.charCodeAt(s + 19) === 45) offset = -offset;
  }
  return Date.UTC(y, mo - 1, d, two(text, s + 11), two(text, s + 14), two(text, s + 17)) - offset;
}

import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * CSV for Excel and for machines: CRLF, quotes only where needed, UTF-8 with a BOM so Excel shows
 * Arabic. Every text cell is guarded against formula injection (OWASP): one that starts with
 * = + - @ TAB or CR gets a leading `'`. Numbers we produce ourselves must not be mangled that way
 * (a negative net total starts with `-`), so they are typed cells: a `bigint`, a safe-integer
 * `number`, or `csvNumber('-12.500')`. Strings are always text, so an attacker's value is never
 * mistaken for one of our numbers.
 */

export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

/** A decimal we formatted ourselves (e.g. formatBhd), written without the injection guard. */
export class CsvNumber {
  private constructor(readonly text: string) {}

  /** Accepts `-?digits(.digits)?` only, so a typed cell can never smuggle a formula. */
  static of(text: string): CsvNumber {
    let i = text.charCodeAt(0) === 45 ? 1 : 0;
    let digits = 0;
    let dot = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else if (c === 46 && !dot && digits > 0 && i < text.length - 1) dot = true;
      else throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
    }
    if (digits === 0) throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
    return new CsvNumber(text);
  }
}

export const csvNumber = (text: string): CsvNumber => CsvNumber.of(text);

/** Text (guarded), a typed number, or empty (null/undefined). */
export type CsvCell = string | bigint | number | CsvNumber | null | undefined;

/** Quotes when the text holds a comma, quote, CR or LF; guards formula starts. */
export function csvText(value: string): string {
  const n = value.length;
  if (n === 0) return '';
  const first = value.charCodeAt(0);
  // = + - @ TAB CR
  const guard =
    first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
  let quote = false;
  let hasQuote = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) {
      hasQuote = true;
      quote = true;
    } else if (c === 44 || c === 10 || c === 13) quote = true;
  }
  const text = guard ? `'${value}` : value;
  if (!quote) return text;
  return `"${hasQuote ? text.replaceAll('"', '""') : text}"`;
}

export function csvCell(value: CsvCell): string {
  if (typeof value === 'string') return csvText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    // Integers only: counts and ids. Money is bigint, and a float has no place in an export.
    if (!Number.isSafeInteger(value))
      throw new TypeError(`CSV number cells must be safe integers, got ${value}`);
    return String(value);
  }
  return value === null || value === undefined ? '' : value.text;
}

/** One record with its CRLF. */
export function csvRow(values: readonly CsvCell[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(values[i]);
  }
  return line + CSV_EOL;
}

export interface WriteCsvOptions {
  /** Start with CSV_BOM (for Excel). Default true. */
  bom?: boolean;
  header?: readonly string[];
  /** Bytes gathered before each write; big chunks keep 10 million rows cheap. Default 1 MiB. */
  chunkSize?: number;
}

/**
 * Writes rows to a stream in large chunks and waits for 'drain' when the stream is full, so a
 * 10-million-row export runs in constant memory. Each row is encoded into a byte buffer at once
 * rather than appended to a big string: a long concatenated string keeps every small piece alive
 * until it is written, and the garbage collector then spends more time than the export.
 * A sync iterable is read without an await per row. Does not end the stream.
 */
export async function writeCsv(
  out: Writable,
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
  options: WriteCsvOptions = {},
): Promise<number> {
  const size = options.chunkSize ?? 1 << 20;
  let buffer = Buffer.allocUnsafe(size);
  let used = 0;
  let count = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(size);
    used = 0;
    if (!out.write(full)) await once(out, 'drain');
  };
  // Returns false when the line had to wait for room: only then does the caller await.
  const tryPut = (line: string): boolean => {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    if (used + line.length * 3 > size) return false;
    used += buffer.write(line, used);
    return true;
  };
  const put = async (line: string): Promise<void> => {
    await flush();
    if (!tryPut(line) && !out.write(line)) await once(out, 'drain');
  };

  let head = options.bom === false ? '' : CSV_BOM;
  if (options.header) head += csvRow(options.header);
  if (head && !tryPut(head)) await put(head);
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      const line = csvRow(row);
      if (!tryPut(line)) await put(line);
      count++;
    }
  } else {
    for await (const row of rows) {
      const line = csvRow(row);
      if (!tryPut(line)) await put(line);
      count++;
    }
  }
  await flush();
  return count;
}

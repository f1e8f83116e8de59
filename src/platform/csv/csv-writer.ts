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
  /** Characters gathered before each write; big chunks keep 10 million rows cheap. Default 1 MiB. */
  chunkSize?: number;
}

/**
 * Writes rows to a stream in large chunks and waits for 'drain' when the stream is full, so a
 * 10-million-row export runs in constant memory. Does not end the stream.
 */
export async function writeCsv(
  out: Writable,
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
  options: WriteCsvOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  let chunk = options.bom === false ? '' : CSV_BOM;
  if (options.header) chunk += csvRow(options.header);
  let count = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length > 0 && !out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  for await (const row of rows) {
    chunk += csvRow(row);
    count++;
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return count;
}

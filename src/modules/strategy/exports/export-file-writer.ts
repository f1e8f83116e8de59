import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type CsvCell, CsvNumber, csvText, writeCsv } from '../../../platform/csv/csv-writer.js';

/** A file sink that hashes (SHA-256) and counts every byte on its way to disk. */
export class HashingFileSink extends Writable {
  private readonly hash = createHash('sha256');
  bytes = 0;
  private readonly file: WriteStream;

  constructor(path: string) {
    super({ highWaterMark: 4 << 20 });
    this.file = createWriteStream(path, { flags: 'wx' });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.file.write(chunk)) done();
    else this.file.once('drain', () => done());
  }

  override _final(done: (e?: Error | null) => void): void {
    this.file.end(() => done());
  }

  override _destroy(err: Error | null, done: (e?: Error | null) => void): void {
    this.file.destroy();
    done(err);
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    if (!this.writableEnded) this.end();
    if (!this.writableFinished) await once(this, 'finish');
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

export async function writeCsvExport(
  sink: HashingFileSink,
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): Promise<number> {
  return writeCsv(sink, rows, { header });
}

/**
 * XLSX through exceljs's streaming WorkbookWriter: each row is committed and released, so memory
 * stays flat. Text keeps the same formula guard as CSV (a cell is never a formula anyway, but a
 * copy-paste into another sheet would be); integers stay numbers (all safe integers: exact).
 */
function xlsxCell(c: CsvCell): string | number | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'string') {
    const first = c.charCodeAt(0);
    const guard =
      first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
    return guard ? `'${c}` : c;
  }
  if (typeof c === 'bigint')
    return c <= BigInt(Number.MAX_SAFE_INTEGER) && c >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(c)
      : c.toString();
  if (typeof c === 'number') return c;
  if (c instanceof CsvNumber) return c.text;
  return csvText(String(c));
}

export async function writeXlsxExport(
  sink: HashingFileSink,
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow([...header]).commit();
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(row.map(xlsxCell)).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

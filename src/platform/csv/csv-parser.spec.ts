import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CsvParseError,
  csvRecordToObject,
  parseCsv,
  parseCsvBatches,
  type CsvRecord,
} from './csv-parser.js';
import { csvRow } from './csv-writer.js';

async function parse(input: string | Uint8Array | (string | Uint8Array)[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of parseCsv(Array.isArray(input) ? input : [input])) out.push(r);
  return out;
}

async function parseError(input: string | Uint8Array): Promise<CsvParseError> {
  try {
    await parse(input);
  } catch (e) {
    if (e instanceof CsvParseError) return e;
    throw e;
  }
  throw new Error('expected a CsvParseError');
}

const fieldsOf = (records: CsvRecord[]): string[][] => records.map((r) => r.fields);

describe('parseCsv', () => {
  it('reads LF and CRLF lines and a last line without newline', async () => {
    expect(fieldsOf(await parse('a,b\r\nc,d\ne,f'))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('drops a UTF-8 BOM, from bytes and from text', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('id\r\n1\r\n')]);
    expect(fieldsOf(await parse(bytes))).toEqual([['id'], ['1']]);
    expect(fieldsOf(await parse('\uFEFFid\n'))).toEqual([['id']]);
  });

  it('reads quoted fields with "" escapes, commas and embedded line breaks', async () => {
    const records = await parse(
      'ref,note\r\n"A-1","say ""hi"", then\r\nleave"\r\n"B-2","x\ny"\r\nC-3,\r\n',
    );
    expect(records).toEqual([
      { line: 1, fields: ['ref', 'note'] },
      { line: 2, fields: ['A-1', 'say "hi", then\r\nleave'] },
      { line: 4, fields: ['B-2', 'x\ny'] },
      { line: 6, fields: ['C-3', ''] },
    ]);
  });

  it('keeps empty fields and an empty quoted record, skips blank lines', async () => {
    expect(await parse('a,,\n\n\r\n""\n,\n')).toEqual([
      { line: 1, fields: ['a', '', ''] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['', ''] },
    ]);
  });

  it('reads Arabic split inside a multi-byte character across chunks', async () => {
    const bytes = new TextEncoder().encode('الاسم,المبلغ\n');
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9)];
    expect(fieldsOf(await parse(chunks))).toEqual([['الاسم', 'المبلغ']]);
  });

  it('reads from a Node Readable', async () => {
    const out: CsvRecord[] = [];
    for await (const r of parseCsv(Readable.from([Buffer.from('a,"b\n'), Buffer.from('c"\n')])))
      out.push(r);
    expect(out).toEqual([{ line: 1, fields: ['a', 'b\nc'] }]);
  });

  it('reports an unclosed quote at the line where it opened', async () => {
    const e = await parseError('a,b\nc,"d\ne\nf');
    expect(e).toMatchObject({ reason: 'unclosed_quote', line: 2 });
  });

  it('reports a stray quote inside an unquoted field with its line', async () => {
    expect(await parseError('a\r\nb\r\nc"d\r\n')).toMatchObject({ reason: 'stray_quote', line: 3 });
  });

  it('reports text after a closing quote', async () => {
    expect(await parseError('"a"b,c\n')).toMatchObject({ reason: 'text_after_quote', line: 1 });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await parseError(new Uint8Array([0x61, 0x0a, 0xc7, 0xe1, 0x0a]))).toMatchObject({
      reason: 'encoding',
    });
  });

  it('stops a record that grows past the limit', async () => {
    const records = parseCsv(['"', 'x'.repeat(100)], { maxRecordLength: 50 });
    await expect(records.next()).rejects.toMatchObject({ reason: 'too_long', line: 1 });
  });

  // Cells the writer leaves untouched (no formula guard), so the round trip is exact.
  const tricky = fc.string({ unit: fc.constantFrom('a', 'ب', '"', ',', '\r', '\n', ' ', '\t') });
  const cell = fc
    .oneof(fc.string({ unit: 'grapheme' }), tricky)
    .map((s) => (/^[=+\-@\t\r]/.test(s) ? `x${s}` : s));
  const record = fc
    .array(cell, { minLength: 1, maxLength: 6 })
    .filter((r) => !(r.length === 1 && r[0] === ''));

  it('reads back whatever csvRow wrote, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (records, cuts) => {
          const bytes = new TextEncoder().encode(records.map((r) => csvRow(r)).join(''));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...points].map((p, i, all) =>
            bytes.subarray(p, all[i + 1] ?? bytes.length),
          );
          const parsed = await parse(chunks);
          expect(fieldsOf(parsed)).toEqual(records);
          // Each record starts one line after the line breaks written before it.
          let line = 1;
          records.forEach((r, i) => {
            expect(parsed[i].line).toBe(line);
            line +=
              csvRow(r).replaceAll('\r\n', '\n').replaceAll('\r', '\n').split('\n').length - 1;
          });
        },
      ),
    );
  });
});

describe('parseCsvBatches', () => {
  it('gives the records completed by each chunk, the last line included', async () => {
    const batches: CsvRecord[][] = [];
    for await (const b of parseCsvBatches(['a\nb', '\nc\nd', ''])) batches.push(b);
    expect(batches.map((b) => b.map((r) => `${r.line}:${r.fields[0]}`))).toEqual([
      ['1:a'],
      ['2:b', '3:c'],
      ['4:d'],
    ]);
  });
});

describe('csvRecordToObject', () => {
  it('keys fields by header and leaves out empty cells', () => {
    const r = csvRecordToObject(['a', 'b', 'c'], { line: 2, fields: ['1', '', '3'] });
    expect(r).toEqual({ value: { a: '1', c: '3' } });
  });

  it('refuses a record with the wrong number of fields, naming the line', () => {
    expect(csvRecordToObject(['a', 'b'], { line: 7, fields: ['1'] })).toEqual({
      error: 'line 7: 1 fields where the header has 2',
    });
  });
});

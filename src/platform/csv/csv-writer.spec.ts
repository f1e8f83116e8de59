import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CSV_BOM, csvNumber, csvRow, writeCsv } from './csv-writer.js';

describe('csvRow', () => {
  it('ends with CRLF and quotes only what needs quoting', () => {
    expect(csvRow(['a', 'b c', 'x,y', 'say "hi"', 'two\nlines', ''])).toBe(
      'a,b c,"x,y","say ""hi""","two\nlines",\r\n',
    );
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+973', "'+973"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('guards the text %j against formula injection', (text, cell) => {
    expect(csvRow([text])).toBe(`${cell}\r\n`);
  });

  it('writes typed numbers untouched, negatives included', () => {
    expect(csvRow([-74_000_000_000n, 42, csvNumber('-12.500'), null, undefined])).toBe(
      '-74000000000,42,-12.500,,\r\n',
    );
  });

  it('refuses floats and anything that is not a decimal as a number cell', () => {
    expect(() => csvRow([0.1])).toThrow(TypeError);
    expect(() => csvRow([Number.NaN])).toThrow(TypeError);
    for (const bad of ['=1+1', '1e3', '', '-', '1.', '.5', '1.2.3', '+1'])
      expect(() => csvNumber(bad)).toThrow(TypeError);
  });

  it('never lets a text cell start with a formula character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ',', 'a') }),
        (s) => {
          const cell = csvRow([s]).slice(0, -2);
          const start = cell.startsWith('"') ? cell.slice(1) : cell;
          return !/^[=+\-@\t\r]/.test(start);
        },
      ),
    );
  });
});

describe('writeCsv', () => {
  it('writes BOM, header and rows in chunks and counts the rows', async () => {
    const out = new PassThrough();
    const parts: string[] = [];
    out.on('data', (b: Buffer) => parts.push(b.toString('utf8')));
    const rows = Array.from({ length: 500 }, (_, i) => [`R-${i}`, BigInt(i)]);
    const count = await writeCsv(out, rows, { header: ['ref', 'amountFils'], chunkSize: 256 });
    out.end();
    const text = parts.join('');
    expect(count).toBe(500);
    expect(parts.length).toBeGreaterThan(10);
    expect(text.startsWith(`${CSV_BOM}ref,amountFils\r\nR-0,0\r\n`)).toBe(true);
    expect(text.endsWith('R-499,499\r\n')).toBe(true);
  });

  it('writes a row longer than a chunk, from an async source, without a BOM', async () => {
    const out = new PassThrough();
    const parts: string[] = [];
    out.on('data', (b: Buffer) => parts.push(b.toString('utf8')));
    async function* rows(): AsyncGenerator<string[]> {
      yield ['short'];
      yield ['ب'.repeat(300)];
      yield ['end'];
    }
    expect(await writeCsv(out, rows(), { bom: false, chunkSize: 64 })).toBe(3);
    out.end();
    expect(parts.join('')).toBe(`short\r\n${'ب'.repeat(300)}\r\nend\r\n`);
  });
});

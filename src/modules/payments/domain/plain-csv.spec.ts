import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PlainCsvScanner } from './plain-csv.js';
import { TRANSACTION_FIELDS, validateTransaction } from './transaction-input.js';

const HEADER = TRANSACTION_FIELDS.join(',');
const ROW = 'NPRA-TX-1,2026-03-01T09:30:00+03:00,NPRA-0001,NPRA,web,payment,succeeded,12500,0,BHD,';
const REFUND =
  'NPRA-TX-2,2026-03-01T09:31:00Z,NPRA-0001,NPRA,web,refund,succeeded,500,0,BHD,NPRA-TX-1';

/** Rows of a plain file, else null; the text fed in chunks of `chunk` bytes. */
function scan(text: string, chunk = 7): number | null {
  const sut = new PlainCsvScanner();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) sut.push(bytes.subarray(i, i + chunk));
  return sut.finish();
}

describe('PlainCsvScanner (which files the CSV import may hand to COPY)', () => {
  it('counts the rows of a plain file, with LF or CRLF, with or without a last line break', () => {
    expect(scan([HEADER, ROW, REFUND, ''].join('\n'))).toBe(2);
    expect(scan([HEADER, ROW, REFUND].join('\n'))).toBe(2);
    expect(scan([HEADER, ROW, REFUND, ''].join('\r\n'), 1)).toBe(2);
    expect(scan([HEADER, ROW].join('\r\n'), 1000)).toBe(1);
    expect(scan(`${HEADER}\n`)).toBe(0);
  });

  it.each([
    ['another header', `${HEADER.replace('feeFils', 'fee')}\n${ROW}\n`],
    ['a byte order mark', `\ufeff${HEADER}\n${ROW}\n`],
    ['a header only, without a line break', HEADER],
    ['a quote', `${HEADER}\n${ROW.replace('NPRA-TX-1', '"NPRA-TX-1"')}\n`],
    [
      'a backslash (COPY would read \\. as the end)',
      `${HEADER}\n${ROW.replace('TX-1', 'TX\\1')}\n`,
    ],
    ['a tab', `${HEADER}\n${ROW.replace('TX-1', 'TX\t1')}\n`],
    ['a non-ASCII reference', `${HEADER}\n${ROW.replace('TX-1', 'TX-١')}\n`],
    ['a leading space', `${HEADER}\n ${ROW}\n`],
    ['a trailing space', `${HEADER}\n${ROW.replace('TX-1,', 'TX-1 ,')}\n`],
    ['a trailing space on originalRef', `${HEADER}\n${REFUND} \n`],
    ['a fraction of a second', `${HEADER}\n${ROW.replace(':00+03:00', ':00.5+03:00')}\n`],
    ['no offset', `${HEADER}\n${ROW.replace('+03:00', '')}\n`],
    ['hour 24', `${HEADER}\n${ROW.replace('T09:', 'T24:')}\n`],
    ['second 60', `${HEADER}\n${ROW.replace(':30:00+', ':30:60+')}\n`],
    ['an offset of 14:30', `${HEADER}\n${ROW.replace('+03:00', '+14:30')}\n`],
    ['a space in the time', `${HEADER}\n${ROW.replace('T09', 'T 9')}\n`],
    ['an amount with a leading zero', `${HEADER}\n${ROW.replace('12500', '012500')}\n`],
    ['an amount with a sign', `${HEADER}\n${ROW.replace('12500', '+12500')}\n`],
    ['an amount of 0', `${HEADER}\n${ROW.replace('12500', '0')}\n`],
    ['an amount of 19 digits', `${HEADER}\n${ROW.replace('12500', '1'.repeat(19))}\n`],
    ['a fee of 00', `${HEADER}\n${ROW.replace(',0,BHD', ',00,BHD')}\n`],
    ['an empty reference', `${HEADER}\n${ROW.replace('NPRA-TX-1', '')}\n`],
    ['a reference of 101 characters', `${HEADER}\n${ROW.replace('NPRA-TX-1', 'R'.repeat(101))}\n`],
    ['a missing field', `${HEADER}\n${ROW.slice(0, -1)}\n`],
    ['an extra field', `${HEADER}\n${ROW},x\n`],
    ['a blank line', `${HEADER}\n${ROW}\n\n${ROW}\n`],
    ['a lone CR', `${HEADER}\n${ROW}\r${ROW}\n`],
  ])('refuses %s (the diagnosing path takes the file)', (_, text) => {
    expect(scan(text)).toBeNull();
  });

  it('accepts only rows whose scanned fields validateTransaction accepts unchanged', () => {
    // The fields the scan checks, drawn from plain and tricky values; the others are fixed valid.
    const piece = (...xs: string[]) => fc.constantFrom(...xs);
    const ref = fc.oneof(
      fc.stringMatching(/^[!-~ ]{0,102}$/),
      piece('A', ' A', 'A ', 'A B', 'NPRA-TX-1', 'x'.repeat(100), 'x'.repeat(101)),
    );
    const time = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 2000, max: 2099 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          piece(
            'Z',
            '+03:00',
            '-00:00',
            '+14:00',
            '+14:01',
            '-13:59',
            '+15:00',
            '+03:60',
            '.5Z',
            '',
          ),
        )
        .map(
          ([y, mo, d, h, mi, z]) =>
            `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(mi).padStart(2, '0')}${z}`,
        ),
      fc.stringMatching(/^[0-9T:+Z-]{18,26}$/),
    );
    const amount = fc.oneof(
      fc.stringMatching(/^[+0-9 -]{0,20}$/),
      fc.bigInt({ min: 0n, max: 10n ** 19n }).map(String),
    );
    fc.assert(
      fc.property(
        ref,
        time,
        amount,
        amount,
        ref,
        (externalRef, at, amountFils, feeFils, original) => {
          const kind = original === '' ? 'payment' : 'refund';
          const fields = [
            externalRef,
            at,
            'NPRA-0001',
            'NPRA',
            'web',
            kind,
            'succeeded',
            amountFils,
            feeFils,
            'BHD',
            original,
          ];
          if (scan(`${HEADER}\n${fields.join(',')}\n`, 5) === null) return;
          const r = validateTransaction(
            Object.fromEntries(
              TRANSACTION_FIELDS.map((f, i) => [f, fields[i]]).filter(([, v]) => v !== ''),
            ),
          );
          // What is left to the database: impossible dates (the cast) and an original naming its own row.
          if ('errors' in r)
            expect(
              r.errors.every(
                (e) =>
                  (e.field === 'occurredAt' && e.reason === 'format') ||
                  (e.field === 'originalRef' && original === externalRef),
              ),
            ).toBe(true);
          if ('errors' in r && r.errors.some((e) => e.field === 'occurredAt')) {
            // …only for a date that does not exist, which PostgreSQL's cast refuses too.
            const [y, m, d] = at.slice(0, 10).split('-').map(Number);
            const real = m >= 1 && m <= 12 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
            expect(real).toBe(false);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

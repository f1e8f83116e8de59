import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PlainCsvScanner } from './plain-csv.js';
import { instant, PlainRowFolder } from './plain-import.js';
import { rollupDeltasForBatch, settleRollupDeltas, rollupKeyString } from './rollup-key.js';
import type { RollupDelta } from './rollup-key.js';
import {
  parseOffsetDateTime,
  TRANSACTION_FIELDS,
  validateTransaction,
} from './transaction-input.js';

const HEADER = TRANSACTION_FIELDS.join(',');
const NOT_BEFORE = Date.parse('2000-01-01T00:00:00Z');
const NOT_AFTER = Date.parse('2030-01-01T00:00:00Z');

/** The folder fed the text in chunks of `chunk` bytes: COPY text, ok, rows, deltas. */
function fold(text: string, chunk = 7) {
  const sut = new PlainRowFolder(NOT_BEFORE, NOT_AFTER);
  const bytes = Buffer.from(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += chunk) out += sut.push(bytes.subarray(i, i + chunk));
  out += sut.finish();
  return { out, ok: sut.ok, rows: sut.rows, deltas: sut.deltas(), originals: sut.originals };
}

const sorted = (ds: RollupDelta[]) =>
  settleRollupDeltas(new Map(ds.map((d) => [rollupKeyString(d), d])));

describe('PlainRowFolder (the CSV fast path in Node while PostgreSQL copies)', () => {
  it('writes each row in the fact table’s COPY columns and folds its rollup delta', () => {
    const text = [
      HEADER,
      'A-1,2026-03-01T23:30:00Z,NPRA-0001,NPRA,web,payment,succeeded,12500,100,BHD,',
      'A-2,2026-03-02T01:00:00+03:00,NPRA-0001,NPRA,web,payment,succeeded,500,0,BHD,',
      'A-3,2026-03-02T01:00:00+03:00,NPRA-0001,NPRA,web,refund,succeeded,500,0,BHD,A-1',
    ].join('\r\n');
    const r = fold(text, 5);
    expect(r.ok).toBe(true);
    expect(r.rows).toBe(3);
    expect(r.out.split('\n')).toEqual([
      'A-1,2026-03-01T23:30:00Z,NPRA-0001,NPRA,web,payment,succeeded,12500,100,2026-03-01T23:30:00Z,,csv',
      'A-2,2026-03-02T01:00:00+03:00,NPRA-0001,NPRA,web,payment,succeeded,500,0,2026-03-02T01:00:00+03:00,,csv',
      'A-3,2026-03-02T01:00:00+03:00,NPRA-0001,NPRA,web,refund,succeeded,500,0,2026-03-02T01:00:00+03:00,A-1,csv',
      '',
    ]);
    // 23:30Z is 02:30 on 2 March in Bahrain: both payments on one key.
    expect(sorted(r.deltas)).toEqual([
      expect.objectContaining({
        day: '2026-03-02',
        kind: 'payment',
        count: 2,
        amountFils: 13000n,
        feeFils: 100n,
      }),
      expect.objectContaining({ day: '2026-03-02', kind: 'refund', count: 1, amountFils: 500n }),
    ]);
    expect(r.originals).toEqual({ agencies: ['NPRA'], refs: ['A-1'] });
  });

  it.each([
    ['another currency', 'A-1,2026-03-01T10:00:00Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,USD,'],
    [
      'a payment with an original',
      'A-1,2026-03-01T10:00:00Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,BHD,A-0',
    ],
    [
      'a refund without one',
      'A-1,2026-03-01T10:00:00Z,NPRA-0001,NPRA,web,refund,succeeded,1,0,BHD,',
    ],
    [
      'an original naming its own row',
      'A-1,2026-03-01T10:00:00Z,NPRA-0001,NPRA,web,reversal,succeeded,1,0,BHD,A-1',
    ],
    [
      'a time before 2000',
      'A-1,1999-12-31T10:00:00Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,BHD,',
    ],
    [
      'a time after the bound',
      'A-1,2030-01-01T00:00:01Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,BHD,',
    ],
    ['31 April', 'A-1,2025-04-31T10:00:00Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,BHD,'],
    [
      '29 February of 2025',
      'A-1,2025-02-29T10:00:00Z,NPRA-0001,NPRA,web,payment,succeeded,1,0,BHD,',
    ],
  ])('refuses %s (the diagnosing path names it)', (_, row) => {
    expect(fold(`${HEADER}\n${row}\n`).ok).toBe(false);
  });

  it('reads the time as validateTransaction does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('Z', '+03:00', '-00:00', '+14:00', '-13:59', '+05:30', '-09:45'),
        (d, z) => {
          const at = `${d.toISOString().slice(0, 19)}${z}`;
          expect(instant(at)).toBe(parseOffsetDateTime(at)!.getTime());
        },
      ),
      { numRuns: 2000 },
    );
    expect(instant('2024-02-29T00:00:00Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(instant('2100-02-29T00:00:00Z')).toBeNull();
  });

  it('folds any plain file into the deltas validateTransaction and the batch rollups give, to the fils', () => {
    const row = fc.record({
      at: fc
        .tuple(
          fc.date({
            min: new Date('2020-01-01T00:00:00Z'),
            max: new Date('2029-12-31T00:00:00Z'),
            noInvalidDate: true,
          }),
          fc.constantFrom('Z', '+03:00', '-05:00', '+14:00'),
        )
        .map(([d, z]) => `${d.toISOString().slice(0, 19)}${z}`),
      service: fc.constantFrom('NPRA-0001', 'NPRA-0002', 'GDT-0001'),
      channel: fc.constantFrom('web', 'counter', 'kiosk'),
      status: fc.constantFrom('succeeded', 'pending', 'failed'),
      kind: fc.constantFrom('payment', 'payment', 'refund'),
      amount: fc.oneof(
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.bigInt({ min: 10n ** 14n, max: 10n ** 18n - 1n }),
      ),
      fee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 18n - 1n })),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 300 }),
        (rows, chunk) => {
          const lines = rows.map(
            (r, i) =>
              `R-${i},${r.at},${r.service},${r.service.split('-')[0]},${r.channel},${r.kind},${r.status},${r.amount},${r.fee},BHD,${r.kind === 'payment' ? '' : 'R-X'}`,
          );
          const text = [HEADER, ...lines].join('\n');
          const scanner = new PlainCsvScanner();
          scanner.push(Buffer.from(text));
          expect(scanner.finish()).toBe(rows.length);
          const r = fold(text, chunk);
          expect(r.ok).toBe(true);
          expect(r.rows).toBe(rows.length);
          expect(r.out.split('\n').length).toBe(rows.length + 1);
          const inputs = lines.map((l) => {
            const fields = l.split(',');
            const v = validateTransaction(
              Object.fromEntries(
                TRANSACTION_FIELDS.map((f, i) => [f, fields[i]]).filter(([, x]) => x !== ''),
              ),
            );
            if (!('ok' in v)) throw new Error(JSON.stringify(v.errors));
            return v.ok;
          });
          expect(sorted(r.deltas)).toEqual(rollupDeltasForBatch(inputs));
        },
      ),
      { numRuns: 300 },
    );
  });
});

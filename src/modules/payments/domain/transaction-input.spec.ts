import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  fastCheckCsvRow,
  fastCheckItem,
  MAX_BATCH_SIZE,
  parseDateTimeByPattern,
  parseOffsetDateTime,
  TRANSACTION_FIELDS,
  validateBatch,
  validateTransaction,
  type TransactionInput,
} from './transaction-input.js';

const aPayment = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalRef: 'NPRA-TX-000123',
  occurredAt: '2026-03-01T09:30:00+03:00',
  serviceCode: 'NPRA-0001',
  agencyCode: 'NPRA',
  channel: 'web',
  kind: 'payment',
  status: 'succeeded',
  amountFils: '12500',
  feeFils: '0',
  currency: 'BHD',
  ...over,
});

function valid(value: unknown): TransactionInput {
  const r = validateTransaction(value);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.ok;
}

function fieldsOf(value: unknown, path?: string): string[] {
  const r = validateTransaction(value, { path });
  return 'errors' in r ? r.errors.map((e) => `${e.field}:${e.reason}`) : [];
}

describe('validateTransaction', () => {
  it('normalises a payment: fils as bigint, time as an instant plus the text sent', () => {
    const sut = valid(aPayment());
    expect(sut).toEqual({
      externalRef: 'NPRA-TX-000123',
      occurredAt: new Date('2026-03-01T06:30:00Z'),
      occurredAtText: '2026-03-01T09:30:00+03:00',
      serviceCode: 'NPRA-0001',
      agencyCode: 'NPRA',
      channel: 'web',
      kind: 'payment',
      status: 'succeeded',
      amountFils: 12500n,
      feeFils: 0n,
      currency: 'BHD',
    });
  });

  it('keeps amounts beyond 2^53 exact', () => {
    expect(valid(aPayment({ amountFils: '74000000000000001' })).amountFils).toBe(
      74_000_000_000_000_001n,
    );
  });

  it('accepts a refund that names its payment, and treats null as absent', () => {
    expect(
      valid(aPayment({ kind: 'refund', externalRef: 'R-1', originalRef: 'NPRA-TX-000123' }))
        .originalRef,
    ).toBe('NPRA-TX-000123');
    expect(valid(aPayment({ originalRef: null })).originalRef).toBeUndefined();
  });

  it('requires originalRef for refunds and reversals and refuses it on payments', () => {
    expect(fieldsOf(aPayment({ kind: 'reversal' }))).toEqual(['originalRef:required']);
    expect(fieldsOf(aPayment({ kind: 'refund', originalRef: 'NPRA-TX-000123' }))).toEqual([
      'originalRef:format',
    ]);
    expect(fieldsOf(aPayment({ originalRef: 'X' }))).toEqual(['originalRef:unexpected']);
  });

  it('lists every bad field at once, under the given path', () => {
    const bad = {
      externalRef: '',
      occurredAt: '2026-03-01T09:30:00',
      serviceCode: 'npra-1',
      channel: 'fax',
      kind: 'payment',
      status: 'done',
      amountFils: 12.5,
      feeFils: '-1',
      currency: 'USD',
      colour: 'red',
    };
    expect(fieldsOf(bad, 'items[12]').sort()).toEqual(
      [
        'items[12].colour:unknown',
        'items[12].externalRef:length',
        'items[12].occurredAt:format',
        'items[12].serviceCode:format',
        'items[12].agencyCode:required',
        'items[12].channel:enum',
        'items[12].status:enum',
        'items[12].amountFils:type',
        'items[12].feeFils:range',
        'items[12].currency:enum',
      ].sort(),
    );
  });

  it('refuses a zero amount but accepts a zero fee', () => {
    expect(fieldsOf(aPayment({ amountFils: '0' }))).toEqual(['amountFils:range']);
    expect(fieldsOf(aPayment({ feeFils: '0' }))).toEqual([]);
  });

  it('refuses references with control characters, surrounding spaces or over 100 characters', () => {
    for (const ref of [' A', 'A ', 'A\nB', 'x'.repeat(101)])
      expect(fieldsOf(aPayment({ externalRef: ref }))).toHaveLength(1);
    expect(fieldsOf(aPayment({ externalRef: 'x'.repeat(100) }))).toEqual([]);
    expect(fieldsOf(aPayment({ externalRef: 'مرجع 12' }))).toEqual([]);
  });

  it('refuses an occurredAt in the future when a clock is given', () => {
    const r = validateTransaction(aPayment({ occurredAt: '2026-03-01T10:00:00+03:00' }), {
      now: new Date('2026-03-01T06:30:00Z'),
    });
    expect(r).toEqual({
      errors: [expect.objectContaining({ field: 'occurredAt', reason: 'range' })],
    });
  });

  it.each([null, 'x', [], 42])('refuses %p as a transaction', (value) => {
    expect(fieldsOf(value, 'items[0]')).toEqual(['items[0]:type']);
  });

  it('reads a CSV row whose optional cells were left out', () => {
    const row = Object.assign(Object.create(null) as Record<string, string>, aPayment());
    expect(valid(row).amountFils).toBe(12500n);
  });
});

describe('parseOffsetDateTime', () => {
  it.each([
    ['2026-03-01T09:30:00+03:00', '2026-03-01T06:30:00.000Z'],
    ['2026-03-01T06:30Z', '2026-03-01T06:30:00.000Z'],
    ['2024-02-29T23:59:59.123456-05:30', '2024-03-01T05:29:59.123Z'],
    ['2026-01-01T00:00:00+03:00', '2025-12-31T21:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseOffsetDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-03-01T09:30:00',
    '2026-03-01',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:30:00+15:00',
    '2026-03-01 09:30:00Z',
    '2026-03-01T09:30:00+0300',
  ])('refuses %s', (text) => {
    expect(parseOffsetDateTime(text)).toBeNull();
  });

  it('agrees with Date for every instant written with any offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }),
        (date, quarters) => {
          const offset = quarters * 15;
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseOffsetDateTime(text)?.getTime()).toBe(date.getTime());
        },
      ),
    );
  });
});

describe('parseOffsetDateTime, the usual shapes read by character codes', () => {
  it("gives the regular expression's answer for any digits in those shapes", () => {
    const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
    const digit = fc.constantFrom('0', '1', '2', '9', 'x', '+');
    fc.assert(
      fc.property(
        fc.tuple(two, two, two, two, two, two, two),
        fc.constantFrom('Z', '+', '-', 'z', ' '),
        two,
        two,
        fc.option(fc.tuple(fc.nat({ max: 24 }), digit)),
        ([c, y, mo, d, h, mi, sec], zone, oh, om, change) => {
          let text = `${c}${y}-${mo}-${d}T${h}:${mi}:${sec}${zone === 'Z' || zone === 'z' || zone === ' ' ? zone : `${zone}${oh}:${om}`}`;
          // Now and then one character replaced, so that near misses are compared too.
          if (change) text = text.slice(0, change[0]) + change[1] + text.slice(change[0] + 1);
          expect(parseOffsetDateTime(text)?.getTime() ?? null).toBe(
            parseDateTimeByPattern(text)?.getTime() ?? null,
          );
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('fastCheckItem (the JSON batch shortcut)', () => {
  const now = new Date('2026-11-30T00:00:00Z');

  it('leaves every doubtful item to the long way', () => {
    for (const over of [
      { amountFils: 12500 },
      { amountFils: '012' },
      { feeFils: null },
      { originalRef: null },
      { currency: undefined },
      { note: 'x' },
      { kind: 'refund' },
    ])
      expect(fastCheckItem(aPayment(over), now)).toBeNull();
    expect(fastCheckItem(null, now)).toBeNull();
    expect(fastCheckItem([aPayment()], now)).toBeNull();
  });

  it('returns what the long way returns for every item it takes, and takes the plain ones', () => {
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
    fc.assert(
      fc.property(
        fc.record(
          {
            externalRef: pick('A-1', 'A-2', ' A', '', 'x'.repeat(101), 'ب-٣', 'A\u0007'),
            occurredAt: pick(
              '2026-03-01T09:30:00+03:00',
              '2026-02-30T09:30:00+03:00',
              '2026-12-01T00:00:00Z',
              '2026-11-30T00:04:59Z',
              '1999-12-31T23:59:59Z',
              '2026-03-01T09:30:00+14:01',
              '2026-03-01T09:30:00.123456+03:00',
              '2026-03-01T09:30Z',
            ),
            serviceCode: pick('NPRA-0001', 'NPRA-01', ''),
            agencyCode: pick('NPRA', 'np'),
            channel: pick('web', 'counter', 'Web', 'toString'),
            kind: pick('payment', 'refund', 'reversal', 'gift'),
            status: pick('succeeded', 'pending', 'done'),
            amountFils: pick<unknown>(
              '1',
              '0',
              '2147483648',
              '007',
              '999999999999999999',
              '1e3',
              5,
              '',
            ),
            feeFils: pick('0', '00', '5', '-5'),
            currency: pick<string | null>('BHD', 'bhd', null),
            originalRef: pick<string | null>('A-1', 'A-9', null, ''),
            extra: pick('x'),
          },
          {
            requiredKeys: ['externalRef', 'occurredAt', 'serviceCode', 'agencyCode', 'amountFils'],
          },
        ),
        (v) => {
          const fast = fastCheckItem(v, now);
          const slow = validateTransaction(v, { now });
          if (fast) expect(slow).toEqual({ ok: fast });
          const plain =
            !('extra' in v) &&
            Object.values(v).every((x) => typeof x === 'string') &&
            !(v.kind === 'payment' && 'originalRef' in v);
          if ('ok' in slow && plain && !/[.]/.test(slow.ok.occurredAtText))
            expect(fast).not.toBeNull();
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('validateBatch', () => {
  it('returns every item normalised', () => {
    const r = validateBatch([aPayment(), aPayment({ externalRef: 'B' })]);
    expect('ok' in r && r.ok.map((t) => t.externalRef)).toEqual(['NPRA-TX-000123', 'B']);
  });

  it('refuses a duplicate externalRef inside the batch, naming the first one', () => {
    const r = validateBatch([aPayment(), aPayment({ externalRef: 'B' }), aPayment()]);
    expect(r).toEqual({
      errors: [
        {
          field: 'items[2].externalRef',
          reason: 'duplicate',
          message: 'repeats items[0].externalRef',
        },
      ],
    });
  });

  it('prefixes item errors with their index', () => {
    const r = validateBatch([aPayment(), aPayment({ externalRef: 'B', amountFils: '1.5' })]);
    expect(r).toEqual({
      errors: [expect.objectContaining({ field: 'items[1].amountFils', reason: 'format' })],
    });
  });

  it('refuses an empty batch, an oversized batch and a non-array', () => {
    expect(validateBatch([])).toMatchObject({ errors: [{ field: 'items', reason: 'length' }] });
    const tooMany = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) =>
      aPayment({ externalRef: `R-${i}` }),
    );
    expect(validateBatch(tooMany)).toMatchObject({
      errors: [{ field: 'items', reason: 'length' }],
    });
    expect(validateBatch({ items: [] })).toMatchObject({
      errors: [{ field: 'items', reason: 'type' }],
    });
  });

  it('accepts the largest batch', () => {
    const max = Array.from({ length: MAX_BATCH_SIZE }, (_, i) =>
      aPayment({ externalRef: `R-${i}` }),
    );
    expect('ok' in validateBatch(max)).toBe(true);
  });
});

describe('fastCheckCsvRow (the CSV import shortcut)', () => {
  const now = new Date('2026-11-30T00:00:00Z');
  const row = (over: Partial<Record<(typeof TRANSACTION_FIELDS)[number], string>> = {}) => {
    const v: Record<string, string> = {
      externalRef: 'NPRA-TX-000123',
      occurredAt: '2026-03-01T09:30:00+03:00',
      serviceCode: 'NPRA-0001',
      agencyCode: 'NPRA',
      channel: 'web',
      kind: 'payment',
      status: 'succeeded',
      amountFils: '12500',
      feeFils: '0',
      currency: 'BHD',
      originalRef: '',
      ...over,
    };
    return TRANSACTION_FIELDS.map((f) => v[f]);
  };
  /** What the long way makes of the same fields (blank CSV fields are absent). */
  const longWay = (fields: string[]) =>
    validateTransaction(
      Object.fromEntries(
        TRANSACTION_FIELDS.flatMap((f, i) => (fields[i] === '' ? [] : [[f, fields[i]]])),
      ),
      { now },
    );

  it('accepts a plain row and a refund naming its payment', () => {
    expect(fastCheckCsvRow(row(), now)?.occurredAt.toISOString()).toBe('2026-03-01T06:30:00.000Z');
    expect(fastCheckCsvRow(row({ kind: 'refund', originalRef: 'NPRA-TX-1' }), now)).not.toBeNull();
  });

  it('leaves every doubtful row to the long way', () => {
    for (const over of [
      { amountFils: '0' },
      { amountFils: '012' },
      { amountFils: '1.5' },
      { feeFils: '-1' },
      { currency: 'USD' },
      { channel: 'fax' },
      { kind: 'refund' },
      { originalRef: 'X-1' },
      { kind: 'refund', originalRef: 'NPRA-TX-000123' },
      { externalRef: ' A' },
      { occurredAt: '2026-03-01T09:30:00' },
      { occurredAt: '2027-03-01T09:30:00+03:00' },
      { occurredAt: '1999-12-31T23:00:00Z' },
      { serviceCode: 'npra-1' },
      { amountFils: '9223372036854775807' },
    ])
      expect(fastCheckCsvRow(row(over), now)).toBeNull();
    expect(fastCheckCsvRow(row().slice(0, 10), now)).toBeNull();
  });

  it('accepts exactly the rows the long way accepts, and agrees on the time', () => {
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
    fc.assert(
      fc.property(
        fc.record({
          externalRef: pick('A-1', 'A-2', ' A', '', 'x'.repeat(101), 'ب-٣'),
          occurredAt: pick(
            '2026-03-01T09:30:00+03:00',
            '2026-02-30T09:30:00+03:00',
            '2026-12-01T00:00:00Z',
            '2026-11-30T00:04:59Z',
            '2026-03-01T09:30:00.123456+03:00',
          ),
          serviceCode: pick('NPRA-0001', 'NPRA-01', ''),
          agencyCode: pick('NPRA', 'np'),
          channel: pick('web', 'counter', 'Web', ''),
          kind: pick('payment', 'refund', 'reversal', 'gift'),
          status: pick('succeeded', 'pending', 'done'),
          amountFils: pick('1', '0', '2147483648', '007', '999999999999999999', '1e3', ''),
          feeFils: pick('0', '00', '5', '-5'),
          currency: pick('BHD', 'bhd', ''),
          originalRef: pick('', 'A-1', 'A-9'),
        }),
        (v) => {
          const fields = TRANSACTION_FIELDS.map((f) => v[f]);
          const fast = fastCheckCsvRow(fields, now);
          const slow = longWay(fields);
          if (fast) {
            expect('ok' in slow).toBe(true);
            if ('ok' in slow) expect(fast.occurredAt.getTime()).toBe(slow.ok.occurredAt.getTime());
          }
          // …and, for these values (amounts of at most 18 digits), takes every row it accepts.
          if ('ok' in slow) expect(fast).not.toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

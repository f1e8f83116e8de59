import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  nextDay,
  nextMonthStart,
  MAX_CUSTOM_DAYS,
  bahrainDay,
  bahrainDayStart,
  previousPeriod,
  resolvePeriod,
  type PeriodQuery,
  type ReportingPeriod,
} from './periods.js';

function resolve(query: PeriodQuery, today?: string): ReportingPeriod {
  const r = resolvePeriod(query, { today });
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.ok;
}

const errorsOf = (query: PeriodQuery, today?: string): string[] => {
  const r = resolvePeriod(query, { today });
  return 'errors' in r ? r.errors.map((e) => `${e.field}:${e.reason}`) : [];
};

describe('bahrainDay', () => {
  it('turns to the next day at 21:00 UTC', () => {
    expect(bahrainDay(new Date('2026-03-01T20:59:59.999Z'))).toBe('2026-03-01');
    expect(bahrainDay(new Date('2026-03-01T21:00:00Z'))).toBe('2026-03-02');
    expect(bahrainDay(new Date('2024-12-31T21:00:00Z'))).toBe('2025-01-01');
  });

  it('is the day whose start is at or before the instant and whose next start is after it', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const start = bahrainDayStart(bahrainDay(d)).getTime();
          return start <= d.getTime() && d.getTime() < start + 86_400_000;
        },
      ),
    );
  });
});

describe('resolvePeriod', () => {
  it.each([
    [{ period: 'day', date: '2026-03-14' }, '2026-03-14', '2026-03-14', '2026-03-14', 1],
    [{ period: 'month', date: '2024-02' }, '2024-02-01', '2024-02-29', '2024-02', 29],
    [{ period: 'month', date: '2025-02' }, '2025-02-01', '2025-02-28', '2025-02', 28],
    [{ period: 'quarter', date: '2026-Q1' }, '2026-01-01', '2026-03-31', '2026-Q1', 90],
    [{ period: 'quarter', date: '2024-Q1' }, '2024-01-01', '2024-03-31', '2024-Q1', 91],
    [{ period: 'quarter', date: '2026-Q4' }, '2026-10-01', '2026-12-31', '2026-Q4', 92],
    [{ period: 'year', date: '2024' }, '2024-01-01', '2024-12-31', '2024', 366],
    [
      { period: 'custom', from: '2026-01-15', to: '2026-02-14' },
      '2026-01-15',
      '2026-02-14',
      '2026-01-15/2026-02-14',
      31,
    ],
  ])('resolves %j', (query, from, to, label, days) => {
    expect(resolve(query)).toEqual({ period: query.period, from, to, label, days });
  });

  it('defaults to the period containing today', () => {
    expect(resolve({ period: 'quarter' }, '2026-08-09')).toMatchObject({
      from: '2026-07-01',
      to: '2026-09-30',
      label: '2026-Q3',
    });
    expect(resolve({ period: 'day' }, '2026-08-09').label).toBe('2026-08-09');
  });

  it('asks for a date when no today is known', () => {
    expect(errorsOf({ period: 'month' })).toEqual(['query.date:required']);
  });

  it.each([
    [{}, ['query.period:required']],
    [{ period: 'week' }, ['query.period:enum']],
    [{ period: 'day', date: '2025-02-29' }, ['query.date:format']],
    [{ period: 'day', date: '2026-3-1' }, ['query.date:format']],
    [{ period: 'month', date: '2026-13' }, ['query.date:format']],
    [{ period: 'month', date: '2026-03-01' }, ['query.date:format']],
    [{ period: 'quarter', date: '2026-Q5' }, ['query.date:format']],
    [{ period: 'year', date: '1999' }, ['query.date:format']],
    [{ period: 'year', date: 2026 }, ['query.date:format']],
    [{ period: 'month', date: '2026-03', from: '2026-03-01' }, ['query.from:unexpected']],
    [{ period: 'custom', from: '2026-03-01' }, ['query.to:required']],
    [
      { period: 'custom', date: '2026', from: '2026-03-01', to: 'x' },
      ['query.date:unexpected', 'query.to:format'],
    ],
    [{ period: 'custom', from: '2026-03-02', to: '2026-03-01' }, ['query.to:range']],
  ])('refuses %j', (query, errors) => {
    expect(errorsOf(query, '2026-08-09')).toEqual(errors);
  });

  it(`accepts a custom range of ${MAX_CUSTOM_DAYS} days and refuses one more`, () => {
    expect(resolve({ period: 'custom', from: '2024-01-01', to: '2026-12-31' }).days).toBe(
      MAX_CUSTOM_DAYS,
    );
    expect(errorsOf({ period: 'custom', from: '2023-12-31', to: '2026-12-31' })).toEqual([
      'query.to:range',
    ]);
  });
});

describe('previousPeriod', () => {
  it.each([
    [{ period: 'day', date: '2024-03-01' }, '2024-02-29', '2024-02-29'],
    [{ period: 'month', date: '2026-01' }, '2025-12-01', '2025-12-31'],
    [{ period: 'month', date: '2024-03' }, '2024-02-01', '2024-02-29'],
    [{ period: 'quarter', date: '2026-Q1' }, '2025-10-01', '2025-12-31'],
    [{ period: 'year', date: '2025' }, '2024-01-01', '2024-12-31'],
    [{ period: 'custom', from: '2024-03-01', to: '2024-03-10' }, '2024-02-20', '2024-02-29'],
  ])('of %j runs %s..%s', (query, from, to) => {
    expect(previousPeriod(resolve(query))).toMatchObject({ period: query.period, from, to });
  });

  const day = fc
    .date({
      min: new Date('2001-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it('ends the day before the period starts, and a custom one has the same length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('day', 'month', 'quarter', 'year', 'custom'),
        day,
        fc.integer({ min: 0, max: MAX_CUSTOM_DAYS - 1 }),
        (period, today, extra) => {
          const to = new Date(Date.parse(today) + extra * 86_400_000).toISOString().slice(0, 10);
          const p =
            period === 'custom'
              ? resolve({ period, from: today, to: to > '2099-12-31' ? '2099-12-31' : to })
              : resolve({ period }, today);
          const prev = previousPeriod(p);
          expect(Date.parse(p.from) - Date.parse(prev.to)).toBe(86_400_000);
          if (period === 'custom') expect(prev.days).toBe(p.days);
          expect(prev.days).toBe((Date.parse(prev.to) - Date.parse(prev.from)) / 86_400_000 + 1);
        },
      ),
    );
  });

  it('steps to the next day and the next month across month, leap and year ends', () => {
    expect(['2024-02-28', '2024-02-29', '2025-02-28', '2025-12-31'].map(nextDay)).toEqual([
      '2024-02-29',
      '2024-03-01',
      '2025-03-01',
      '2026-01-01',
    ]);
    expect(['2024-02-01', '2024-02-29', '2025-12-15', '2025-09-30'].map(nextMonthStart)).toEqual([
      '2024-03-01',
      '2024-03-01',
      '2026-01-01',
      '2025-10-01',
    ]);
  });
});

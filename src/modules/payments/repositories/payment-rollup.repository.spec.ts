import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { rollupParts } from './payment-rollup.repository.js';

const DAY_MS = 86_400_000;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;

/** How many times each day is counted by the signed parts (a month part counts all its days). */
function coverage(from: string, to: string): Map<string, number> {
  const count = new Map<string, number>();
  for (const p of rollupParts(from, to)) {
    const last =
      p.table === 'month'
        ? dayNo(
            new Date(Date.UTC(Number(p.to.slice(0, 4)), Number(p.to.slice(5, 7)), 0))
              .toISOString()
              .slice(0, 10),
          )
        : dayNo(p.to);
    for (let d = dayNo(p.from); d <= last; d++)
      count.set(dayOf(d), (count.get(dayOf(d)) ?? 0) + p.sign);
  }
  return count;
}

describe('rollupParts', () => {
  it('counts every day of the range once and no other day, whatever the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNo('2023-01-01'), max: dayNo('2027-12-31') }),
        fc.integer({ min: 0, max: 1095 }),
        (start, length) => {
          const from = dayOf(start);
          const to = dayOf(start + length);
          const counted = coverage(from, to);
          for (const [day, n] of counted)
            if (n !== (day >= from && day <= to ? 1 : 0)) expect([day, n]).toBe('counted once');
          for (let d = start; d <= start + length; d++)
            if (counted.get(dayOf(d)) !== 1) expect(dayOf(d)).toBe('counted once');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads whole months from the monthly rollups in one range, and a mostly covered month as the month minus its other days', () => {
    // 19 months: 20 of February's 29 days and 20 of September's 30 → both as month minus days.
    expect(rollupParts('2024-02-10', '2025-09-20')).toEqual([
      { table: 'month', from: '2024-02-01', to: '2025-09-01', sign: 1 },
      { table: 'day', from: '2024-02-01', to: '2024-02-09', sign: -1 },
      { table: 'day', from: '2025-09-21', to: '2025-09-30', sign: -1 },
    ]);
    // A few days at either end stay days.
    expect(rollupParts('2025-01-28', '2025-03-03')).toEqual([
      { table: 'month', from: '2025-02-01', to: '2025-02-01', sign: 1 },
      { table: 'day', from: '2025-01-28', to: '2025-01-31', sign: 1 },
      { table: 'day', from: '2025-03-01', to: '2025-03-03', sign: 1 },
    ]);
    expect(rollupParts('2025-01-01', '2025-12-31')).toEqual([
      { table: 'month', from: '2025-01-01', to: '2025-12-01', sign: 1 },
    ]);
    expect(rollupParts('2025-07-14', '2025-07-14')).toEqual([
      { table: 'day', from: '2025-07-14', to: '2025-07-14', sign: 1 },
    ]);
  });
});

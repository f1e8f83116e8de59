import { describe, expect, it } from '@jest/globals';
import {
  achievement,
  formatBasisPoints,
  formatFilsAsBhd,
  formatInteger,
  formatKpiFigure,
  formatPercent,
  metTarget,
  roundScaled,
} from './kpi-math.js';

describe('KPI arithmetic', () => {
  it('states 75,000 registrations against 50,000 as 150 %, met', () => {
    const actual = { numerator: 75_000n, denominator: null };
    const a = achievement('count', actual, 50_000n)!;
    expect(formatPercent(a, 'en')).toBe('150%');
    expect(formatPercent(a, 'ar')).toBe('١٥٠٪');
    expect(metTarget('count', 'higher', actual, 50_000n)).toBe(true);
  });

  it('compares a percent KPI with a basis-point target exactly', () => {
    // 41 % of 1,000,000 against 35 %
    const actual = { numerator: 410_000n, denominator: 1_000_000n };
    expect(metTarget('percent', 'higher', actual, 3500n)).toBe(true);
    expect(metTarget('percent', 'higher', actual, 4101n)).toBe(false);
    expect(metTarget('percent', 'higher', actual, 4100n)).toBe(true);
    expect(formatPercent(achievement('percent', actual, 3500n)!, 'en')).toBe('117%');
    expect(formatKpiFigure('percent', actual, 'en')).toBe('41.0%');
  });

  it('treats lower-is-better KPIs the other way round', () => {
    expect(metTarget('count', 'lower', { numerator: 3n, denominator: null }, 5n)).toBe(true);
    expect(metTarget('count', 'lower', { numerator: 6n, denominator: null }, 5n)).toBe(false);
  });

  it('has no ratio for a zero denominator or a zero target', () => {
    expect(achievement('percent', { numerator: 0n, denominator: 0n }, 3500n)).toBeNull();
    expect(achievement('count', { numerator: 5n, denominator: null }, 0n)).toBeNull();
    expect(metTarget('percent', 'higher', { numerator: 1n, denominator: 0n }, 1n)).toBeNull();
  });

  it('rounds half away from zero, beyond float precision', () => {
    expect(roundScaled({ num: 5n, den: 2n }, 0)).toBe(3n);
    expect(roundScaled({ num: -5n, den: 2n }, 0)).toBe(-3n);
    expect(roundScaled({ num: 2n ** 70n + 1n, den: 2n }, 0)).toBe(2n ** 69n + 1n);
  });

  it('writes numbers in English and with Arabic-Indic digits', () => {
    expect(formatInteger(75_000n, 'en')).toBe('75,000');
    expect(formatInteger(75_000n, 'ar')).toBe('٧٥٬٠٠٠');
    expect(formatInteger(-1_234_567n, 'en')).toBe('-1,234,567');
    expect(formatInteger(0n, 'ar')).toBe('٠');
    expect(formatFilsAsBhd(74_000_000_000n, 'en')).toBe('74,000,000.000');
    expect(formatBasisPoints(3500n, 'ar')).toBe('٣٥٪');
    expect(formatBasisPoints(3550n, 'en')).toBe('35.50%');
  });
});

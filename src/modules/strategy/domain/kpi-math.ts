/**
 * KPI arithmetic in integers only: values are exact fractions (numerator / denominator), targets
 * are counts, fils, or basis points for percent KPIs (3500 = 35.00 %). Rounding happens once, when
 * a figure is written for people.
 */
import type { KpiDirection, KpiUnit } from '../entities/kpi-definition.entity.js';

export interface Fraction {
  num: bigint;
  den: bigint;
}

export interface KpiActual {
  numerator: bigint;
  /** Percent KPIs only. */
  denominator: bigint | null;
}

/** The actual in the target's unit, as a fraction (percent KPIs: basis points). */
export function actualInTargetUnit(unit: KpiUnit, actual: KpiActual): Fraction | null {
  if (unit !== 'percent') return { num: actual.numerator, den: 1n };
  if (!actual.denominator || actual.denominator <= 0n) return null;
  return { num: actual.numerator * 10000n, den: actual.denominator };
}

/** actual ÷ target (1 = exactly on target); null when there is no meaningful ratio. */
export function achievement(unit: KpiUnit, actual: KpiActual, target: bigint): Fraction | null {
  const a = actualInTargetUnit(unit, actual);
  if (!a || target <= 0n) return null;
  return { num: a.num, den: a.den * target };
}

/** Whether the actual met the target, in the KPI's direction. */
export function metTarget(
  unit: KpiUnit,
  direction: KpiDirection,
  actual: KpiActual,
  target: bigint,
): boolean | null {
  const a = actualInTargetUnit(unit, actual);
  if (!a) return null;
  // a.num / a.den  vs  target  ⇔  a.num  vs  target × a.den  (a.den > 0)
  const lhs = a.num;
  const rhs = target * a.den;
  return direction === 'higher' ? lhs >= rhs : lhs <= rhs;
}

/** Rounds num/den to `decimals` places, half away from zero; returns the scaled integer. */
export function roundScaled(f: Fraction, decimals: number): bigint {
  const scale = 10n ** BigInt(decimals);
  const neg = f.num < 0n !== f.den < 0n;
  const n = (f.num < 0n ? -f.num : f.num) * scale;
  const d = f.den < 0n ? -f.den : f.den;
  const q = (n * 2n + d) / (2n * d);
  return neg ? -q : q;
}

export type Lang = 'ar' | 'en';

const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

function localiseDigits(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) out += ARABIC_DIGITS[c - 48];
    else if (ch === ',') out += '٬';
    else if (ch === '.') out += '٫';
    else out += ch;
  }
  return out;
}

function group(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/**
 * How the report writes numbers: English `75,000`; Arabic with Arabic-Indic digits and the Arabic
 * thousands separator `٧٥٬٠٠٠` (what Bahraini government publications use).
 */
export function formatInteger(n: bigint, lang: Lang): string {
  const neg = n < 0n;
  const text = group((neg ? -n : n).toString());
  return localiseDigits(neg ? `-${text}` : text, lang);
}

/** A fraction as a decimal with fixed places: `41.3`. */
export function formatDecimal(f: Fraction, decimals: number, lang: Lang): string {
  const scaled = roundScaled(f, decimals);
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  const scale = 10n ** BigInt(decimals);
  const whole = group((abs / scale).toString());
  const frac = decimals > 0 ? `.${(abs % scale).toString().padStart(decimals, '0')}` : '';
  return localiseDigits(`${neg ? '-' : ''}${whole}${frac}`, lang);
}

/** A ratio as a percentage: `150%` / `١٥٠٪` (no decimals unless asked). */
export function formatPercent(f: Fraction, lang: Lang, decimals = 0): string {
  const text = formatDecimal({ num: f.num * 100n, den: f.den }, decimals, lang);
  return lang === 'ar' ? `${text}٪` : `${text}%`;
}

/** Basis points as a percentage: 3500 → `35%`. */
export function formatBasisPoints(bp: bigint, lang: Lang): string {
  return formatPercent({ num: bp, den: 10000n }, lang, bp % 100n === 0n ? 0 : 2);
}

/** Fils as BHD with three decimals: `74,000,000.000`. */
export function formatFilsAsBhd(fils: bigint, lang: Lang): string {
  return formatDecimal({ num: fils, den: 1000n }, 3, lang);
}

/** A KPI figure (value or target) in its unit, for people. */
export function formatKpiFigure(unit: KpiUnit, actual: KpiActual, lang: Lang): string {
  switch (unit) {
    case 'count':
      return formatInteger(actual.numerator, lang);
    case 'fils':
      return formatFilsAsBhd(actual.numerator, lang);
    case 'percent':
      return actual.denominator && actual.denominator > 0n
        ? formatPercent({ num: actual.numerator, den: actual.denominator }, lang, 1)
        : '—';
  }
}

export function formatTarget(unit: KpiUnit, target: bigint, lang: Lang): string {
  switch (unit) {
    case 'count':
      return formatInteger(target, lang);
    case 'fils':
      return formatFilsAsBhd(target, lang);
    case 'percent':
      return formatBasisPoints(target, lang);
  }
}

/** Bahrain-day range of a calendar year. */
export function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function isReportYear(year: number): boolean {
  return Number.isInteger(year) && year >= 2000 && year <= 2100;
}

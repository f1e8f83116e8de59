import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  InvalidAmountError,
  MAX_FILS,
  filsToJson,
  formatBhd,
  parseBhd,
  parseFils,
  tryParseFils,
} from './fils.js';

const anyFils = fc.bigInt({ min: -MAX_FILS, max: MAX_FILS });

describe('parseFils', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['2147483648', 2n ** 31n],
    ['74000000000', 74_000_000_000n],
    ['9007199254740993', 2n ** 53n + 1n],
    [MAX_FILS.toString(), MAX_FILS],
  ])('reads %s exactly', (text, fils) => {
    expect(parseFils(text)).toBe(fils);
  });

  it('refuses one fils above the bigint column limit', () => {
    expect(tryParseFils((MAX_FILS + 1n).toString())).toMatchObject({ ok: false, reason: 'range' });
    expect(tryParseFils('1'.repeat(400))).toMatchObject({ ok: false, reason: 'range' });
  });

  it('refuses JSON numbers, even safe integers', () => {
    expect(tryParseFils(12500)).toMatchObject({ ok: false, reason: 'type' });
    expect(tryParseFils(12.5)).toMatchObject({ ok: false, reason: 'type' });
    expect(tryParseFils(12500n)).toMatchObject({ ok: false, reason: 'type' });
  });

  it.each(['', ' 1', '1 ', '+1', '1.0', '1e3', '0x10', '١٢', '01', '00', '1,000', '--1', '-'])(
    'refuses the spelling %j',
    (text) => {
      expect(tryParseFils(text, { allowNegative: true })).toMatchObject({ ok: false });
    },
  );

  it.each([null, undefined, {}, [], true])('refuses %p with reason type', (value) => {
    expect(tryParseFils(value)).toMatchObject({ ok: false, reason: 'type' });
  });

  it('refuses negatives unless asked, and "-0" always', () => {
    expect(tryParseFils('-5')).toMatchObject({ ok: false, reason: 'range' });
    expect(parseFils('-5', { allowNegative: true })).toBe(-5n);
    expect(tryParseFils('-0', { allowNegative: true })).toMatchObject({
      ok: false,
      reason: 'format',
    });
  });

  it('applies min and max', () => {
    expect(tryParseFils('0', { min: 1n })).toMatchObject({ ok: false, reason: 'range' });
    expect(tryParseFils('501', { max: 500n })).toMatchObject({ ok: false, reason: 'range' });
    expect(parseFils('500', { min: 1n, max: 500n })).toBe(500n);
  });

  it('throws an InvalidAmountError carrying the reason', () => {
    expect(() => parseFils('1.5')).toThrow(InvalidAmountError);
  });

  it('round-trips every bigint in range through its JSON form', () => {
    fc.assert(
      fc.property(anyFils, (fils) => parseFils(filsToJson(fils), { allowNegative: true }) === fils),
    );
  });
});

describe('formatBhd', () => {
  it.each([
    [0n, '0.000'],
    [1n, '0.001'],
    [-1n, '-0.001'],
    [1000n, '1.000'],
    [12345n, '12.345'],
    [-12345n, '-12.345'],
    [2n ** 31n, '2147483.648'],
    [74_000_000_000n, '74000000.000'],
    [MAX_FILS, '9223372036854775.807'],
  ])('writes %p fils as %s', (fils, text) => {
    expect(formatBhd(fils)).toBe(text);
  });

  it('is read back exactly by parseBhd', () => {
    fc.assert(
      fc.property(anyFils, (fils) => parseBhd(formatBhd(fils), { allowNegative: true }) === fils),
    );
  });
});

describe('parseBhd', () => {
  it.each([
    ['12.345', 12345n],
    ['12.3', 12300n],
    ['7', 7000n],
    ['0.001', 1n],
    ['0.5', 500n],
    ['74000000', 74_000_000_000n],
    ['74000000.000', 74_000_000_000n],
  ])('reads %s as %p fils', (text, fils) => {
    expect(parseBhd(text)).toBe(fils);
  });

  it.each(['12.3456', '.5', '5.', '1,5', ' 1', '1e3', '', '-', '1.2.3', '+1'])(
    'refuses %j',
    (text) => {
      expect(() => parseBhd(text, { allowNegative: true })).toThrow(InvalidAmountError);
    },
  );

  it('refuses negatives unless asked', () => {
    expect(() => parseBhd('-1.5')).toThrow(/negative/);
    expect(parseBhd('-1.5', { allowNegative: true })).toBe(-1500n);
  });

  it('refuses more than the bigint column holds', () => {
    expect(() => parseBhd('9223372036854775.808')).toThrow(/at most/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { normalizeArabic, normalizeForSearch } from './arabic.js';

describe('normalizeArabic', () => {
  it('folds alif maqsura to yaa so مستشفى matches مستشفي', () => {
    expect(normalizeArabic('مستشفى')).toBe(normalizeArabic('مستشفي'));
  });

  it('folds hamza on waw and on yaa so مسؤول matches مسئول', () => {
    expect(normalizeArabic('مسؤول')).toBe(normalizeArabic('مسئول'));
    expect(normalizeArabic('مسؤول')).toBe('مسءول');
  });

  it('folds every alef form to a bare alef', () => {
    expect(normalizeArabic('أإآٱ')).toBe('اااا');
  });

  it('folds taa marbuta to haa', () => {
    expect(normalizeArabic('وزارة الصحة')).toBe('وزاره الصحه');
  });

  it('removes diacritics', () => {
    expect(normalizeArabic('جَوَازَاتُ السَّفَرِ')).toBe('جوازات السفر');
    expect(normalizeArabic('رَحْمٰن')).toBe('رحمن');
  });

  it('removes tatweel', () => {
    expect(normalizeArabic('جـــوازات')).toBe('جوازات');
  });

  it('turns Arabic-Indic and Eastern Arabic-Indic digits into ASCII digits', () => {
    expect(normalizeArabic('٢٠١٧')).toBe('2017');
    expect(normalizeArabic('۲۰۱۷')).toBe('2017');
  });

  it('composes alef with a combining hamza or madda before folding', () => {
    expect(normalizeArabic('ا\u0654حمد')).toBe('احمد');
    expect(normalizeArabic('ا\u0653من')).toBe('امن');
  });

  it('turns presentation forms and the lam-alef ligature into base letters', () => {
    expect(normalizeArabic('\uFEFB')).toBe('لا');
  });

  it('leaves Latin text alone', () => {
    expect(normalizeArabic('Passport renewal')).toBe('Passport renewal');
  });
});

describe('normalizeForSearch', () => {
  it('lower-cases, turns punctuation into spaces and collapses whitespace', () => {
    expect(normalizeForSearch('  Passport   RENEWAL, (online)!  ')).toBe('passport renewal online');
  });

  it('treats Arabic punctuation as separators', () => {
    expect(normalizeForSearch('تجديد،جواز؟ السفر')).toBe('تجديد جواز السفر');
  });

  it('matches a title typed with diacritics, tatweel and variant letters', () => {
    expect(normalizeForSearch('تَجْدِيدُ جـوازات السَّفَر')).toBe(
      normalizeForSearch('تجديد جوازات السفر'),
    );
    expect(normalizeForSearch('قانون رقم (٢٠١٧)')).toBe('قانون رقم 2017');
  });
});

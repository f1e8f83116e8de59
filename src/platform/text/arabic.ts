// Arabic text folding for search and comparison: users type the same word many ways
// (with or without hamza, taa marbuta as haa, diacritics, Arabic-Indic digits).

const ALEF_FORMS = /[\u0623\u0625\u0622\u0671]/g; // أ إ آ ٱ
const HAMZA_ON_CARRIER = /[\u0624\u0626]/g; // ؤ ئ
// Harakat, tanween, shadda, sukun and the other marks U+064B–U+065F, superscript alef, tatweel.
const MARKS = /[\u064B-\u065F\u0670\u0640]/g;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669]/g;
const EASTERN_ARABIC_INDIC_DIGIT = /[\u06F0-\u06F9]/g;

/**
 * Folds Arabic spelling variants to one form. NFKC runs first so that presentation
 * forms and ligatures become base letters and alef + combining madda/hamza compose
 * into آ/أ before the alef forms are folded.
 */
export function normalizeArabic(text: string): string {
  return text
    .normalize('NFKC')
    .replace(MARKS, '')
    .replace(ALEF_FORMS, '\u0627')
    .replace(/\u0649/g, '\u064A') // ى → ي
    .replace(/\u0629/g, '\u0647') // ة → ه
    .replace(HAMZA_ON_CARRIER, '\u0621')
    .replace(ARABIC_INDIC_DIGIT, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(EASTERN_ARABIC_INDIC_DIGIT, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** normalizeArabic, lower-cased, punctuation and symbols as spaces, whitespace collapsed. */
export function normalizeForSearch(text: string): string {
  return normalizeArabic(text)
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

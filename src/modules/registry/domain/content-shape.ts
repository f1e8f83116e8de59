// A draft may be incomplete, but its parts must have the right JSON types, or nothing
// downstream (search columns, completeness checks, exports) can read it.
import type { FieldError } from '../../../platform/errors/domain-exception.js';

const TEXTS = ['title', 'description', 'redress'] as const;
const LISTS = [
  'keywords',
  'audience',
  'requirements',
  'steps',
  'outputs',
  'channels',
  'costs',
  'lifeEvents',
  'businessEvents',
] as const;
const STRINGS = ['processingTime', 'thematicArea', 'spatial', 'reviewBy'] as const;
const KNOWN = new Set<string>([...TEXTS, ...LISTS, ...STRINGS, 'legalBasis', 'contactPoint']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function contentShapeErrors(content: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string, reason = 'type') =>
    errors.push({ field: `content.${field}`, message, reason });
  for (const key of Object.keys(content)) if (!KNOWN.has(key)) bad(key, 'unknown field', 'unknown');
  for (const key of TEXTS) {
    const v = content[key];
    if (v === undefined) continue;
    if (!isObject(v)) bad(key, 'must be an object { ar, en }');
    else
      for (const lang of ['ar', 'en'])
        if (v[lang] !== undefined && typeof v[lang] !== 'string')
          bad(`${key}.${lang}`, 'must be text');
  }
  for (const key of LISTS) {
    const v = content[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) bad(key, 'must be an array');
    else
      v.forEach((item, i) => {
        const scalar = key === 'audience' || key === 'lifeEvents' || key === 'businessEvents';
        if (scalar ? typeof item !== 'string' : !isObject(item))
          bad(`${key}[${i}]`, scalar ? 'must be a code' : 'must be an object');
      });
  }
  for (const key of STRINGS)
    if (content[key] !== undefined && typeof content[key] !== 'string') bad(key, 'must be text');
  for (const key of ['legalBasis', 'contactPoint'])
    if (content[key] !== undefined && !isObject(content[key])) bad(key, 'must be an object');
  const costs = Array.isArray(content.costs) ? content.costs : [];
  costs.forEach((c, i) => {
    if (isObject(c) && c.amountFils !== undefined && typeof c.amountFils !== 'string')
      bad(`costs[${i}].amountFils`, 'integer fils as a string of digits', 'format');
  });
  return errors;
}

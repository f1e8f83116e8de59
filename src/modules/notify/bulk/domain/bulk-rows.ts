import type { FieldError } from '../../../../platform/errors/domain-exception.js';
import type { TemplateVariant } from '../../../notifications/domain/template-rules.js';
import { normaliseRecipient } from '../../../notifications/domain/recipient.js';
import { planSms } from '../../../notifications/providers/sms-encoding.js';
import { placeholdersOf, renderSms } from '../../../notifications/templates/template-renderer.js';

/** One row as the e-service gave it (a JSON element or a CSV line). */
export interface BulkRowInput {
  to?: string;
  ekeyAccountId?: string;
  personalisation: Record<string, string>;
}

/** What is stored (encrypted) and later handed to the send path. */
export interface BulkRowContent {
  to?: string;
  ekeyAccountId?: string;
  personalisation: Record<string, string>;
}

export interface BulkTemplate {
  channel: 'sms' | 'email';
  ar: TemplateVariant;
  en: TemplateVariant;
  /** The job's language (Arabic when null); an eKey account's own preference may override it. */
  lang: 'ar' | 'en' | null;
  smsMaxParts: number;
}

/** What every row is checked against, worked out once per job rather than once per row. */
interface CompiledTemplate {
  names: string[];
  wanted: Set<string>;
  /** Longest body in UTF-16 units and most placeholder uses, for the cheap bound on an SMS. */
  longestBody: number;
  uses: number;
}
const compiled = new WeakMap<BulkTemplate, CompiledTemplate>();
const normaliseName = (name: string) => name.replace(/\s+/g, '').toLowerCase();

function compile(template: BulkTemplate): CompiledTemplate {
  let c = compiled.get(template);
  if (!c) {
    // Both variants have the same placeholders (a template rule): the Arabic one names them.
    const names = placeholdersOf(`${template.ar.subject ?? ''}\n${template.ar.body}`);
    c = {
      names,
      wanted: new Set(names.map(normaliseName)),
      longestBody: Math.max(template.ar.body.length, template.en.body.length),
      uses: Math.max(...[template.ar.body, template.en.body].map((b) => b.split('((').length - 1)),
    };
    compiled.set(template, c);
  }
  return c;
}

/** Missing and unknown values, as the core reports them (same names, same messages). */
function personalisationErrors(c: CompiledTemplate, values: Record<string, string>): FieldError[] {
  const given = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) given.set(normaliseName(name), value);
  const errors: FieldError[] = [];
  for (const name of c.names) {
    const v = given.get(normaliseName(name));
    if (v === undefined || v === '')
      errors.push({
        field: `personalisation.${name}`,
        message: `The template needs a value for ((${name}))`,
        reason: 'required',
      });
  }
  for (const name of Object.keys(values))
    if (!c.wanted.has(normaliseName(name)))
      errors.push({
        field: `personalisation.${name}`,
        message: `The template has no placeholder ((${name}))`,
        reason: 'unknown',
      });
  return errors;
}

/**
 * Whether an SMS surely fits without rendering it: the text is at most the body plus every
 * value, a UCS-2 part holds 67 units and a GSM-7 part 153 septets (2 per escaped character).
 */
function surelyFits(c: CompiledTemplate, values: Record<string, string>, maxParts: number) {
  let longestValue = 0;
  for (const v of Object.values(values)) longestValue = Math.max(longestValue, v.length);
  const bound = c.longestBody + longestValue * c.uses;
  return bound <= 67 * maxParts && bound * 2 <= 153 * maxParts;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks one row against the template the way the send path will, so that a job is refused
 * whole before anything is stored: exactly one recipient (contact for the channel, or an
 * eKey account), every placeholder filled and no unknown value, and an SMS that fits in
 * the allowed parts in each language it may be sent in. Field names are relative to the row.
 */
export function checkBulkRow(
  template: BulkTemplate,
  row: BulkRowInput,
): { ok: BulkRowContent; dedupeKey: string } | { errors: FieldError[] } {
  const c = compile(template);
  const errors: FieldError[] = [];
  const contactField = template.channel === 'sms' ? 'phone number' : 'email address';
  const hasTo = row.to !== undefined && row.to.trim() !== '';
  const hasEkey = row.ekeyAccountId !== undefined && row.ekeyAccountId.trim() !== '';
  let to: string | undefined;
  let ekeyAccountId: string | undefined;
  if (hasTo && hasEkey)
    errors.push({
      field: 'to',
      message: `Give either a ${contactField} or an eKey account, not both`,
      reason: 'conflict',
    });
  else if (!hasTo && !hasEkey)
    errors.push({
      field: 'to',
      message: `A ${contactField} or an eKey account is required`,
      reason: 'required',
    });
  else if (hasTo) {
    to = normaliseRecipient(template.channel, row.to!) ?? undefined;
    if (!to)
      errors.push({
        field: 'to',
        message: template.channel === 'sms' ? 'Not a mobile number' : 'Not an email address',
        reason: 'format',
      });
  } else {
    ekeyAccountId = row.ekeyAccountId!.trim().toLowerCase();
    if (!UUID.test(ekeyAccountId))
      errors.push({ field: 'ekeyAccountId', message: 'Not an eKey account id', reason: 'format' });
  }
  // An eKey account's own preferred language may apply, so both variants must fit.
  const langs: ('ar' | 'en')[] = hasEkey ? ['ar', 'en'] : [template.lang ?? 'ar'];
  errors.push(...personalisationErrors(c, row.personalisation));
  if (
    !errors.length &&
    template.channel === 'sms' &&
    !surelyFits(c, row.personalisation, template.smsMaxParts)
  ) {
    for (const lang of langs) {
      const text = renderSms(template[lang].body, row.personalisation);
      try {
        planSms(text, { maxParts: template.smsMaxParts });
      } catch {
        errors.push({
          field: 'personalisation',
          message: `The ${lang === 'ar' ? 'Arabic' : 'English'} SMS would need more than ${template.smsMaxParts} parts`,
          reason: 'range',
        });
      }
    }
  }
  if (errors.length) return { errors };
  const personalisation = canonicalPersonalisation(row.personalisation);
  const recipient = to ? `to:${to}` : `ekey:${ekeyAccountId}`;
  return {
    ok: { ...(to ? { to } : { ekeyAccountId }), personalisation },
    dedupeKey: JSON.stringify([recipient, Object.entries(personalisation)]),
  };
}

/** Values with their keys sorted, so the same row written twice has the same key. */
function canonicalPersonalisation(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Column names compared as Notify does: case, spaces, `_` and `-` do not matter. */
export const columnKey = (name: string) => name.replace(/[\s_-]+/g, '').toLowerCase();

const RECIPIENT_COLUMNS = {
  sms: 'phonenumber',
  email: 'emailaddress',
  ekey: 'ekeyaccount',
} as const;

/** Which CSV column is which: the recipient columns and one column per placeholder. */
export interface CsvLayout {
  contact: number | null;
  ekey: number | null;
  placeholders: { name: string; index: number }[];
}

/**
 * Maps a CSV header onto the template, as Notify's spreadsheet upload does: a `phone number`
 * (SMS) or `email address` (email) column, or Diwan's `ekey account`, and one column per
 * placeholder. Other columns are ignored. Returns the header problems, if any.
 */
export function csvLayout(
  header: readonly string[],
  channel: 'sms' | 'email',
  template: TemplateVariant,
): { layout: CsvLayout } | { errors: FieldError[] } {
  const keys = header.map(columnKey);
  const find = (key: string) => {
    const i = keys.indexOf(key);
    return i < 0 ? null : i;
  };
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, key] of keys.entries()) {
    if (key && seen.has(key))
      errors.push({
        field: `header.${header[i]}`,
        message: `The column "${header[i]}" appears twice`,
        reason: 'duplicate',
      });
    seen.add(key);
  }
  const contact = find(RECIPIENT_COLUMNS[channel]);
  const ekey = find(RECIPIENT_COLUMNS.ekey);
  if (contact === null && ekey === null)
    errors.push({
      field: 'header',
      message: `The file needs a "${channel === 'sms' ? 'phone number' : 'email address'}" or an "ekey account" column`,
      reason: 'required',
    });
  const placeholders: CsvLayout['placeholders'] = [];
  for (const name of placeholdersOf(`${template.subject ?? ''}\n${template.body}`)) {
    const index = find(columnKey(name));
    if (index === null)
      errors.push({
        field: `header.${name}`,
        message: `The file needs a column "${name}" for the placeholder ((${name}))`,
        reason: 'required',
      });
    else placeholders.push({ name, index });
  }
  return errors.length ? { errors } : { layout: { contact, ekey, placeholders } };
}

/** One CSV record as a row, per the layout. Empty cells are left out (then reported missing). */
export function csvRow(layout: CsvLayout, fields: readonly string[]): BulkRowInput {
  const personalisation: Record<string, string> = {};
  for (const { name, index } of layout.placeholders) {
    const value = fields[index]?.trim();
    if (value) personalisation[name] = value;
  }
  return {
    to: layout.contact === null ? undefined : fields[layout.contact]?.trim() || undefined,
    ekeyAccountId: layout.ekey === null ? undefined : fields[layout.ekey]?.trim() || undefined,
    personalisation,
  };
}

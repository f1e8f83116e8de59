import type { FieldError } from '../../../../platform/errors/domain-exception.js';
import type { TemplateVariant } from '../../../notifications/domain/template-rules.js';
import { personalisationErrors } from '../../../notifications/domain/template-rules.js';
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
  // Both variants have the same placeholders (a template rule), so one check covers both.
  errors.push(...personalisationErrors(template.ar, row.personalisation));
  if (!errors.length && template.channel === 'sms') {
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

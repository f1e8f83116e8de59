import type { FieldError } from '../../../platform/errors/domain-exception.js';
import { checkPersonalisation, placeholdersOf } from '../templates/template-renderer.js';
import type { NotificationChannel } from './notification-status.js';

export interface TemplateVariant {
  subject?: string | null;
  body: string;
}

const normalise = (name: string) => name.replace(/\s+/g, '').toLowerCase();
const textOf = (v: TemplateVariant) => `${v.subject ?? ''}\n${v.body}`;

/**
 * What makes a template sendable: both languages present, a subject exactly for email, and
 * the same placeholders in Arabic and English (so one personalisation fits either).
 * Returns the field errors and the placeholders (as written in the Arabic variant).
 */
export function checkTemplate(
  channel: NotificationChannel,
  ar: TemplateVariant,
  en: TemplateVariant,
): { errors: FieldError[]; placeholders: string[] } {
  const errors: FieldError[] = [];
  for (const [lang, variant] of [
    ['ar', ar],
    ['en', en],
  ] as const) {
    if (!variant?.body?.trim())
      errors.push({ field: `${lang}.body`, message: 'The body is required', reason: 'required' });
    if (channel === 'email' && !variant?.subject?.trim())
      errors.push({
        field: `${lang}.subject`,
        message: 'An email needs a subject',
        reason: 'required',
      });
    if (channel === 'sms' && variant?.subject)
      errors.push({
        field: `${lang}.subject`,
        message: 'An SMS has no subject',
        reason: 'unknown',
      });
    if ((variant?.subject?.length ?? 0) > 300)
      errors.push({ field: `${lang}.subject`, message: 'At most 300 characters', reason: 'range' });
  }
  if (errors.length) return { errors, placeholders: [] };
  const arNames = placeholdersOf(textOf(ar));
  const enNames = placeholdersOf(textOf(en));
  const enSet = new Set(enNames.map(normalise));
  const arSet = new Set(arNames.map(normalise));
  for (const name of arNames.filter((n) => !enSet.has(normalise(n))))
    errors.push({
      field: 'en.body',
      message: `The English variant lacks the placeholder ((${name}))`,
      reason: 'placeholder',
    });
  for (const name of enNames.filter((n) => !arSet.has(normalise(n))))
    errors.push({
      field: 'ar.body',
      message: `The Arabic variant lacks the placeholder ((${name}))`,
      reason: 'placeholder',
    });
  return { errors, placeholders: arNames };
}

/** Missing and extra personalisation as field errors (empty when it fits). */
export function personalisationErrors(
  variant: TemplateVariant,
  values: Record<string, string>,
): FieldError[] {
  const { missing, extra } = checkPersonalisation(
    { subject: variant.subject ?? undefined, body: variant.body },
    values,
  );
  return [
    ...missing.map((name) => ({
      field: `personalisation.${name}`,
      message: `The template needs a value for ((${name}))`,
      reason: 'required',
    })),
    ...extra.map((name) => ({
      field: `personalisation.${name}`,
      message: `The template has no placeholder ((${name}))`,
      reason: 'unknown',
    })),
  ];
}

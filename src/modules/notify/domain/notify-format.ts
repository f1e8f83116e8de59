import type { NotificationTemplateVersion } from '../../notifications/entities/notification-template-version.entity.js';
import type { NotificationTemplate } from '../../notifications/entities/notification-template.entity.js';
import type { NotificationView } from '../../notifications/services/notification-query.service.js';

/**
 * GOV.UK Notify's JSON shapes (API v2), so that its clients read Diwan's answers unchanged.
 * Notify templates map to Diwan templates; a notification's language decides which variant
 * its body shows, and a template is shown in Arabic (`body`, `subject`) unless asked otherwise.
 */

/** Notify writes times as `2017-05-14T12:15:30.000000Z`. */
export function notifyTime(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  return new Date(d).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function templateUri(
  baseUrl: string,
  serviceId: string,
  t: { id: string },
  version: number,
) {
  return `${baseUrl}/services/${serviceId}/templates/${t.id}/version/${version}`;
}

/** The delivery receipt an e-service's callback URL receives (Notify's fields, minus `to`). */
export function callbackPayload(n: NotificationView): Record<string, unknown> {
  return {
    id: n.id,
    reference: n.reference,
    status: n.publicStatus,
    created_at: notifyTime(n.acceptedAt),
    completed_at: notifyTime(n.completedAt),
    sent_at: notifyTime(n.sentAt),
    notification_type: n.channel,
    template_id: n.templateId,
    template_version: n.templateVersion,
  };
}

/** `GET /v2/notifications/{id}` and each item of the list. */
export function notificationBody(
  baseUrl: string,
  serviceId: string,
  n: NotificationView,
  recipient: string | null,
  content: { body: string; subject: string | null } | null,
): Record<string, unknown> {
  return {
    id: n.id,
    reference: n.reference,
    email_address: n.channel === 'email' ? recipient : null,
    phone_number: n.channel === 'sms' ? recipient : null,
    line_1: null,
    line_2: null,
    line_3: null,
    line_4: null,
    line_5: null,
    line_6: null,
    postcode: null,
    postage: null,
    type: n.channel,
    status: n.publicStatus,
    template: n.templateId
      ? {
          id: n.templateId,
          version: n.templateVersion,
          uri: templateUri(baseUrl, serviceId, { id: n.templateId }, n.templateVersion ?? 1),
        }
      : null,
    body: content?.body ?? null,
    subject: n.channel === 'email' ? (content?.subject ?? null) : null,
    created_at: notifyTime(n.acceptedAt),
    created_by_name: null,
    sent_at: notifyTime(n.sentAt),
    completed_at: notifyTime(n.completedAt),
    scheduled_for: null,
    one_click_unsubscribe: null,
    // Diwan extensions (Notify clients ignore unknown members).
    lang: n.lang,
  };
}

const normalise = (name: string) => name.replace(/\s+/g, '').toLowerCase();

/** `GET /v2/template/{id}` (and each item of `GET /v2/templates`). */
export function templateBody(
  t: NotificationTemplate,
  v: NotificationTemplateVersion,
  lang: 'ar' | 'en' = 'ar',
): Record<string, unknown> {
  const personalisation: Record<string, { required: boolean }> = {};
  for (const name of v.placeholders) personalisation[name] = { required: true };
  return {
    id: t.id,
    name: t.name,
    type: t.channel,
    created_at: notifyTime(t.createdAt),
    updated_at: notifyTime(v.createdAt),
    version: v.version,
    created_by: v.createdBy,
    body: lang === 'ar' ? v.bodyAr : v.bodyEn,
    subject: t.channel === 'email' ? (lang === 'ar' ? v.subjectAr : v.subjectEn) : null,
    letter_contact_block: null,
    personalisation,
    postage: null,
    // Diwan extensions: both language variants.
    body_ar: v.bodyAr,
    body_en: v.bodyEn,
    subject_ar: v.subjectAr,
    subject_en: v.subjectEn,
  };
}

/** Notify ignores personalisation the template does not use; Diwan's core refuses it. */
export function onlyPlaceholders(
  values: Record<string, unknown> | undefined,
  placeholders: readonly string[],
): Record<string, unknown> {
  const wanted = new Set(placeholders.map(normalise));
  return Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => wanted.has(normalise(k))));
}

/** Enough to recognise a recipient, not enough to use it: `+973****34`, `f***@example.bh`. */
export function maskRecipient(value: string): string {
  if (value.includes('@')) {
    const [local, domain] = value.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${value.slice(0, 4)}****${value.slice(-2)}`;
}

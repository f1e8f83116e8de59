import type { ActionContext, ActionResponse, ResourceWithOptions } from 'adminjs';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_PRIORITIES,
  NOTIFICATION_STATUSES,
} from '../../modules/notifications/domain/notification-status.js';
import { maskRecipient } from '../../modules/notifications/domain/recipient.js';
import { NotificationAttempt } from '../../modules/notifications/entities/notification-attempt.entity.js';
import { NotificationTemplateVersion } from '../../modules/notifications/entities/notification-template-version.entity.js';
import { NotificationTemplate } from '../../modules/notifications/entities/notification-template.entity.js';
import { Notification } from '../../modules/notifications/entities/notification.entity.js';
import {
  NotificationSender,
  recipientAad,
} from '../../modules/notifications/services/notification-sender.js';
import { TemplateService } from '../../modules/notifications/services/template.service.js';
import { placeholdersOf } from '../../modules/notifications/templates/template-renderer.js';
import { roleIs } from '../admin-actor.js';
import { serviceEdit, serviceNew, serviceRecordAction } from '../service-actions.js';
import { onlyFor, readOnly, type Resolve } from './resource-context.js';

const NAV = { name: 'Notifications', icon: 'Send' };
const staffWhoRead = roleIs('admin', 'operator', 'auditor');
const editors = roleIs('admin', 'agency_editor');
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const hidden = { isVisible: false };
const formOnly = { isVisible: { list: false, show: false, filter: false, edit: true } };
const showOnly = { isVisible: { list: false, show: true, filter: false, edit: false } };
const SECRET_PARAMS = ['recipientCipher', 'recipientHash', 'contentCipher'];
/** AdminJS sends every column to the browser, hidden or not: strip the secrets server-side. */
const withoutSecrets = async (response: ActionResponse): Promise<ActionResponse> => {
  const records = [response.record, ...((response.records as ActionResponse['record'][]) ?? [])];
  for (const record of records)
    if (record?.params) for (const key of SECRET_PARAMS) delete record.params[key];
  return response;
};
const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/**
 * Templates (written through TemplateService: every change is a new version, audited, with a
 * preview) and notifications (read-only; recipients masked, decrypted only on the show page
 * and never in lists; content never shown).
 */
export function notificationsResources(resolve: Resolve): ResourceWithOptions[] {
  const templates = resolve(TemplateService);
  const sender = resolve(NotificationSender);
  const cipher = resolve(FieldCipher);
  const variants = (p: Record<string, unknown>) => ({
    ar: { subject: str(p.subjectAr) ?? null, body: str(p.bodyAr) ?? '' },
    en: { subject: str(p.subjectEn) ?? null, body: str(p.bodyEn) ?? '' },
  });
  return [
    {
      resource: NotificationTemplate,
      options: {
        navigation: NAV,
        titleProperty: 'name',
        listProperties: ['code', 'name', 'channel', 'agencyId', 'currentVersion', 'active'],
        properties: {
          channel: { availableValues: options(NOTIFICATION_CHANNELS) },
          currentVersion: { isVisible: { list: true, show: true, edit: false, filter: true } },
          createdAt: showOnly,
          updatedAt: showOnly,
          subjectAr: { ...formOnly, props: { dir: 'rtl' } },
          bodyAr: { ...formOnly, type: 'textarea', props: { dir: 'rtl', rows: 6 } },
          subjectEn: formOnly,
          bodyEn: { ...formOnly, type: 'textarea', props: { rows: 6 } },
        },
        actions: {
          ...onlyFor(roleIs('admin', 'operator', 'auditor', 'agency_editor', 'agency_approver')),
          new: {
            isAccessible: editors,
            handler: serviceNew(async (actor, p) => {
              const { template } = await templates.create(actor, {
                agencyId: str(p.agencyId) ?? '',
                channel: (str(p.channel) ?? 'sms') as 'sms' | 'email',
                code: str(p.code) ?? '',
                name: str(p.name) ?? '',
                ...variants(p),
              });
              return { id: template.id };
            }),
          },
          edit: {
            isAccessible: editors,
            handler: serviceEdit((actor, id, p) => templates.revise(actor, id, variants(p))),
          },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          preview: {
            actionType: 'record',
            icon: 'Eye',
            component: false,
            isAccessible: roleIs(
              'admin',
              'operator',
              'auditor',
              'agency_editor',
              'agency_approver',
            ),
            handler: serviceRecordAction(async (actor, id) => {
              const { version } = await templates.current(id);
              const sample = (lang: 'ar' | 'en') => {
                const text =
                  lang === 'ar'
                    ? `${version.subjectAr ?? ''} ${version.bodyAr}`
                    : `${version.subjectEn ?? ''} ${version.bodyEn}`;
                return Object.fromEntries(placeholdersOf(text).map((n) => [n, `[${n}]`]));
              };
              const [ar, en] = await Promise.all([
                templates.preview(actor, id, 'ar', sample('ar')),
                templates.preview(actor, id, 'en', sample('en')),
              ]);
              const line = (r: typeof ar) => (r.email ? `${r.email.subject} — ${r.text}` : r.text);
              return `v${version.version} · AR: ${line(ar)} · EN: ${line(en)}`;
            }),
          },
        },
      },
    },
    {
      resource: NotificationTemplateVersion,
      options: {
        navigation: NAV,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: ['templateId', 'version', 'placeholders', 'createdBy', 'createdAt'],
        properties: {
          bodyAr: { type: 'textarea', props: { dir: 'rtl' } },
          subjectAr: { props: { dir: 'rtl' } },
          bodyEn: { type: 'textarea' },
        },
        actions: {
          ...onlyFor(roleIs('admin', 'operator', 'auditor', 'agency_editor')),
          ...readOnly,
        },
      },
    },
    {
      resource: Notification,
      options: {
        navigation: NAV,
        sort: { sortBy: 'acceptedAt', direction: 'desc' },
        listProperties: [
          'id',
          'channel',
          'priority',
          'status',
          'agencyId',
          'segments',
          'attempts',
          'acceptedAt',
        ],
        filterProperties: [
          'status',
          'channel',
          'priority',
          'agencyId',
          'reference',
          'acceptedAt',
          'replacesPaperLetter',
        ],
        properties: {
          recipientCipher: hidden,
          recipientHash: hidden,
          contentCipher: hidden,
          recipient: showOnly,
          status: { availableValues: options(NOTIFICATION_STATUSES) },
          channel: { availableValues: options(NOTIFICATION_CHANNELS) },
          priority: { availableValues: options(NOTIFICATION_PRIORITIES) },
        },
        actions: {
          ...onlyFor(staffWhoRead),
          ...readOnly,
          list: { isAccessible: staffWhoRead, isVisible: staffWhoRead, after: withoutSecrets },
          search: { isAccessible: staffWhoRead, after: withoutSecrets },
          show: {
            isAccessible: staffWhoRead,
            // The show page names the recipient masked; lists never decrypt anything.
            after: async (response: ActionResponse, _request: unknown, context: ActionContext) => {
              const params = response.record?.params as Record<string, unknown> | undefined;
              const raw = context.record?.params.recipientCipher as string | null | undefined;
              if (params) {
                let recipient = raw ? '(unreadable)' : '(wiped by retention)';
                try {
                  if (raw)
                    recipient = maskRecipient(
                      cipher.decrypt(raw, recipientAad(String(context.record!.id()))),
                    );
                } catch {
                  /* keep "(unreadable)" */
                }
                params.recipient = recipient;
              }
              return withoutSecrets(response);
            },
          },
          cancel: {
            actionType: 'record',
            icon: 'XCircle',
            component: false,
            guard: 'Cancel this notification? It will not be sent.',
            isAccessible: roleIs('admin'),
            isVisible: ({ record }) =>
              ['accepted', 'queued', 'temporary_failure'].includes(String(record?.params.status)),
            handler: serviceRecordAction(async (actor, id) => {
              await sender.cancel(actor, id);
              return 'Notification cancelled';
            }),
          },
        },
      },
    },
    {
      resource: NotificationAttempt,
      options: {
        navigation: NAV,
        sort: { sortBy: 'id', direction: 'desc' },
        listProperties: [
          'notificationId',
          'attemptNo',
          'provider',
          'smscId',
          'outcome',
          'receiptStat',
          'at',
        ],
        properties: { rawReceipt: { type: 'mixed' } },
        actions: { ...onlyFor(staffWhoRead), ...readOnly },
      },
    },
  ];
}

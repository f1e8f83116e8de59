import type {
  ActionContext,
  ActionRequest,
  ActionResponse,
  CurrentAdmin,
  ResourceWithOptions,
} from 'adminjs';
import { AuditService } from '../../platform/audit/audit.service.js';
import { requireRole } from '../../platform/auth/access.js';
import type { Actor } from '../../platform/auth/roles.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../platform/database/transaction-runner.js';
import { DomainException } from '../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../platform/errors/platform.errors.js';
import { NotificationsErrors } from '../../modules/notifications/errors/notifications.errors.js';
import { planSms } from '../../modules/notifications/providers/sms-encoding.js';
import { NotificationQueryService } from '../../modules/notifications/services/notification-query.service.js';
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
  contentAad,
  type NotificationContent,
  NotificationSender,
  recipientAad,
} from '../../modules/notifications/services/notification-sender.js';
import { TemplateService } from '../../modules/notifications/services/template.service.js';
import { placeholdersOf } from '../../modules/notifications/templates/template-renderer.js';
import { actorOf, roleIs, type StaffSession } from '../admin-actor.js';
import { cleanPayload, serviceEdit, serviceNew, serviceRecordAction } from '../service-actions.js';
import { onlyFor, readOnly, type Resolve } from './resource-context.js';

const NAV = { name: 'Notifications', icon: 'Send' };
const staffWhoRead = roleIs('admin', 'operator', 'auditor');
/** Agency staff read their own agency's notifications (list forced to it, show checked). */
const notificationReaders = roleIs(
  'admin',
  'operator',
  'auditor',
  'agency_editor',
  'agency_approver',
);
const operators = roleIs('admin', 'operator');
const FAILED = ['permanent_failure', 'technical_failure'];
const agencyBound = (admin: CurrentAdmin | undefined): string | null => {
  const s = admin as StaffSession | undefined;
  return s && (s.role === 'agency_editor' || s.role === 'agency_approver') ? s.agencyId : null;
};
const ownAgencyOnly = (request: ActionRequest, context: ActionContext): ActionRequest => {
  const agencyId = agencyBound(context.currentAdmin);
  if (!agencyId) return request;
  return { ...request, query: { ...(request.query ?? {}), 'filters.agencyId': agencyId } };
};
const ownNotification = (context: ActionContext): boolean => {
  if (!notificationReaders(context)) return false;
  const agencyId = agencyBound(context.currentAdmin);
  return !agencyId || !context.record || context.record.params.agencyId === agencyId;
};
/** Encoding and parts of an SMS text, as the core will send it. */
const smsPlan = (text: string) => {
  const plan = planSms(text, { maxParts: 255 });
  return { encoding: plan.encoding, segments: plan.segments };
};
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
  const queries = resolve(NotificationQueryService);
  const cipher = resolve(FieldCipher);
  const audit = resolve(AuditService);
  const tx = resolve(TransactionRunner);

  /**
   * A failed notification sent again as a new one through the core (same recipient, same
   * personalisation, the template's current wording). The core commits the new notification
   * in its own statement, so the audit entry follows once it exists.
   */
  const resend = async (actor: Actor, id: string): Promise<string> => {
    requireRole(actor, 'admin', 'operator');
    const n = await queries.get(id);
    if (!n) throw new DomainException(NotificationsErrors.NOTIFICATION_NOT_FOUND);
    if (!FAILED.includes(n.status))
      throw new DomainException(
        PlatformErrors.CONFLICT,
        `Only failed notifications are resent; this one is ${n.status}`,
      );
    const to = queries.recipientOf(n);
    if (!to || !n.contentCipher)
      throw new DomainException(PlatformErrors.CONFLICT, 'The recipient was wiped by retention');
    const content = JSON.parse(
      cipher.decrypt(n.contentCipher, contentAad(n.id)),
    ) as NotificationContent;
    // The core checks the sender's agency; the back office sends on the agency's behalf.
    const onBehalf: Actor = {
      type: 'system',
      id: `resend:${actor.id}`,
      label: `resent by ${actor.label}`,
    };
    const common = { channel: n.channel, to, lang: n.lang, reference: n.reference ?? undefined };
    const { id: newId } =
      content.kind === 'template' && n.templateId
        ? await sender.send({
            ...common,
            templateId: n.templateId,
            personalisation: content.personalisation,
            priority: 'transactional',
            replacesPaperLetter: n.replacesPaperLetter,
            actor: onBehalf,
          })
        : await sender.sendDirect({
            ...common,
            subject: content.kind === 'direct' ? content.subject : undefined,
            body: content.kind === 'direct' ? content.body : '',
            priority: 'transactional',
            agencyId: n.agencyId,
            actor: onBehalf,
          });
    await tx.run((t) =>
      audit.record(t, {
        actor,
        action: 'notifications.resend',
        objectType: 'notification',
        objectId: id,
        details: { newNotificationId: newId },
      }),
    );
    return newId;
  };
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
            // POST fields named after the placeholders give sample values; `[name]` otherwise.
            handler: async (
              request: ActionRequest,
              _response: unknown,
              context: ActionContext,
            ): Promise<ActionResponse> => {
              const { record, currentAdmin } = context;
              if (!record) throw new Error('record missing');
              const actor = actorOf(currentAdmin);
              const given = cleanPayload(request.method === 'post' ? request.payload : {});
              try {
                const { version } = await templates.current(String(record.id()));
                const names = placeholdersOf(
                  `${version.subjectAr ?? ''} ${version.bodyAr} ${version.subjectEn ?? ''} ${version.bodyEn}`,
                );
                const sample = Object.fromEntries(names.map((n) => [n, str(given[n]) ?? `[${n}]`]));
                const [ar, en] = await Promise.all([
                  templates.preview(actor, String(record.id()), 'ar', sample),
                  templates.preview(actor, String(record.id()), 'en', sample),
                ]);
                const variant = (r: typeof ar) => ({
                  subject: r.email?.subject ?? null,
                  text: r.text,
                  ...(r.channel === 'sms' ? { sms: smsPlan(r.text) } : {}),
                });
                const preview = { version: version.version, ar: variant(ar), en: variant(en) };
                const line = (v: ReturnType<typeof variant>) =>
                  `${v.subject ? `${v.subject} — ` : ''}${v.text}${v.sms ? ` [${v.sms.encoding}, ${v.sms.segments} part(s)]` : ''}`;
                return {
                  record: record.toJSON(currentAdmin),
                  preview,
                  notice: {
                    message: `v${version.version} · AR: ${line(preview.ar)} · EN: ${line(preview.en)}`,
                    type: 'success',
                  },
                };
              } catch (e) {
                const text =
                  e instanceof DomainException
                    ? (e.detail ?? e.definition.title)
                    : 'Preview failed';
                return {
                  record: record.toJSON(currentAdmin),
                  notice: { message: text, type: 'error' },
                };
              }
            },
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
          ...readOnly,
          list: {
            isAccessible: notificationReaders,
            isVisible: notificationReaders,
            before: ownAgencyOnly,
            after: withoutSecrets,
          },
          search: {
            isAccessible: notificationReaders,
            before: ownAgencyOnly,
            after: withoutSecrets,
          },
          show: {
            isAccessible: ownNotification,
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
            after: withoutSecrets,
          },
          resend: {
            actionType: 'record',
            icon: 'Repeat',
            component: false,
            guard: 'Send this notification again, as a new notification?',
            isAccessible: operators,
            isVisible: ({ record }) => FAILED.includes(String(record?.params.status)),
            handler: serviceRecordAction(async (actor, id) => {
              const newId = await resend(actor, id);
              return `Sent again as notification ${newId}`;
            }),
            after: withoutSecrets,
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

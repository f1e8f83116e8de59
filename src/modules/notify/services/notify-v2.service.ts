import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, NotificationsConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  NotificationQueryService,
  type NotificationView,
  type PublicStatus,
} from '../../notifications/services/notification-query.service.js';
import { TemplateService } from '../../notifications/services/template.service.js';
import {
  notificationBody,
  onlyPlaceholders,
  templateBody,
  templateUri,
} from '../domain/notify-format.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import type { NotifyCaller } from './notify-api-key.service.js';
import { NotifySendService } from './notify-send.service.js';
import { EkeyAddressedRepository } from '../repositories/send-request.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 250;

/** Notify's `status` filter values and the public statuses each stands for. */
const STATUS_FILTER: Readonly<Record<string, PublicStatus[]>> = {
  created: ['created'],
  accepted: ['created'],
  received: ['created'],
  sending: ['sending'],
  pending: ['sending'],
  sent: ['sending'],
  delivered: ['delivered'],
  failed: ['permanent-failure', 'temporary-failure', 'technical-failure'],
  'permanent-failure': ['permanent-failure'],
  'temporary-failure': ['temporary-failure'],
  'technical-failure': ['technical-failure'],
  cancelled: ['cancelled'],
};

const SEND_FIELDS = {
  sms: ['phone_number', 'template_id', 'personalisation', 'reference', 'sms_sender_id'],
  email: [
    'email_address',
    'template_id',
    'personalisation',
    'reference',
    'email_reply_to_id',
    'one_click_unsubscribe_url',
    'sanitise_content_for',
  ],
} as const;

const invalid = (field: string, message: string): never => {
  throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [{ field, message }]);
};

/**
 * GOV.UK Notify's API v2 over Diwan: request checks and answers in Notify's shapes and words;
 * every send goes through `NotifySendService`. Templates are sent and shown in Arabic.
 */
@Injectable()
export class NotifyV2Service {
  private readonly app: AppConfig;
  private readonly notifications: NotificationsConfig;

  constructor(
    private readonly sends: NotifySendService,
    private readonly queries: NotificationQueryService,
    private readonly templates: TemplateService,
    private readonly ekeyAddressed: EkeyAddressedRepository,
    @Inject(DIWAN_CONFIG) config: { app: AppConfig; notifications: NotificationsConfig },
  ) {
    this.app = config.app;
    this.notifications = config.notifications;
  }

  private get base(): string {
    return this.app.publicUrl.replace(/\/$/, '');
  }

  async send(
    caller: NotifyCaller,
    channel: 'sms' | 'email',
    body: unknown,
  ): Promise<Record<string, unknown>> {
    const input = this.checkSendBody(channel, body);
    // Notify ignores personalisation the template does not use; Diwan's core would refuse it.
    const current = await this.templates.current(input.templateId).catch(() => null);
    if (!current || current.template.agencyId !== caller.actor.agencyId)
      throw new DomainException(NotifyErrors.TEMPLATE_NOT_FOUND);
    let result;
    try {
      result = await this.sends.send({
        actor: caller.actor,
        keyType: caller.keyType,
        channel,
        to: input.to,
        templateId: input.templateId,
        personalisation: onlyPlaceholders(input.personalisation, current.version.placeholders),
        reference: input.reference,
        withContent: true,
      });
    } catch (e) {
      throw this.notifyError(e, channel);
    }
    const template = {
      id: result.templateId,
      version: result.templateVersion,
      uri: templateUri(
        this.base,
        caller.actor.id,
        { id: result.templateId },
        result.templateVersion,
      ),
    };
    const content =
      channel === 'sms'
        ? { body: result.content?.body ?? '', from_number: this.notifications.smsSenderId }
        : {
            body: result.content?.body ?? '',
            subject: result.content?.subject ?? '',
            from_email: this.notifications.emailFrom,
            one_click_unsubscribe_url: null,
          };
    return {
      id: result.id,
      reference: input.reference ?? null,
      content,
      uri: `${this.base}/v2/notifications/${result.id}`,
      template,
      scheduled_for: null,
    };
  }

  async get(caller: NotifyCaller, id: string): Promise<Record<string, unknown>> {
    if (!UUID.test(id)) invalid('notification_id', 'is not a valid UUID');
    const n = await this.queries.get(id);
    if (!n || n.actorType !== 'api_client' || n.actorId !== caller.actor.id)
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No result found');
    return this.render(caller, n, await this.ekeyAddressed.which([n.id]));
  }

  async list(
    caller: NotifyCaller,
    query: Record<string, unknown>,
  ): Promise<{ notifications: Record<string, unknown>[]; links: Record<string, string> }> {
    const errors: FieldError[] = [];
    const one = (name: string): string | undefined => {
      const v: unknown = Array.isArray(query[name]) ? (query[name] as unknown[])[0] : query[name];
      return typeof v === 'string' ? v : undefined;
    };
    const many = (name: string): string[] =>
      query[name] === undefined
        ? []
        : (Array.isArray(query[name]) ? (query[name] as unknown[]) : [query[name]]).flatMap((v) =>
            typeof v === 'string' ? v.split(',') : [],
          );
    const type = one('template_type');
    if (type !== undefined && !['sms', 'email', 'letter'].includes(type))
      errors.push({
        field: 'template_type',
        message: `${type} is not one of [sms, email, letter]`,
      });
    const statuses = many('status');
    for (const s of statuses)
      if (!STATUS_FILTER[s])
        errors.push({
          field: 'status',
          message: `${s} is not one of [${Object.keys(STATUS_FILTER).join(', ')}]`,
        });
    const olderThan = one('older_than');
    if (olderThan !== undefined && !UUID.test(olderThan))
      errors.push({ field: 'older_than', message: 'is not a valid UUID' });
    const reference = one('reference');
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);

    const rows =
      type === 'letter'
        ? []
        : await this.queries.list({
            actorType: 'api_client',
            actorId: caller.actor.id,
            agencyId: caller.actor.agencyId,
            simulated: caller.keyType === 'test',
            channel: type as 'sms' | 'email' | undefined,
            publicStatuses: [...new Set(statuses.flatMap((s) => STATUS_FILTER[s]))],
            reference,
            olderThanId: olderThan,
            limit: PAGE_SIZE,
          });
    const params = new URLSearchParams();
    if (type) params.set('template_type', type);
    for (const s of statuses) params.append('status', s);
    if (reference !== undefined) params.set('reference', reference);
    const link = (extra?: string) => {
      const p = new URLSearchParams(params);
      if (extra) p.set('older_than', extra);
      const qs = p.toString();
      return `${this.base}/v2/notifications${qs ? `?${qs}` : ''}`;
    };
    const links: Record<string, string> = { current: link(olderThan) };
    if (rows.length === PAGE_SIZE) links.next = link(rows.at(-1)!.id);
    const hidden = await this.ekeyAddressed.which(rows.map((n) => n.id));
    const notifications = [];
    for (const n of rows) notifications.push(await this.render(caller, n, hidden));
    return { notifications, links };
  }

  async template(caller: NotifyCaller, id: string, version?: string) {
    if (!UUID.test(id)) invalid('template_id', 'is not a valid UUID');
    if (version !== undefined && !/^[1-9]\d{0,8}$/.test(version))
      invalid('version', `${version} is not of type integer`);
    try {
      const found =
        version === undefined
          ? await this.templates.current(id)
          : await this.queries.templateVersion(id, Number(version));
      if (found.template.agencyId !== caller.actor.agencyId) throw new Error('other agency');
      return templateBody(found.template, found.version);
    } catch {
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No result found');
    }
  }

  async templatesList(caller: NotifyCaller, type: string | undefined) {
    if (type !== undefined && !['sms', 'email', 'letter'].includes(type))
      invalid('type', `${type} is not one of [sms, email, letter]`);
    const rows =
      type === 'letter'
        ? []
        : await this.queries.templatesOfAgency(
            caller.actor.agencyId,
            type as 'sms' | 'email' | undefined,
          );
    return { templates: rows.map((r) => templateBody(r.template, r.version)) };
  }

  async preview(caller: NotifyCaller, id: string, body: unknown) {
    if (!UUID.test(id)) invalid('template_id', 'is not a valid UUID');
    const personalisation = (body as { personalisation?: unknown } | undefined)?.personalisation;
    if (
      personalisation !== undefined &&
      (typeof personalisation !== 'object' ||
        personalisation === null ||
        Array.isArray(personalisation))
    )
      invalid('personalisation', 'should contain key value pairs');
    let current;
    try {
      current = await this.templates.current(id);
      if (current.template.agencyId !== caller.actor.agencyId) throw new Error('other agency');
    } catch {
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No result found');
    }
    const values = Object.fromEntries(
      Object.entries((personalisation as Record<string, unknown>) ?? {}).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    const r = await this.templates.preview(caller.actor, id, 'ar', values).catch((e: unknown) => {
      throw this.notifyError(e, current.template.channel);
    });
    return {
      id,
      type: r.channel,
      version: current.version.version,
      body: r.text,
      subject: r.email?.subject ?? null,
      html: r.email?.html ?? null,
      postage: null,
    };
  }

  /** A notification in Notify's shape; the contact of an eKey-addressed one is left out. */
  private async render(caller: NotifyCaller, n: NotificationView, hidden: Set<string>) {
    return notificationBody(
      this.base,
      caller.actor.id,
      n,
      hidden.has(n.id) ? null : this.queries.recipientOf(n),
      await this.queries.contentOf(n),
    );
  }

  private checkSendBody(
    channel: 'sms' | 'email',
    body: unknown,
  ): {
    to: string;
    templateId: string;
    personalisation?: Record<string, unknown>;
    reference?: string;
  } {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DomainException(
        PlatformErrors.MALFORMED_JSON,
        'Invalid JSON supplied in POST data',
      );
    const b = body as Record<string, unknown>;
    const toField = channel === 'sms' ? 'phone_number' : 'email_address';
    const errors: FieldError[] = [];
    const extra = Object.keys(b).filter(
      (k) => !(SEND_FIELDS[channel] as readonly string[]).includes(k),
    );
    if (extra.length)
      errors.push({
        field: 'body',
        message: `Additional properties are not allowed (${extra.join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`,
      });
    for (const required of [toField, 'template_id'])
      if (b[required] === undefined || b[required] === null)
        errors.push({ field: required, message: 'is a required property' });
    if (
      b.template_id !== undefined &&
      (typeof b.template_id !== 'string' || !UUID.test(b.template_id))
    )
      errors.push({ field: 'template_id', message: 'is not a valid UUID' });
    if (b[toField] !== undefined && typeof b[toField] !== 'string')
      errors.push({
        field: toField,
        message: `${JSON.stringify(b[toField])} is not of type string`,
      });
    if (
      b.personalisation !== undefined &&
      (typeof b.personalisation !== 'object' ||
        b.personalisation === null ||
        Array.isArray(b.personalisation))
    )
      errors.push({ field: 'personalisation', message: 'should contain key value pairs' });
    if (b.reference !== undefined && b.reference !== null && typeof b.reference !== 'string')
      errors.push({
        field: 'reference',
        message: `${JSON.stringify(b.reference)} is not of type string`,
      });
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);
    return {
      to: String(b[toField]),
      templateId: String(b.template_id),
      personalisation: b.personalisation as Record<string, unknown> | undefined,
      reference: typeof b.reference === 'string' ? b.reference : undefined,
    };
  }

  /** Core errors in Notify's words. */
  private notifyError(e: unknown, channel: 'sms' | 'email'): unknown {
    if (!(e instanceof DomainException)) return e;
    switch (e.code) {
      case 'NOTIFICATIONS_TEMPLATE_NOT_FOUND':
      case 'OTHER_AGENCY':
        return new DomainException(NotifyErrors.TEMPLATE_NOT_FOUND);
      case 'NOTIFICATIONS_PERSONALISATION_INVALID':
      case 'NOTIFICATIONS_PERSONALISATION_MISSING': {
        const missing =
          (e.extensions.missing as string[] | undefined) ??
          e.errors
            .filter((f) => f.reason === 'required')
            .map((f) => f.field.replace(/^personalisation\./, ''));
        return new DomainException(
          NotifyErrors.PERSONALISATION_MISSING,
          `Missing personalisation: ${missing.join(', ')}`,
        );
      }
      case 'NOTIFICATIONS_RECIPIENT_INVALID':
        return new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [
          channel === 'sms'
            ? { field: 'phone_number', message: 'Not a valid mobile number' }
            : { field: 'email_address', message: 'Not a valid email address' },
        ]);
      case 'NOTIFICATIONS_TEMPLATE_CHANNEL_MISMATCH':
        return new DomainException(
          NotifyErrors.TEMPLATE_CHANNEL_MISMATCH,
          `${channel === 'sms' ? 'email' : 'sms'} template is not suitable for ${channel} notification`,
        );
      default:
        return e;
    }
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { agencyOf, hasRole, hasScope, requireSameAgency } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import type { NotificationsConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_PRIORITIES,
  type NotificationChannel,
  type NotificationPriority,
} from '../domain/notification-status.js';
import { normaliseRecipient } from '../domain/recipient.js';
import { personalisationErrors } from '../domain/template-rules.js';
import { NotificationsErrors } from '../errors/notifications.errors.js';
import { planSms } from '../providers/sms-encoding.js';
import { placeholdersOf } from '../templates/template-renderer.js';
import { Coalescer } from '../domain/coalescer.js';
import {
  NotificationRepository,
  type AcceptedNotification,
} from '../repositories/notification.repository.js';
import { NotificationQueryRepository } from '../repositories/notification-query.repository.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { PlaintextHandoff } from './plaintext-handoff.js';
import { render, TemplateService, variantOf } from './template.service.js';

export interface SendRequest {
  channel: NotificationChannel;
  to: string;
  lang: 'ar' | 'en';
  templateId: string;
  personalisation: Record<string, string>;
  priority?: NotificationPriority;
  reference?: string;
  replacesPaperLetter?: boolean;
  actor: Actor;
  /** A caller-chosen id (idempotent callers: the same request always names the same id). */
  id?: string;
  /** `check`: every check, nothing stored. `simulate`: stored in its final status, never sent. */
  mode?: 'check' | { simulate: SimulatedStatus };
}

/** Final statuses a simulated (test-key) notification may be recorded in. */
export type SimulatedStatus = 'delivered' | 'permanent_failure' | 'temporary_failure';

export interface SendDirectRequest {
  channel: NotificationChannel;
  to: string;
  lang: 'ar' | 'en';
  subject?: string;
  body: string;
  priority: NotificationPriority;
  reference?: string;
  agencyId?: string | null;
  actor: Actor;
}

/** The encrypted content of a notification. */
export type NotificationContent =
  | { kind: 'template'; personalisation: Record<string, string> }
  | { kind: 'direct'; subject?: string; body: string };

/** Acceptance batches whose enqueue may still be on its way when their callers are answered. */
const MAX_ENQUEUES_IN_FLIGHT = 4;

export const RECIPIENT_LOOKUP = 'notification.recipient';
export const recipientAad = (id: string) => `notification:${id}:recipient`;
export const contentAad = (id: string) => `notification:${id}:content`;

/**
 * Accepts notifications (contract used by eKey, e-services and issue 6's API): checks,
 * writes the notification with its outbox mark in one transaction, and only after commit
 * hands it to the queue. What is accepted is never lost: the sweeper enqueues again what
 * the queue did not get.
 */
@Injectable()
export class NotificationSender {
  private readonly config: NotificationsConfig;
  /**
   * Notifications accepted at the same moment share one INSERT and one commit, then one
   * round trip to the queue (a failed enqueue is logged and left to the sweeper). Callers
   * are answered once their row is committed; the enqueue, already sent, completes behind
   * them, unless several are still on their way (then the answer waits: back-pressure from a
   * slow queue). Each caller learns whether its own row went in: a caller-chosen id already
   * taken fails alone.
   */
  private readonly accepts = new Coalescer<AcceptedNotification, boolean>(
    async (rows) => {
      const inserted = await this.repo.insertAcceptedMany(rows);
      const fresh = rows.filter((r) => inserted.delete(r.id));
      const enqueued = this.dispatcher
        .dispatchMany(fresh.map((r) => ({ id: r.id, channel: r.channel, priority: r.priority })))
        .catch(() => []) // it logs its own failures; the sweeper enqueues these again
        .finally(() => this.enqueuesInFlight--);
      if (++this.enqueuesInFlight > MAX_ENQUEUES_IN_FLIGHT) await enqueued;
      const ok = new Set(fresh);
      return rows.map((r) => ok.has(r));
    },
    { maxBatch: 200 },
  );
  private enqueuesInFlight = 0;

  constructor(
    private readonly templates: TemplateService,
    private readonly repo: NotificationRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly tx: TransactionRunner,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
    private readonly queries: NotificationQueryRepository,
    private readonly handoff: PlaintextHandoff,
  ) {
    this.config = config.notifications;
  }

  async send(req: SendRequest): Promise<{ id: string }> {
    requireSender(req.actor);
    const { template, version } = await this.templates.current(req.templateId);
    requireSameAgency(req.actor, template.agencyId);
    const { to, priority } = this.checkCommon(req);
    if (template.channel !== req.channel)
      throw new DomainException(
        NotificationsErrors.TEMPLATE_CHANNEL_MISMATCH,
        `The template is for ${template.channel}, not ${req.channel}`,
      );
    const personalisation = stringValues(req.personalisation);
    const errors = personalisationErrors(variantOf(version, req.lang), personalisation);
    if (errors.length)
      throw new DomainException(
        NotificationsErrors.PERSONALISATION_INVALID,
        errors.map((e) => e.message).join('; '),
        errors,
      );
    const rendered = render(template.channel, version, req.lang, personalisation);
    return this.accept({
      channel: req.channel,
      to,
      lang: req.lang,
      priority,
      agencyId: template.agencyId,
      templateVersionId: version.id,
      content: { kind: 'template', personalisation },
      text: rendered.text,
      reference: req.reference,
      replacesPaperLetter: req.replacesPaperLetter === true,
      actor: req.actor,
      id: req.id,
      mode: req.mode,
    });
  }

  /** A message the caller rendered itself (one-time codes, security alerts). */
  async sendDirect(req: SendDirectRequest): Promise<{ id: string }> {
    requireSender(req.actor);
    const agencyId = req.agencyId ?? agencyOf(req.actor);
    if (agencyId && req.actor.type !== 'system') requireSameAgency(req.actor, agencyId);
    const { to, priority } = this.checkCommon(req);
    const errors = [];
    if (!req.body?.trim())
      errors.push({ field: 'body', message: 'The body is required', reason: 'required' });
    if (placeholdersOf(`${req.subject ?? ''} ${req.body ?? ''}`).length)
      errors.push({
        field: 'body',
        message: 'A direct message is sent as written: no ((placeholders))',
        reason: 'format',
      });
    if (req.channel === 'email' && !req.subject?.trim())
      errors.push({ field: 'subject', message: 'An email needs a subject', reason: 'required' });
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);
    return this.accept({
      channel: req.channel,
      to,
      lang: req.lang,
      priority,
      agencyId: agencyId ?? null,
      templateVersionId: null,
      content: { kind: 'direct', subject: req.subject, body: req.body },
      text: req.body,
      reference: req.reference,
      replacesPaperLetter: false,
      actor: req.actor,
    });
  }

  /** Stops a notification not yet handed to a provider. */
  async cancel(actor: Actor, id: string): Promise<void> {
    const row = await this.repo.findById(id);
    if (!row) throw new DomainException(NotificationsErrors.NOTIFICATION_NOT_FOUND);
    if (row.agencyId) requireSameAgency(actor, row.agencyId);
    else if (!hasRole(actor, 'admin')) throw new DomainException(PlatformErrors.FORBIDDEN);
    await this.tx.run(async (tx) => {
      if (!(await this.repo.cancel(tx, id, this.clock.now())))
        throw new DomainException(NotificationsErrors.NOT_CANCELLABLE, `Status is ${row.status}`);
      await this.audit.record(tx, {
        actor,
        action: 'notifications.cancel',
        objectType: 'notification',
        objectId: id,
      });
    });
  }

  private checkCommon(req: {
    channel: NotificationChannel;
    to: string;
    lang: string;
    priority?: NotificationPriority;
    reference?: string;
  }): { to: string; priority: NotificationPriority } {
    const errors = [];
    if (!NOTIFICATION_CHANNELS.includes(req.channel))
      errors.push({ field: 'channel', message: 'sms or email', reason: 'format' });
    if (req.lang !== 'ar' && req.lang !== 'en')
      errors.push({ field: 'lang', message: 'ar or en', reason: 'format' });
    const priority = req.priority ?? 'transactional';
    if (!NOTIFICATION_PRIORITIES.includes(priority))
      errors.push({ field: 'priority', message: 'otp, transactional or bulk', reason: 'format' });
    if (
      req.reference !== undefined &&
      (typeof req.reference !== 'string' || req.reference.length > 200)
    )
      errors.push({ field: 'reference', message: 'At most 200 characters', reason: 'range' });
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);
    const to = normaliseRecipient(req.channel, req.to);
    if (!to)
      throw new DomainException(NotificationsErrors.RECIPIENT_INVALID, undefined, [
        {
          field: 'to',
          message: req.channel === 'sms' ? 'Not a mobile number' : 'Not an email address',
          reason: 'format',
        },
      ]);
    return { to, priority };
  }

  private async accept(n: {
    channel: NotificationChannel;
    to: string;
    lang: 'ar' | 'en';
    priority: NotificationPriority;
    agencyId: string | null;
    templateVersionId: string | null;
    content: NotificationContent;
    text: string;
    reference?: string;
    replacesPaperLetter: boolean;
    actor: Actor;
    id?: string;
    mode?: SendRequest['mode'];
  }): Promise<{ id: string }> {
    // Too long is refused now rather than failed later (throws SmsTooLongError, 422).
    const segments =
      n.channel === 'sms' ? planSms(n.text, { maxParts: this.config.smsMaxParts }).segments : null;
    const id = n.id ?? randomUUID();
    if (n.mode === 'check') return { id };
    const now = this.clock.now();
    const row: AcceptedNotification = {
      id,
      agencyId: n.agencyId,
      templateVersionId: n.templateVersionId,
      channel: n.channel,
      priority: n.priority,
      lang: n.lang,
      recipientCipher: this.cipher.encrypt(n.to, recipientAad(id)),
      recipientHash: this.cipher.lookupHash(n.to, RECIPIENT_LOOKUP),
      contentCipher: this.cipher.encrypt(JSON.stringify(n.content), contentAad(id)),
      reference: n.reference ?? null,
      replacesPaperLetter: n.replacesPaperLetter,
      segments,
      actorType: n.actor.type,
      actorId: n.actor.id,
      acceptedAt: now,
    };
    if (typeof n.mode === 'object') {
      // Inserted and finished in one transaction: the outbox never sees it, no provider does.
      const status = n.mode.simulate;
      await this.tx.run(async (tx) => {
        await this.repo.insertAccepted([row], tx);
        await this.queries.markSimulated(tx, id, status, now);
      });
      return { id };
    }
    // This process's worker will likely claim it within milliseconds: it gets the plaintext
    // with the ciphertext it claims instead of decrypting what was just encrypted.
    this.handoff.recipients.remember(id, row.recipientCipher, n.to);
    this.handoff.contents.remember(id, row.contentCipher, n.content);
    // One INSERT: the notification with its outbox mark, committed before anyone is told.
    let inserted = false;
    try {
      inserted = await this.accepts.submit(row);
    } finally {
      if (!inserted) {
        this.handoff.recipients.forget(row.recipientCipher);
        this.handoff.contents.forget(row.contentCipher);
      }
    }
    if (!inserted) throw new DomainException(NotificationsErrors.NOTIFICATION_ID_TAKEN);
    return { id };
  }
}

function requireSender(actor: Actor): void {
  if (actor.type === 'system') return;
  if (actor.type === 'api_client' && hasScope(actor, 'notifications:send')) return;
  if (hasRole(actor, 'admin', 'operator', 'agency_editor', 'agency_approver')) return;
  throw new DomainException(PlatformErrors.FORBIDDEN, 'This needs the notifications:send scope');
}

function stringValues(values: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {}))
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== undefined && v !== null) out[k] = JSON.stringify(v);
  return out;
}

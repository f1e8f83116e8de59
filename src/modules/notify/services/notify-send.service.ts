import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { EkeyDirectory } from '../../ekey/services/ekey-directory.js';
import type { NotificationPriority } from '../../notifications/domain/notification-status.js';
import {
  NotificationSender,
  type SimulatedStatus,
} from '../../notifications/services/notification-sender.js';
import { NotificationQueryService } from '../../notifications/services/notification-query.service.js';
import { TemplateService } from '../../notifications/services/template.service.js';
import type { NotifyKeyType } from '../entities/notify-api-key.entity.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import { EkeyAddressedRepository } from '../repositories/send-request.repository.js';
import { PreferenceService, type PreferenceSubject } from './preference.service.js';
import { SendLimitsService } from './send-limits.service.js';

export type ApiClientActor = Extract<Actor, { type: 'api_client' }>;

/** One notice an e-service asks for, through /v2, /v1 or a bulk job row. */
export interface NotifySendInput {
  actor: ApiClientActor;
  /** `test` never reaches a provider; `team` behaves as `live` (Diwan keeps no guest list). */
  keyType: NotifyKeyType;
  channel: 'sms' | 'email';
  /** A mobile number or email address; exactly one of `to` and `ekeyAccountId`. */
  to?: string;
  /** An eKey account: its verified contact for the channel and its preferred language. */
  ekeyAccountId?: string;
  templateId: string;
  personalisation?: Record<string, unknown>;
  /** Default: the eKey account's language, else Arabic. */
  lang?: 'ar' | 'en';
  reference?: string;
  /** A legal notice: sent even to a recipient who opted out. */
  critical?: boolean;
  replacesPaperLetter?: boolean;
  priority?: NotificationPriority;
  /** A caller-chosen notification id (idempotent callers). */
  notificationId?: string;
  /** Bulk: the job and row; together they fix the notification id, so a row is sent once. */
  jobId?: string;
  jobRow?: number;
  /** Render the content for the answer (the APIs show it; bulk rows do not need it). */
  withContent?: boolean;
}

export interface NotifySendResult {
  id: string;
  channel: 'sms' | 'email';
  lang: 'ar' | 'en';
  templateId: string;
  templateVersion: number;
  /** Recorded in a final status without reaching a provider (test key, simulator address). */
  simulated: boolean;
  /** The notification existed already (same job row or same caller-chosen id). */
  existing: boolean;
  content?: { body: string; subject: string | null };
}

interface Plan {
  to: string;
  lang: 'ar' | 'en';
  subjects: PreferenceSubject[];
  simulate: SimulatedStatus | null;
  id: string | undefined;
  /** Addressed by eKey account: the e-service must never be shown the contact. */
  ekey: boolean;
}

/**
 * Notify's "simulated" addresses: for a test key they decide the outcome, and the smoke-test
 * addresses are never sent whatever the key (as GOV.UK Notify documents).
 */
const SIMULATED_EMAILS: Readonly<Record<string, SimulatedStatus>> = {
  'temp-fail@simulator.notify': 'temporary_failure',
  'perm-fail@simulator.notify': 'permanent_failure',
  'simulate-delivered@notifications.service.gov.uk': 'delivered',
  'simulate-delivered-2@notifications.service.gov.uk': 'delivered',
  'simulate-delivered-3@notifications.service.gov.uk': 'delivered',
};
const SMOKE_TEST_EMAILS = /^simulate-delivered(-[23])?@notifications\.service\.gov\.uk$/i;

/** The id a bulk row's notification gets: the same row of the same job, the same id. */
export function bulkNotificationId(jobId: string, row: number): string {
  const h = createHash('sha256').update(`diwan:bulk:${jobId}:${row}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * THE send path of the e-service interfaces (/v2, /v1, bulk rows): eKey addressing,
 * preferences, daily caps, test keys, then the notifications core. `validate` runs every
 * check without sending or counting.
 */
@Injectable()
export class NotifySendService {
  constructor(
    private readonly sender: NotificationSender,
    private readonly templates: TemplateService,
    private readonly queries: NotificationQueryService,
    private readonly preferences: PreferenceService,
    private readonly limits: SendLimitsService,
    private readonly ekey: EkeyDirectory,
    private readonly ekeyAddressed: EkeyAddressedRepository,
  ) {}

  /** Every check `send` makes (recipient, template, personalisation, length, opt-out); nothing is stored. */
  async validate(input: NotifySendInput): Promise<void> {
    await this.plan(input);
  }

  async send(input: NotifySendInput): Promise<NotifySendResult> {
    const plan = await this.plan(input);
    if (plan.id) {
      const existing = await this.existing(plan.id, input);
      if (existing) return existing;
    }
    if (!plan.simulate) await this.takeDaily(input.actor.id, input.channel);
    if (plan.ekey) {
      plan.id ??= randomUUID();
      await this.ekeyAddressed.mark(plan.id);
    }
    let id: string;
    try {
      ({ id } = await this.sender.send(
        this.request(input, plan, plan.simulate ? { simulate: plan.simulate } : undefined),
      ));
    } catch (e) {
      // The same row (or request) sent at the same moment elsewhere: answer with that one.
      const taken =
        e instanceof DomainException && e.code === 'NOTIFICATIONS_NOTIFICATION_ID_TAKEN';
      const existing = taken && plan.id ? await this.existing(plan.id, input) : null;
      if (existing) return existing;
      throw e;
    }
    const { template, version } = await this.templates.current(input.templateId);
    const content = input.withContent
      ? this.queries.render(template, version, plan.lang, stringValues(input.personalisation))
      : undefined;
    return {
      id,
      channel: input.channel,
      lang: plan.lang,
      templateId: input.templateId,
      templateVersion: version.version,
      simulated: plan.simulate !== null,
      existing: false,
      content,
    };
  }

  /** The notification already made under a caller-chosen id, if it is this caller's. */
  private async existing(id: string, input: NotifySendInput): Promise<NotifySendResult | null> {
    const found = await this.queries.get(id);
    if (!found || found.actorId !== input.actor.id) return null;
    return {
      id: found.id,
      channel: found.channel,
      lang: found.lang,
      templateId: found.templateId ?? input.templateId,
      templateVersion: found.templateVersion ?? 0,
      simulated: found.simulated,
      existing: true,
      content: input.withContent ? ((await this.queries.contentOf(found)) ?? undefined) : undefined,
    };
  }

  private async plan(input: NotifySendInput): Promise<Plan> {
    const errors: FieldError[] = [];
    if (input.channel !== 'sms' && input.channel !== 'email')
      errors.push({ field: 'channel', message: 'sms or email', reason: 'format' });
    const hasTo = typeof input.to === 'string' && input.to.trim() !== '';
    const hasAccount = typeof input.ekeyAccountId === 'string' && input.ekeyAccountId !== '';
    if (hasTo === hasAccount)
      errors.push({
        field: hasTo ? 'ekeyAccountId' : 'to',
        message: 'Give exactly one of to and ekeyAccountId',
        reason: hasTo ? 'unknown' : 'required',
      });
    if (input.lang !== undefined && input.lang !== 'ar' && input.lang !== 'en')
      errors.push({ field: 'lang', message: 'ar or en', reason: 'format' });
    if (input.jobId !== undefined && !(Number.isInteger(input.jobRow) && input.jobRow! >= 0))
      errors.push({
        field: 'jobRow',
        message: 'A row number comes with a job id',
        reason: 'required',
      });
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);

    let to = input.to?.trim() ?? '';
    let lang: 'ar' | 'en' = input.lang ?? 'ar';
    const subjects: PreferenceSubject[] = [];
    if (hasAccount) {
      const contact = await this.ekey.contactFor(input.ekeyAccountId!);
      if (!contact)
        throw new DomainException(NotifyErrors.EKEY_ACCOUNT_UNKNOWN, undefined, [
          {
            field: 'ekeyAccountId',
            message: 'No active eKey account with this id',
            reason: 'unknown',
          },
        ]);
      const address = input.channel === 'sms' ? contact.mobile : contact.email;
      if (!address)
        throw new DomainException(
          NotifyErrors.EKEY_NO_VERIFIED_CONTACT,
          `The eKey account has no verified ${input.channel === 'sms' ? 'mobile number' : 'email address'}`,
          [
            {
              field: 'ekeyAccountId',
              message: `No verified ${input.channel} contact`,
              reason: 'unverified',
            },
          ],
        );
      to = address;
      lang = input.lang ?? contact.lang;
      subjects.push({ ekeyAccountId: input.ekeyAccountId! });
    }
    subjects.push(input.channel === 'sms' ? { sms: to } : { email: to });

    const simulatedAddress =
      input.channel === 'email' ? SIMULATED_EMAILS[to.toLowerCase()] : undefined;
    const simulate: SimulatedStatus | null =
      input.keyType === 'test'
        ? (simulatedAddress ?? 'delivered')
        : SMOKE_TEST_EMAILS.test(to)
          ? 'delivered'
          : null;
    const id =
      input.notificationId ??
      (input.jobId !== undefined ? bulkNotificationId(input.jobId, input.jobRow!) : undefined);
    const plan: Plan = { to, lang, subjects, simulate, id, ekey: hasAccount };

    // The core's own checks: template, agency, channel, personalisation, recipient, length.
    await this.sender.send(this.request(input, plan, 'check'));
    if (!simulate) {
      // The core has just checked that the template is of the e-service's own agency.
      const allowed = await this.preferences.mayReceive(
        subjects,
        input.actor.agencyId,
        input.channel,
        input.critical === true,
      );
      if (!allowed) throw new DomainException(NotifyErrors.RECIPIENT_OPTED_OUT);
    }
    return plan;
  }

  private request(
    input: NotifySendInput,
    plan: Plan,
    mode: 'check' | { simulate: SimulatedStatus } | undefined,
  ) {
    return {
      channel: input.channel,
      to: plan.to,
      lang: plan.lang,
      templateId: input.templateId,
      personalisation: stringValues(input.personalisation),
      priority: input.priority ?? (input.jobId !== undefined ? 'bulk' : 'transactional'),
      reference: input.reference,
      replacesPaperLetter: input.replacesPaperLetter === true,
      actor: input.actor,
      id: plan.id,
      mode,
    } as const;
  }

  private async takeDaily(apiClientId: string, channel: 'sms' | 'email'): Promise<void> {
    try {
      await this.limits.takeDaily(apiClientId, channel);
    } catch (e) {
      if (e instanceof DomainException && e.code === PlatformErrors.RATE_LIMITED.code)
        throw new DomainException(
          NotifyErrors.DAILY_LIMIT_EXCEEDED,
          e.detail,
          [],
          e.extensions,
          e.headers,
        );
      throw e;
    }
  }
}

function stringValues(values: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {}))
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== undefined && v !== null) out[k] = JSON.stringify(v);
  return out;
}

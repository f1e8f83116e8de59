import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hasScope } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { canonicalJson } from '../../../platform/audit/canonical-json.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  NotificationQueryService,
  type NotificationView,
} from '../../notifications/services/notification-query.service.js';
import type {
  NotificationDto,
  NotificationListDto,
  NotificationListQueryDto,
  PaperLetterQueryDto,
  PaperLetterReportDto,
  SendNotificationDto,
} from '../dto/notify-v1.dto.js';
import { maskRecipient } from '../domain/notify-format.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import {
  EkeyAddressedRepository,
  SendRequestRepository,
} from '../repositories/send-request.repository.js';
import { type ApiClientActor, NotifySendService } from './notify-send.service.js';

const KEY = /^[\x21-\x7e]{1,200}$/;
/** How long a first request may take before a retry may take its key over. */
const LEASE_MS = 30_000;
/** How long a concurrent retry waits for the first request's answer. */
const WAIT_MS = 30_000;

export interface SendAnswer {
  status: number;
  body: NotificationDto;
  replayed: boolean;
}

/**
 * Diwan's own notifications API (`/v1/notifications`): everything Notify's API does plus
 * eKey addressing, critical notices, paper letters replaced and an enforced Idempotency-Key.
 */
@Injectable()
export class NotifyV1Service {
  constructor(
    private readonly sends: NotifySendService,
    private readonly queries: NotificationQueryService,
    private readonly requests: SendRequestRepository,
    private readonly ekeyAddressed: EkeyAddressedRepository,
  ) {}

  /**
   * Sends once per Idempotency-Key: the unique index lets one request claim the key (with a
   * notification id chosen now); the others wait for its answer and replay it. A different
   * body under the same key is 409. A refused send frees the key.
   */
  async send(
    actor: Actor,
    key: string | undefined,
    body: SendNotificationDto,
  ): Promise<SendAnswer> {
    const client = apiClient(actor);
    if (key === undefined || !KEY.test(key))
      throw new DomainException(NotifyErrors.IDEMPOTENCY_KEY_REQUIRED, undefined, [
        {
          field: 'Idempotency-Key',
          message: '1 to 200 printable ASCII characters',
          reason: 'required',
        },
      ]);
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const deadline = Date.now() + WAIT_MS;
    for (let round = 0; ; round++) {
      const notificationId = randomUUID();
      if (await this.requests.claim(client.id, key, hash, notificationId, LEASE_MS))
        return this.sendClaimed(client, key, body, notificationId);
      const first = await this.requests.find(client.id, key);
      if (!first) continue; // the first request was refused and freed the key: try again
      if (first.requestHash !== hash)
        throw new DomainException(
          PlatformErrors.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was used with a different notification; use a new key for a new notification',
        );
      if (first.responseStatus !== null && first.responseBody)
        return {
          status: first.responseStatus,
          body: first.responseBody as unknown as NotificationDto,
          replayed: true,
        };
      if (first.claimExpired && (await this.requests.takeOver(client.id, key, LEASE_MS)))
        // Its sender went away: send under the same notification id (sent at most once).
        return this.sendClaimed(client, key, body, first.notificationId);
      if (Date.now() > deadline) throw new DomainException(NotifyErrors.IDEMPOTENCY_IN_PROGRESS);
      // Waiting backs off, so many waiters do not starve the first request of the database.
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** round, 500)));
    }
  }

  private async sendClaimed(
    actor: ApiClientActor,
    key: string,
    body: SendNotificationDto,
    notificationId: string,
  ): Promise<SendAnswer> {
    let result;
    try {
      result = await this.sends.send({
        actor,
        keyType: 'live',
        channel: body.channel,
        to: body.to,
        ekeyAccountId: body.ekeyAccountId,
        templateId: body.templateId,
        personalisation: body.personalisation,
        lang: body.lang,
        reference: body.reference,
        critical: body.critical === true,
        replacesPaperLetter: body.replacesPaperLetter === true,
        notificationId,
        withContent: true,
      });
    } catch (e) {
      await this.requests.release(actor.id, key);
      throw e;
    }
    const n = await this.queries.get(result.id);
    const answer = { ...(await this.toDto(n!)), content: result.content };
    await this.requests.answer(actor.id, key, 201, answer);
    return { status: 201, body: answer, replayed: false };
  }

  async get(actor: Actor, id: string): Promise<NotificationDto> {
    const client = apiClient(actor);
    const n = await this.queries.get(id);
    if (!n || n.actorType !== 'api_client' || n.actorId !== client.id || n.simulated)
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No such notification');
    return this.toDto(n);
  }

  async list(actor: Actor, q: NotificationListQueryDto): Promise<NotificationListDto> {
    const client = apiClient(actor);
    const limit = q.limit ?? 50;
    const rows = await this.queries.list({
      actorType: 'api_client',
      actorId: client.id,
      agencyId: client.agencyId,
      simulated: false,
      channel: q.channel,
      publicStatuses: q.status ? [q.status] : undefined,
      reference: q.reference,
      olderThanId: q.olderThan,
      limit,
    });
    const hidden = await this.ekeyAddressed.which(rows.map((r) => r.id));
    const notifications = rows.map((n) => this.dto(n, hidden.has(n.id)));
    if (rows.length < limit) return { notifications };
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...q, olderThan: rows.at(-1)!.id, limit }))
      if (v !== undefined) next.set(k, String(v));
    return { notifications, next: `/v1/notifications?${next.toString()}` };
  }

  /** Per agency and month; an e-service sees its own agency, reports:read every agency. */
  async paperLetters(actor: Actor, q: PaperLetterQueryDto): Promise<PaperLetterReportDto> {
    const client = apiClient(actor, false);
    if (q.from > q.to)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'from must not be after to', [
        { field: 'to', message: 'must not be before from', reason: 'range' },
      ]);
    const national = hasScope(client, 'reports:read');
    if (!national && !hasScope(client, 'notifications:send'))
      throw new DomainException(
        PlatformErrors.INSUFFICIENT_SCOPE,
        'Needs notifications:send (own agency) or reports:read',
      );
    if (!national && q.agencyId && q.agencyId !== client.agencyId)
      throw new DomainException(PlatformErrors.OTHER_AGENCY);
    const agencyId = national ? (q.agencyId ?? null) : client.agencyId;
    return { from: q.from, to: q.to, rows: await this.queries.paperLetters(q, agencyId) };
  }

  private async toDto(n: NotificationView): Promise<NotificationDto> {
    const hidden = await this.ekeyAddressed.which([n.id]);
    return this.dto(n, hidden.has(n.id));
  }

  private dto(n: NotificationView, ekeyAddressed: boolean): NotificationDto {
    const recipient = ekeyAddressed ? null : this.queries.recipientOf(n);
    return {
      id: n.id,
      status: n.status,
      notifyStatus: n.publicStatus,
      channel: n.channel,
      lang: n.lang,
      recipient: recipient ? maskRecipient(recipient) : null,
      templateId: n.templateId,
      templateVersion: n.templateVersion,
      reference: n.reference,
      replacesPaperLetter: n.replacesPaperLetter,
      segments: n.segments,
      acceptedAt: new Date(n.acceptedAt).toISOString(),
      sentAt: n.sentAt ? new Date(n.sentAt).toISOString() : null,
      completedAt: n.completedAt ? new Date(n.completedAt).toISOString() : null,
    };
  }
}

function apiClient(actor: Actor, needSend = true): ApiClientActor {
  if (actor.type !== 'api_client') throw new DomainException(PlatformErrors.UNAUTHENTICATED);
  if (needSend && !hasScope(actor, 'notifications:send'))
    throw new DomainException(PlatformErrors.INSUFFICIENT_SCOPE, 'Needs notifications:send');
  return actor;
}

import { Injectable } from '@nestjs/common';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import {
  NOTIFICATION_STATUSES,
  type NotificationChannel,
  type NotificationStatus,
} from '../domain/notification-status.js';
import type { NotificationTemplateVersion } from '../entities/notification-template-version.entity.js';
import type { NotificationTemplate } from '../entities/notification-template.entity.js';
import { NotificationsErrors } from '../errors/notifications.errors.js';
import {
  NotificationQueryRepository,
  PUBLIC_STATUSES,
  type PublicStatus,
  type NotificationListFilter,
  type NotificationView,
  type PaperLetterRow,
} from '../repositories/notification-query.repository.js';
import { renderEmail } from '../templates/template-renderer.js';
import { contentAad, recipientAad, type NotificationContent } from './notification-sender.js';
import { render, TemplateService } from './template.service.js';

export type { NotificationView, PaperLetterRow, NotificationListFilter };

/** Notifications per status: Diwan's statuses and the public (GOV.UK Notify) ones. */
export interface StatusCounts {
  byStatus: Record<NotificationStatus, number>;
  byNotifyStatus: Record<PublicStatus, number>;
}
export {
  PUBLIC_STATUSES,
  type PublicStatus,
} from '../repositories/notification-query.repository.js';

/**
 * Reads for the e-service APIs (issue 6): one notification, a sender's list, what changed
 * (for status callbacks), paper-letter statistics and templates. Access rules are the
 * caller's: these methods answer what they are asked.
 */
@Injectable()
export class NotificationQueryService {
  constructor(
    private readonly repo: NotificationQueryRepository,
    private readonly templates: TemplateService,
    private readonly cipher: FieldCipher,
  ) {}

  get(id: string): Promise<NotificationView | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      return Promise.resolve(null);
    return this.repo.findById(id);
  }

  list(filter: NotificationListFilter): Promise<NotificationView[]> {
    return this.repo.list(filter);
  }

  /** Notifications of these API clients changed at or after `since`, oldest change first. */
  changedSince(since: Date, apiClientIds: string[], limit: number): Promise<NotificationView[]> {
    return this.repo.changedSince(since, apiClientIds, limit);
  }

  /**
   * How many of these notifications are in each status, in Diwan's words and in Notify's
   * (every status present with 0 when none); ids that are no notification are not counted.
   */
  async countByStatusForIds(ids: string[]): Promise<StatusCounts> {
    const out: StatusCounts = {
      byStatus: Object.fromEntries(
        NOTIFICATION_STATUSES.map((s) => [s, 0]),
      ) as StatusCounts['byStatus'],
      byNotifyStatus: Object.fromEntries(
        PUBLIC_STATUSES.map((s) => [s, 0]),
      ) as StatusCounts['byNotifyStatus'],
    };
    for (const r of await this.repo.countByStatusForIds(ids)) {
      out.byStatus[r.status] += r.n;
      out.byNotifyStatus[r.publicStatus] += r.n;
    }
    return out;
  }

  paperLetters(
    range: { from: string; to: string },
    agencyId: string | null,
  ): Promise<PaperLetterRow[]> {
    return this.repo.paperLetters(range.from, range.to, agencyId);
  }

  /** The recipient in clear; null once the retention job wiped it. */
  recipientOf(n: NotificationView): string | null {
    return n.recipientCipher ? this.cipher.decrypt(n.recipientCipher, recipientAad(n.id)) : null;
  }

  /** What the recipient got (or will get); null once the retention job wiped it. */
  async contentOf(
    n: NotificationView,
  ): Promise<{ body: string; subject: string | null; html: string | null } | null> {
    if (!n.contentCipher) return null;
    const content = JSON.parse(
      this.cipher.decrypt(n.contentCipher, contentAad(n.id)),
    ) as NotificationContent;
    if (content.kind === 'direct') {
      if (n.channel === 'sms') return { body: content.body, subject: null, html: null };
      const email = renderEmail(
        { subject: content.subject ?? '', body: content.body, lang: n.lang },
        {},
      );
      return { body: email.text, subject: email.subject, html: email.html };
    }
    const version = await this.templates.version(n.templateVersionId!);
    const r = render(n.channel, version, n.lang, content.personalisation);
    return { body: r.text, subject: r.email?.subject ?? null, html: r.email?.html ?? null };
  }

  /** A template version rendered for an answer (the caller has made its access checks). */
  render(
    template: NotificationTemplate,
    version: NotificationTemplateVersion,
    lang: 'ar' | 'en',
    personalisation: Record<string, string>,
  ): { body: string; subject: string | null } {
    const r = render(template.channel, version, lang, personalisation);
    return { body: r.text, subject: r.email?.subject ?? null };
  }

  templatesOfAgency(
    agencyId: string,
    channel?: NotificationChannel,
  ): Promise<Array<{ template: NotificationTemplate; version: NotificationTemplateVersion }>> {
    return this.repo.templatesOfAgency(agencyId, channel);
  }

  async templateVersion(
    templateId: string,
    version: number,
  ): Promise<{ template: NotificationTemplate; version: NotificationTemplateVersion }> {
    const template = await this.templates.get(templateId);
    const v =
      Number.isInteger(version) && version > 0
        ? await this.repo.findVersion(templateId, version)
        : null;
    if (!v) throw new DomainException(NotificationsErrors.TEMPLATE_NOT_FOUND);
    return { template, version: v };
  }
}

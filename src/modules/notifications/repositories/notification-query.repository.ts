import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import type { NotificationChannel, NotificationStatus } from '../domain/notification-status.js';
import { NotificationTemplateVersion } from '../entities/notification-template-version.entity.js';
import { NotificationTemplate } from '../entities/notification-template.entity.js';

/**
 * The status an e-service sees, in GOV.UK Notify's words: a temporary failure that will be
 * retried is still `sending`; one that will not (a receipt said "expired") is final.
 */
export const PUBLIC_STATUSES = [
  'created',
  'sending',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'cancelled',
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

const PUBLIC_STATUS_SQL = `CASE
  WHEN n.status IN ('accepted', 'queued') THEN 'created'
  WHEN n.status IN ('sending', 'sent') THEN 'sending'
  WHEN n.status = 'temporary_failure' AND n.dispatch_due_at IS NOT NULL THEN 'sending'
  WHEN n.status = 'temporary_failure' THEN 'temporary-failure'
  WHEN n.status = 'permanent_failure' THEN 'permanent-failure'
  WHEN n.status = 'technical_failure' THEN 'technical-failure'
  ELSE n.status END`;

/** A notification as its sender may read it (content still encrypted). */
export interface NotificationView {
  id: string;
  agencyId: string | null;
  channel: NotificationChannel;
  status: NotificationStatus;
  publicStatus: PublicStatus;
  lang: 'ar' | 'en';
  reference: string | null;
  replacesPaperLetter: boolean;
  segments: number | null;
  simulated: boolean;
  templateId: string | null;
  templateVersion: number | null;
  templateVersionId: string | null;
  actorType: string;
  actorId: string | null;
  acceptedAt: Date;
  sentAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
  recipientCipher: string | null;
  contentCipher: string | null;
}

export interface NotificationListFilter {
  actorType: string;
  actorId: string;
  /** Narrows the scan to the sender's agency (index on agency and acceptance time). */
  agencyId: string | null;
  simulated: boolean;
  channel?: NotificationChannel;
  publicStatuses?: PublicStatus[];
  reference?: string;
  /** Only notifications accepted before this one. */
  olderThanId?: string;
  limit: number;
}

export interface PaperLetterRow {
  agencyId: string | null;
  month: string;
  lettersReplaced: number;
  sent: number;
  delivered: number;
  failed: number;
  smsSegments: number;
}

const VIEW_COLUMNS = `n.id, n.agency_id AS "agencyId", n.channel, n.status, ${PUBLIC_STATUS_SQL} AS "publicStatus",
  n.lang, n.reference, n.replaces_paper_letter AS "replacesPaperLetter", n.segments, n.simulated,
  v.template_id AS "templateId", v.version AS "templateVersion", n.template_version_id AS "templateVersionId",
  n.actor_type AS "actorType", n.actor_id AS "actorId", n.accepted_at AS "acceptedAt", n.sent_at AS "sentAt",
  n.completed_at AS "completedAt", n.updated_at AS "updatedAt", n.recipient_cipher AS "recipientCipher",
  n.content_cipher AS "contentCipher"`;

const FROM = `notification n LEFT JOIN notification_template_version v ON v.id = n.template_version_id`;

/** Reads of notifications and templates for the e-service APIs (issue 6), in explicit SQL. */
@Injectable()
export class NotificationQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q<T>(sql: string, params?: unknown[]): Promise<T> {
    return this.dataSource.query<T>(sql, params);
  }

  /** A test-key notification: final at once, never due for dispatch. */
  async markSimulated(tx: Tx, id: string, status: NotificationStatus, at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE notification SET simulated = true, status = $2, dispatch_due_at = NULL, sent_at = $3,
         completed_at = $3, updated_at = $3 WHERE id = $1`,
      [id, status, at],
    );
  }

  async findById(id: string): Promise<NotificationView | null> {
    const rows = await this.q<NotificationView[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${FROM} WHERE n.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async list(f: NotificationListFilter): Promise<NotificationView[]> {
    const params: unknown[] = [f.actorType, f.actorId, f.simulated];
    const where = [`n.actor_type = $1`, `n.actor_id = $2`, `n.simulated = $3`];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.agencyId) add((p) => `n.agency_id = ${p}::uuid`, f.agencyId);
    if (f.channel) add((p) => `n.channel = ${p}`, f.channel);
    if (f.reference !== undefined) add((p) => `n.reference = ${p}`, f.reference);
    if (f.publicStatuses?.length)
      add((p) => `(${PUBLIC_STATUS_SQL}) = ANY(${p}::text[])`, f.publicStatuses);
    if (f.olderThanId)
      add(
        (p) =>
          `(n.accepted_at, n.id) < (SELECT o.accepted_at, o.id FROM notification o WHERE o.id = ${p}::uuid)`,
        f.olderThanId,
      );
    params.push(f.limit);
    return this.q<NotificationView[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')}
       ORDER BY n.accepted_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * Notifications of API clients changed after `since` (oldest change first), for deriving
   * status callbacks. Served by the partial index on `updated_at` of API-client rows.
   */
  changedSince(since: Date, actorIds: string[], limit: number): Promise<NotificationView[]> {
    if (!actorIds.length) return Promise.resolve([]);
    return this.q<NotificationView[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${FROM}
       WHERE n.actor_type = 'api_client' AND n.updated_at >= $1 AND n.actor_id = ANY($2::text[])
       ORDER BY n.updated_at, n.id LIMIT $3`,
      [since, actorIds, limit],
    );
  }

  /**
   * Notifications among `ids` per Diwan status and per public (Notify) status, in one
   * aggregate over the primary key (a bulk job's 100,000 notifications are one statement).
   */
  async countByStatusForIds(
    ids: string[],
  ): Promise<Array<{ status: NotificationStatus; publicStatus: PublicStatus; n: number }>> {
    if (!ids.length) return [];
    const rows = await this.q<
      Array<{ status: NotificationStatus; publicStatus: PublicStatus; n: string }>
    >(
      `SELECT n.status, ${PUBLIC_STATUS_SQL} AS "publicStatus", count(*) AS n
         FROM notification n WHERE n.id = ANY($1::uuid[]) GROUP BY 1, 2`,
      [ids],
    );
    return rows.map((r) => ({ status: r.status, publicStatus: r.publicStatus, n: Number(r.n) }));
  }

  /** Per agency and Bahrain month: paper letters replaced and what was sent, delivered, failed. */
  async paperLetters(from: string, to: string, agencyId: string | null): Promise<PaperLetterRow[]> {
    const rows = await this.q<Array<Record<string, string | null>>>(
      `SELECT agency_id, to_char(accepted_at AT TIME ZONE 'Asia/Bahrain', 'YYYY-MM') AS month,
         count(*) FILTER (WHERE replaces_paper_letter AND status IN ('sent', 'delivered')) AS letters,
         count(*) FILTER (WHERE status IN ('sent', 'delivered')) AS sent,
         count(*) FILTER (WHERE status = 'delivered') AS delivered,
         count(*) FILTER (WHERE status IN ('permanent_failure', 'technical_failure')
                            OR (status = 'temporary_failure' AND dispatch_due_at IS NULL)) AS failed,
         coalesce(sum(segments) FILTER (WHERE channel = 'sms' AND status IN ('sent', 'delivered')), 0) AS segments
       FROM notification
       WHERE NOT simulated
         AND accepted_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Bahrain'
         AND accepted_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Bahrain'
         AND ($3::uuid IS NULL OR agency_id = $3::uuid)
       GROUP BY 1, 2 ORDER BY 2, 1`,
      [from, to, agencyId],
    );
    return rows.map((r) => ({
      agencyId: r.agency_id,
      month: String(r.month),
      lettersReplaced: Number(r.letters),
      sent: Number(r.sent),
      delivered: Number(r.delivered),
      failed: Number(r.failed),
      smsSegments: Number(r.segments),
    }));
  }

  /** Active templates of an agency with their current version. */
  async templatesOfAgency(
    agencyId: string,
    channel?: NotificationChannel,
  ): Promise<Array<{ template: NotificationTemplate; version: NotificationTemplateVersion }>> {
    const templates = await this.dataSource.manager.find(NotificationTemplate, {
      where: { agencyId, active: true, ...(channel ? { channel } : {}) },
      order: { createdAt: 'ASC' },
    });
    const out = [];
    for (const template of templates) {
      const version = await this.findVersion(template.id, template.currentVersion);
      if (version) out.push({ template, version });
    }
    return out;
  }

  findVersion(templateId: string, version: number): Promise<NotificationTemplateVersion | null> {
    return this.dataSource.manager.findOneBy(NotificationTemplateVersion, { templateId, version });
  }
}

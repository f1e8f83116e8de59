import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type Tx } from '../../../platform/database/transaction-runner.js';
import type { AttemptOutcome } from '../entities/notification-attempt.entity.js';
import { Notification } from '../entities/notification.entity.js';
import {
  PREDECESSORS,
  type NotificationChannel,
  type NotificationPriority,
  type NotificationStatus,
} from '../domain/notification-status.js';

/** A notification as the worker sees it right after claiming it. */
export interface ClaimedNotification {
  id: string;
  agencyId: string | null;
  templateVersionId: string | null;
  channel: NotificationChannel;
  priority: NotificationPriority;
  lang: 'ar' | 'en';
  recipientCipher: string | null;
  contentCipher: string | null;
  /** This attempt's number (1-based). */
  attempt: number;
}

export interface AcceptedNotification {
  id: string;
  agencyId: string | null;
  templateVersionId: string | null;
  channel: NotificationChannel;
  priority: NotificationPriority;
  lang: 'ar' | 'en';
  recipientCipher: string;
  recipientHash: string;
  contentCipher: string;
  reference: string | null;
  replacesPaperLetter: boolean;
  segments: number | null;
  actorType: string;
  actorId: string | null;
  acceptedAt: Date;
}

export interface DispatchRow {
  id: string;
  channel: NotificationChannel;
  priority: NotificationPriority;
  enqueueCount: number;
}

export interface AttemptRecord {
  attemptNo: number;
  provider: string;
  smscId?: string | null;
  outcome: AttemptOutcome;
  providerMessageIds?: string[];
  receiptStat?: string | null;
  error?: string | null;
  rawReceipt?: Record<string, unknown> | null;
}

const list = (statuses: readonly NotificationStatus[]) => statuses.map((s) => `'${s}'`).join(',');

/**
 * A condition the planner may check but not use to choose an index: `(…) IS TRUE` is not
 * matched against partial-index predicates. The batch statements below name their rows by id;
 * without this the planner, whose statistics on a queue table are always behind (they say
 * "nearly every row is sent"), believes the partial indexes on `status` and `dispatch_due_at`
 * find those few rows for free, and scans them whole: every due or in-flight row plus the dead
 * entries left until the next vacuum. With a backlog of 47,000 due rows a 64-row claim read
 * 1,180 pages (21 ms) through `ix_notification_dispatch_due`, against 2.4 ms by primary key;
 * in the delivery benchmark the record step scanned 21,000 entries of
 * `ix_notification_sending_claimed` to find 60 rows. `notifications-plans.test.ts` holds them
 * to the primary key.
 */
const filterOnly = (condition: string) => `(${condition}) IS TRUE`;

/** The statements that move a batch of notifications, by id (exported for the plan test). */
export const BATCH_STATEMENTS = {
  markEnqueued: `UPDATE notification SET enqueued_at = $2, enqueue_count = enqueue_count + 1,
         status = CASE WHEN status IN (${list(PREDECESSORS.queued)}) THEN 'queued' ELSE status END,
         updated_at = CASE WHEN status IN (${list(PREDECESSORS.queued)}) THEN $2 ELSE updated_at END
       WHERE id = ANY($1::uuid[])
         AND ${filterOnly("dispatch_due_at IS NOT NULL AND status IN ('accepted', 'queued', 'temporary_failure')")}`,
  claim: `UPDATE notification SET status = 'sending', attempts = attempts + 1, claimed_at = $2, updated_at = $2,
           dispatch_due_at = NULL
         WHERE id = ANY($1::uuid[])
           AND ${filterOnly(`status IN (${list(PREDECESSORS.sending)}) AND dispatch_due_at <= $2::timestamptz + interval '1 second'`)}
         RETURNING id, agency_id, template_version_id, channel, priority, lang, recipient_cipher, content_cipher, attempts`,
  recordSubmitted: `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS x(id uuid, attempt_no int, provider text, smsc_id text, message_ids text[], raw jsonb, segments int)),
         a AS (INSERT INTO notification_attempt
                 (notification_id, attempt_no, provider, smsc_id, outcome, provider_message_ids, raw_receipt, at)
               SELECT id, attempt_no, provider, smsc_id, 'submitted', message_ids, raw, $2 FROM input),
         u AS (UPDATE notification n SET status = 'sent', sent_at = $2, provider_message_ids = i.message_ids,
                 provider = COALESCE(i.smsc_id, i.provider), segments = COALESCE(i.segments, n.segments),
                 dispatch_due_at = NULL, last_error = NULL, updated_at = $2
               FROM input i
               WHERE n.id = i.id AND ${filterOnly(`n.status IN (${list(PREDECESSORS.sent)}) AND n.attempts = i.attempt_no`)}
               RETURNING n.id)
         SELECT id FROM u`,
} as const;

/**
 * Notifications and their attempts in explicit SQL: every status change is a conditional
 * UPDATE naming the allowed predecessors, so it happens once or not at all.
 */
@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q<T>(sql: string, params?: unknown[]): Promise<T> {
    return this.dataSource.query<T>(sql, params);
  }

  /**
   * The notification and its outbox mark (`dispatch_due_at`) are one row, so this single
   * statement is the whole acceptance transaction: both are committed or neither. Several
   * notifications accepted at the same moment share the statement (and its commit).
   */
  async insertAccepted(rows: AcceptedNotification[], tx?: Tx): Promise<void> {
    if (!rows.length) return;
    const params: unknown[] = [];
    const values = rows.map((row) => {
      const at = params.push(
        row.id,
        row.agencyId,
        row.templateVersionId,
        row.channel,
        row.priority,
        row.lang,
        row.recipientCipher,
        row.recipientHash,
        row.contentCipher,
        row.reference,
        row.replacesPaperLetter,
        row.segments,
        row.actorType,
        row.actorId,
        row.acceptedAt,
      );
      const p = (k: number) => `$${at - 15 + k}`;
      return `(${[1, 2, 3, 4, 5, 6].map(p).join(', ')}, 'accepted', ${[7, 8, 9, 10, 11, 12, 13, 14, 15, 15, 15].map(p).join(', ')})`;
    });
    const run = (sql: string, params: unknown[]) =>
      tx ? tx.manager.query(sql, params) : this.q(sql, params);
    await run(
      `INSERT INTO notification (id, agency_id, template_version_id, channel, priority, lang, status,
         recipient_cipher, recipient_hash, content_cipher, reference, replaces_paper_letter, segments,
         actor_type, actor_id, accepted_at, dispatch_due_at, updated_at)
       VALUES ${values.join(', ')}
       ON CONFLICT (id) DO NOTHING`, // a caller-chosen id sent again (bulk row, idempotent retry)
      params,
    );
  }

  /**
   * The pooled acceptance path: many notifications, each with its outbox mark, in one
   * statement and one commit. An id already taken (a caller-chosen id sent twice at once)
   * is skipped rather than failing its neighbours; returns the ids inserted.
   */
  async insertAcceptedMany(rows: AcceptedNotification[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const column = <K extends keyof AcceptedNotification>(k: K) => rows.map((r) => r[k]);
    const inserted = resultRows(
      await this.q<unknown>(
        `INSERT INTO notification (id, agency_id, template_version_id, channel, priority, lang, status,
           recipient_cipher, recipient_hash, content_cipher, reference, replaces_paper_letter, segments,
           actor_type, actor_id, accepted_at, dispatch_due_at, updated_at)
         SELECT id, agency_id, template_version_id, channel, priority, lang, 'accepted',
           recipient_cipher, recipient_hash, content_cipher, reference, replaces_paper_letter, segments,
           actor_type, actor_id, accepted_at, accepted_at, accepted_at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::text[], $11::boolean[], $12::int[], $13::text[],
                     $14::text[], $15::timestamptz[])
           AS x(id, agency_id, template_version_id, channel, priority, lang, recipient_cipher,
                recipient_hash, content_cipher, reference, replaces_paper_letter, segments,
                actor_type, actor_id, accepted_at)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [
          column('id'),
          column('agencyId'),
          column('templateVersionId'),
          column('channel'),
          column('priority'),
          column('lang'),
          column('recipientCipher'),
          column('recipientHash'),
          column('contentCipher'),
          column('reference'),
          column('replacesPaperLetter'),
          column('segments'),
          column('actorType'),
          column('actorId'),
          column('acceptedAt'),
        ],
      ),
    );
    return new Set(inserted.map((r) => String(r.id)));
  }

  findById(id: string): Promise<Notification | null> {
    return this.dataSource.manager.findOneBy(Notification, { id });
  }

  /**
   * accepted → queued once the job is in the queue (many at once). What a worker already
   * claimed (or finished) is left alone: it is past `queued`, and the sweeper never looks at it.
   */
  async markEnqueued(ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await this.q(BATCH_STATEMENTS.markEnqueued, [ids, at]);
  }

  /**
   * Takes the notification for one attempt: only when it is still due and in a status that
   * may be sent. Two workers or a replayed job: the second finds nothing. The outbox mark goes
   * with the claim (the row version then takes no entry in the outbox index): from here a
   * worker that stops is found by the stalled-send sweep, and a retry sets the mark again.
   */
  async claim(ids: string[], now: Date): Promise<ClaimedNotification[]> {
    const rows = resultRows(await this.q<unknown>(BATCH_STATEMENTS.claim, [ids, now]));
    return rows.map((row) => ({
      id: String(row.id),
      agencyId: (row.agency_id as string | null) ?? null,
      templateVersionId: (row.template_version_id as string | null) ?? null,
      channel: row.channel as NotificationChannel,
      priority: row.priority as NotificationPriority,
      lang: row.lang as 'ar' | 'en',
      recipientCipher: (row.recipient_cipher as string | null) ?? null,
      contentCipher: (row.content_cipher as string | null) ?? null,
      attempt: Number(row.attempts),
    }));
  }

  /**
   * Many `recordSubmitted` in one statement and one commit: appends each attempt and moves
   * each notification sending → sent if that attempt still holds the claim. Returns, per
   * input, whether the status moved.
   */
  async recordSubmittedMany(
    items: Array<{ id: string; attempt: AttemptRecord; segments: number | null }>,
    at: Date,
  ): Promise<boolean[]> {
    const input = items.map((i) => ({
      id: i.id,
      attempt_no: i.attempt.attemptNo,
      provider: i.attempt.provider,
      smsc_id: i.attempt.smscId ?? null,
      message_ids: i.attempt.providerMessageIds ?? [],
      raw: i.attempt.rawReceipt ?? null,
      segments: i.segments,
    }));
    const rows = resultRows(
      await this.q<unknown>(BATCH_STATEMENTS.recordSubmitted, [JSON.stringify(input), at]),
    );
    const moved = new Set(rows.map((r) => String(r.id)));
    return items.map((i) => moved.has(i.id));
  }

  /**
   * The provider took it: one statement appends the attempt and moves sending → sent (only
   * if this attempt still holds the claim), so there is no moment with one and not the other.
   */
  async recordSubmitted(
    id: string,
    attempt: AttemptRecord,
    at: Date,
    segments: number | null,
  ): Promise<boolean> {
    const rows = await this.q<unknown>(
      `WITH a AS (${INSERT_ATTEMPT}),
       u AS (UPDATE notification SET status = 'sent', sent_at = $10, provider_message_ids = $6,
               provider = COALESCE($4, $3), segments = COALESCE($11::int, segments), dispatch_due_at = NULL,
               last_error = NULL, updated_at = $10
             WHERE id = $1 AND status IN (${list(PREDECESSORS.sent)}) AND attempts = $2 RETURNING id)
       SELECT count(*)::int AS moved FROM u`,
      [...attemptParams(id, attempt, at), segments],
    );
    return firstRow(rows)?.moved === 1;
  }

  /** A temporary failure: retry at `retryAt`, or give up (technical_failure) when null. */
  async recordTemporaryFailure(
    id: string,
    attempt: AttemptRecord,
    at: Date,
    retryAt: Date | null,
  ): Promise<boolean> {
    const to: NotificationStatus = retryAt ? 'temporary_failure' : 'technical_failure';
    const rows = await this.q<unknown>(
      `WITH a AS (${INSERT_ATTEMPT}),
       u AS (UPDATE notification SET status = '${to}', dispatch_due_at = $11::timestamptz, last_error = $8,
               completed_at = ${retryAt ? 'NULL' : '$10'}, updated_at = $10
             WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id)
       SELECT count(*)::int AS moved FROM u`,
      [...attemptParams(id, attempt, at), retryAt],
    );
    return firstRow(rows)?.moved === 1;
  }

  /** Refused for good (or failed unexpectedly): permanent_failure / technical_failure. */
  async recordFinalFailure(
    id: string,
    attempt: AttemptRecord,
    at: Date,
    to: 'permanent_failure' | 'technical_failure',
  ): Promise<boolean> {
    const rows = await this.q<unknown>(
      `WITH a AS (${INSERT_ATTEMPT}),
       u AS (UPDATE notification SET status = '${to}', dispatch_due_at = NULL, last_error = $8,
               completed_at = $10, updated_at = $10
             WHERE id = $1 AND status IN (${list(PREDECESSORS[to])}) AND attempts = $2 RETURNING id)
       SELECT count(*)::int AS moved FROM u`,
      attemptParams(id, attempt, at),
    );
    return firstRow(rows)?.moved === 1;
  }

  /**
   * Which notification an SMSC message id belongs to (`<smscId>:<messageId>`). The second
   * condition is the GIN index's predicate (only rows with message ids are in it). No LIMIT:
   * with one, PostgreSQL expects many matches and scans the table for the first (150 ms on
   * 520,000 rows, against 0.04 ms through the index); there is one match.
   */
  async findByProviderMessageId(
    key: string,
  ): Promise<{ id: string; status: NotificationStatus; attempts: number } | null> {
    const rows = await this.q<Array<{ id: string; status: NotificationStatus; attempts: number }>>(
      `SELECT id, status, attempts FROM notification
       WHERE provider_message_ids @> ARRAY[$1]::text[] AND cardinality(provider_message_ids) > 0`,
      [key],
    );
    return rows[0] ?? null;
  }

  /**
   * Appends the receipt (a duplicate receipt is ignored) and applies it: `delivered` once
   * every part has a DELIVRD receipt; failures at once.
   */
  async applyReceipt(
    id: string,
    attempt: AttemptRecord,
    at: Date,
    to: NotificationStatus | undefined,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `${INSERT_ATTEMPT} ON CONFLICT DO NOTHING`,
        attemptParams(id, attempt, at),
      );
      if (to === 'delivered') {
        await manager.query(
          `UPDATE notification n SET status = 'delivered', completed_at = $2, updated_at = $2
           WHERE id = $1 AND status IN (${list(PREDECESSORS.delivered)})
             AND (SELECT count(DISTINCT a.provider_message_ids[1]) FROM notification_attempt a
                  WHERE a.notification_id = n.id AND a.outcome = 'receipt' AND a.receipt_stat = 'DELIVRD')
                 >= cardinality(n.provider_message_ids)`,
          [id, at],
        );
      } else if (to) {
        await manager.query(
          `UPDATE notification SET status = $3::varchar, last_error = $4, updated_at = $2,
             completed_at = CASE WHEN $3::varchar = 'permanent_failure' THEN $2 ELSE completed_at END
           WHERE id = $1 AND status = ANY($5::text[])`,
          [id, at, to, `receipt ${attempt.receiptStat ?? ''}`.trim(), PREDECESSORS[to]],
        );
      }
    });
  }

  async cancel(tx: Tx, id: string, at: Date): Promise<boolean> {
    const rows = await tx.manager.query<unknown>(
      `UPDATE notification SET status = 'cancelled', dispatch_due_at = NULL, completed_at = $2, updated_at = $2
       WHERE id = $1 AND status IN (${list(PREDECESSORS.cancelled)}) RETURNING id`,
      [id, at],
    );
    return firstRow(rows) !== undefined;
  }

  /** Outbox rows nobody has enqueued (or re-enqueued) for `staleBefore`: lost between commit and queue. */
  async findStaleDispatches(staleBefore: Date, limit: number): Promise<DispatchRow[]> {
    const rows = await this.q<
      Array<{
        id: string;
        channel: NotificationChannel;
        priority: NotificationPriority;
        enqueue_count: number;
      }>
    >(
      `SELECT id, channel, priority, enqueue_count FROM notification
       WHERE dispatch_due_at IS NOT NULL AND dispatch_due_at <= $1
         AND status IN ('accepted', 'queued', 'temporary_failure')
         AND (enqueued_at IS NULL OR enqueued_at <= $1)
       ORDER BY dispatch_due_at LIMIT $2`,
      [staleBefore, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      priority: r.priority,
      enqueueCount: Number(r.enqueue_count),
    }));
  }

  /** Sends whose worker went away mid-call (claimed before `claimedBefore` and never recorded). */
  async findStalledSends(
    claimedBefore: Date,
    limit: number,
  ): Promise<Array<{ id: string; attempts: number }>> {
    const rows = await this.q<Array<{ id: string; attempts: number }>>(
      `SELECT id, attempts FROM notification WHERE status = 'sending' AND claimed_at <= $1 ORDER BY claimed_at LIMIT $2`,
      [claimedBefore, limit],
    );
    return rows.map((r) => ({ id: r.id, attempts: Number(r.attempts) }));
  }

  /** The attempt rows of one attempt number (to tell "went out" from "unknown"). */
  async findAttempts(id: string): Promise<
    Array<{
      attemptNo: number;
      outcome: AttemptOutcome;
      smscId: string | null;
      providerMessageIds: string[];
    }>
  > {
    const rows = await this.q<
      Array<{
        attempt_no: number;
        outcome: AttemptOutcome;
        smsc_id: string | null;
        provider_message_ids: string[];
      }>
    >(
      `SELECT attempt_no, outcome, smsc_id, provider_message_ids FROM notification_attempt WHERE notification_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => ({
      attemptNo: r.attempt_no,
      outcome: r.outcome,
      smscId: r.smsc_id,
      providerMessageIds: r.provider_message_ids,
    }));
  }

  /** Wipes recipients and content of notifications accepted before `before` that need no more sending. */
  async redactOlderThan(before: Date, at: Date, limit: number): Promise<number> {
    const rows = await this.q<unknown>(
      `UPDATE notification SET recipient_cipher = NULL, recipient_hash = NULL, content_cipher = NULL, redacted_at = $2
       WHERE id IN (SELECT id FROM notification WHERE redacted_at IS NULL AND accepted_at < $1
                      AND dispatch_due_at IS NULL AND status <> 'sending' LIMIT $3)
       RETURNING id`,
      [before, at, limit],
    );
    return rowCount(rows);
  }
}

const INSERT_ATTEMPT = `INSERT INTO notification_attempt
  (notification_id, attempt_no, provider, smsc_id, outcome, provider_message_ids, receipt_stat, error, raw_receipt, at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

function attemptParams(id: string, a: AttemptRecord, at: Date): unknown[] {
  return [
    id,
    a.attemptNo,
    a.provider,
    a.smscId ?? null,
    a.outcome,
    a.providerMessageIds ?? [],
    a.receiptStat ?? null,
    a.error?.slice(0, 2000) ?? null,
    a.rawReceipt ? JSON.stringify(a.rawReceipt) : null,
    at,
  ];
}

/** `query()` of an UPDATE … RETURNING gives `[rows, count]` with TypeORM's pg driver. */
function firstRow(result: unknown): Record<string, unknown> | undefined {
  const rows = resultRows(result);
  return rows[0];
}

function resultRows(result: unknown): Array<Record<string, unknown>> {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as Array<Record<string, unknown>>;
  return (Array.isArray(result) ? result : []) as Array<Record<string, unknown>>;
}

function rowCount(result: unknown): number {
  return resultRows(result).length;
}

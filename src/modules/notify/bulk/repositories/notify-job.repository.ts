import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../../platform/database/transaction-runner.js';
import { NotifyJob, type JobStatus } from '../entities/notify-job.entity.js';
import type { JobRowStatus } from '../entities/notify-job-row.entity.js';

export interface StoredRow {
  rowNo: number;
  rowHash: string;
  contentCipher: string;
}

export interface ClaimedRow {
  rowNo: number;
  contentCipher: string | null;
}

export interface RowOutcome {
  rowNo: number;
  status: Extract<JobRowStatus, 'sent' | 'failed'>;
  notificationId: string | null;
  error: string | null;
}

/** Rows per INSERT: 5 parameters per row stays far below PostgreSQL's 65,535 limit. */
const INSERT_CHUNK = 5000;

@Injectable()
export class NotifyJobRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertJob(tx: Tx, job: NotifyJob): Promise<void> {
    await tx.manager.insert(NotifyJob, job);
  }

  /** Multi-row inserts from arrays (`unnest`): one statement per 5,000 rows. */
  async insertRows(tx: Tx, jobId: string, rows: StoredRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await tx.manager.query(
        `INSERT INTO notify_job_row (job_id, row_no, row_hash, content_cipher, status)
         SELECT $1, r.row_no, r.row_hash, r.content_cipher, 'pending'
           FROM unnest($2::int[], $3::text[], $4::text[]) AS r(row_no, row_hash, content_cipher)`,
        [
          jobId,
          chunk.map((r) => r.rowNo),
          chunk.map((r) => r.rowHash),
          chunk.map((r) => r.contentCipher),
        ],
      );
    }
  }

  findById(id: string, tx?: Tx): Promise<NotifyJob | null> {
    return managerOf(this.dataSource, tx).findOneBy(NotifyJob, { id });
  }

  /** Newest first; `agencyId` null lists every agency's jobs. */
  async list(agencyId: string | null, limit: number, before?: Date): Promise<NotifyJob[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(NotifyJob, 'j')
      .orderBy('j.created_at', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .limit(limit);
    if (agencyId) qb.andWhere('j.agency_id = :agencyId', { agencyId });
    if (before) qb.andWhere('j.created_at < :before', { before });
    return qb.getMany();
  }

  /** Rows per status, for each of the given jobs. */
  async countRowsByStatus(jobIds: string[]): Promise<Map<string, Record<JobRowStatus, number>>> {
    const rows = jobIds.length
      ? await this.dataSource.query<{ jobId: string; status: JobRowStatus; n: string }[]>(
          `SELECT job_id AS "jobId", status, count(*) AS n FROM notify_job_row WHERE job_id = ANY($1::uuid[]) GROUP BY job_id, status`,
          [jobIds],
        )
      : [];
    const out = new Map<string, Record<JobRowStatus, number>>();
    for (const id of jobIds)
      out.set(id, { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 });
    for (const r of rows) out.get(r.jobId)![r.status] = Number(r.n);
    return out;
  }

  /** The notifications the rows of a job became (for delivery counts through the core). */
  async notificationIdsOf(jobId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT notification_id AS id FROM notify_job_row WHERE job_id = $1 AND notification_id IS NOT NULL`,
      [jobId],
    );
    return rows.map((r) => r.id);
  }

  /** A scheduled or pending job starts: only once, and only if not cancelled meanwhile. */
  async markStarted(jobId: string, now: Date): Promise<boolean> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `UPDATE notify_job SET status = 'in_progress', started_at = $2 WHERE id = $1 AND status IN ('scheduled', 'pending')`,
      [jobId, now],
    );
    return n > 0;
  }

  /**
   * Takes up to `limit` pending rows of a running job for sending (`FOR UPDATE SKIP LOCKED`:
   * two workers never take the same row, and a replayed chunk finds nothing already taken).
   */
  async claimRows(jobId: string, limit: number, now: Date): Promise<ClaimedRow[]> {
    // TypeORM answers an UPDATE (here the outer statement) with [rows, rowCount].
    const [rows] = await this.dataSource.query<[ClaimedRow[], number]>(
      `WITH running AS (
         UPDATE notify_job SET last_chunk_at = $3 WHERE id = $1 AND status = 'in_progress' RETURNING id
       ), picked AS (
         SELECT row_no FROM notify_job_row
          WHERE job_id = $1 AND status = 'pending' AND EXISTS (SELECT 1 FROM running)
          ORDER BY row_no LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE notify_job_row r SET status = 'sending', claimed_at = $3
         FROM picked WHERE r.job_id = $1 AND r.row_no = picked.row_no AND r.status = 'pending'
       RETURNING r.row_no AS "rowNo", r.content_cipher AS "contentCipher"`,
      [jobId, limit, now],
    );
    return rows;
  }

  /** Records what became of claimed rows, in one statement; only rows still `sending` move. */
  async recordOutcomes(jobId: string, outcomes: RowOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.dataSource.query(
      `UPDATE notify_job_row r SET status = o.status, notification_id = o.notification_id, error = o.error, claimed_at = NULL, content_cipher = NULL
         FROM unnest($2::int[], $3::text[], $4::uuid[], $5::text[]) AS o(row_no, status, notification_id, error)
        WHERE r.job_id = $1 AND r.row_no = o.row_no AND r.status = 'sending'`,
      [
        jobId,
        outcomes.map((o) => o.rowNo),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.notificationId),
        outcomes.map((o) => o.error?.slice(0, 300) ?? null),
      ],
    );
  }

  /** Claimed rows given back (the send path failed before answering; it is idempotent per row). */
  async releaseClaims(jobId: string, rowNos: number[]): Promise<void> {
    if (!rowNos.length) return;
    await this.dataSource.query(
      `UPDATE notify_job_row SET status = 'pending', claimed_at = NULL WHERE job_id = $1 AND row_no = ANY($2::int[]) AND status = 'sending'`,
      [jobId, rowNos],
    );
  }

  /** A running job with no row left to send (none pending, none being sent) is finished. */
  async finishIfDone(jobId: string, now: Date): Promise<boolean> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `UPDATE notify_job SET status = 'finished', finished_at = $2
        WHERE id = $1 AND status = 'in_progress'
          AND NOT EXISTS (SELECT 1 FROM notify_job_row WHERE job_id = $1 AND status IN ('pending', 'sending'))`,
      [jobId, now],
    );
    return n > 0;
  }

  /** Cancels a job that has not finished, and every row not yet claimed. */
  async cancel(tx: Tx, jobId: string, now: Date): Promise<number | null> {
    const [, jobs] = await tx.manager.query<[unknown, number]>(
      `UPDATE notify_job SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 AND status IN ('scheduled', 'pending', 'in_progress')`,
      [jobId, now],
    );
    if (!jobs) return null;
    const [, rows] = await tx.manager.query<[unknown, number]>(
      `UPDATE notify_job_row SET status = 'cancelled', content_cipher = NULL WHERE job_id = $1 AND status = 'pending'`,
      [jobId],
    );
    return rows;
  }

  /**
   * Jobs a worker should be running: due and not started, or running but silent since
   * `silentSince`. The sweeper hands them to the queue again (a delayed job lost with an
   * in-process queue, a restart between chunks).
   */
  async findDue(
    now: Date,
    silentSince: Date,
    limit: number,
  ): Promise<{ id: string; status: JobStatus }[]> {
    return this.dataSource.query(
      `SELECT id, status FROM notify_job
        WHERE (status IN ('scheduled', 'pending') AND (scheduled_for IS NULL OR scheduled_for <= $1))
           OR (status = 'in_progress' AND (last_chunk_at IS NULL OR last_chunk_at < $2))
        ORDER BY created_at LIMIT $3`,
      [now, silentSince, limit],
    );
  }

  /**
   * Rows whose worker died between claim and record (claimed before `staleBefore`). With a
   * send path idempotent per (job, row) they go back to `pending` (sending again returns
   * the first notification); otherwise they fail as "outcome unknown", never sent blindly twice.
   */
  async resolveStaleClaims(staleBefore: Date, resend: boolean): Promise<number> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      resend
        ? `UPDATE notify_job_row SET status = 'pending', claimed_at = NULL WHERE status = 'sending' AND claimed_at < $1`
        : `UPDATE notify_job_row SET status = 'failed', claimed_at = NULL, content_cipher = NULL, error = 'outcome unknown: the worker stopped while sending' WHERE status = 'sending' AND claimed_at < $1`,
      [staleBefore],
    );
    return n;
  }
}

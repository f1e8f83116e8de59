import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import type { AuditEventColumns } from '../../../platform/audit/audit.repository.js';
import { ExportJob } from '../entities/export-job.entity.js';

export interface AuditEventRow extends AuditEventColumns {
  seq: string;
  prev_hash: string;
  hash: string;
}

export interface AuditRange {
  /** Events up to this seq (the head when the export started), so the export is a snapshot. */
  maxSeq: string;
  /** Bahrain days, inclusive. */
  from?: string;
  to?: string;
  /** `registry.` for registry changes. */
  actionPrefix?: string;
}

const AUDIT_WHERE = `seq <= $1::bigint
   AND ($2::date IS NULL OR occurred_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Bahrain'))
   AND ($3::date IS NULL OR occurred_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Bahrain'))
   AND ($4::text IS NULL OR action LIKE $4 || '%')`;

/**
 * Export jobs, and the read-only queries exports run. The audit log is the platform's table;
 * it is read here in seq order by keyset pages (AuditService has no streaming read yet).
 */
@Injectable()
export class ExportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<ExportJob | null> {
    return managerOf(this.dataSource, tx).findOneBy(ExportJob, { id });
  }

  /** The newest jobs first, for the back office's export page. */
  findRecent(limit: number): Promise<ExportJob[]> {
    return this.dataSource.manager.find(ExportJob, { order: { createdAt: 'DESC' }, take: limit });
  }

  async insert(tx: Tx, job: Partial<ExportJob>): Promise<ExportJob> {
    return tx.manager.save(ExportJob, tx.manager.create(ExportJob, job));
  }

  save(tx: Tx, job: ExportJob): Promise<ExportJob> {
    return tx.manager.save(ExportJob, job);
  }

  async updateProgress(id: string, rowsWritten: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE export_job SET rows_written = $2, updated_at = now() WHERE id = $1`,
      [id, rowsWritten],
    );
  }

  /** Moves a queued job to running; false when another worker has it or it is done. */
  async claim(id: string, now: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ExportJob)
      .set({ status: 'running', startedAt: now })
      .where('id = :id AND status = :queued', { id, queued: 'queued' })
      .execute();
    return result.affected === 1;
  }

  async *auditPages(range: AuditRange, pageSize = 5000): AsyncGenerator<AuditEventRow[]> {
    let after = '0';
    for (;;) {
      const page = await this.dataSource.query<AuditEventRow[]>(
        `SELECT seq::text AS seq, occurred_at, actor_type, actor_id, actor_label, action, object_type,
                object_id, outcome, ip, correlation_id, details, prev_hash, hash
           FROM audit_event
          WHERE ${AUDIT_WHERE} AND seq > $5::bigint
          ORDER BY audit_event.seq ASC LIMIT ${pageSize}`,
        [range.maxSeq, range.from ?? null, range.to ?? null, range.actionPrefix ?? null, after],
      );
      if (!page.length) return;
      yield page;
      after = page[page.length - 1].seq;
      if (page.length < pageSize) return;
    }
  }

  /** The rollup the export must add up to: events per outcome and per area, by SQL. */
  async auditRollup(
    range: AuditRange,
  ): Promise<{ outcome: string; area: string; count: string }[]> {
    return this.dataSource.query(
      `SELECT outcome, split_part(action, '.', 1) AS area, count(*)::text AS count
         FROM audit_event WHERE ${AUDIT_WHERE}
        GROUP BY 1, 2`,
      [range.maxSeq, range.from ?? null, range.to ?? null, range.actionPrefix ?? null],
    );
  }

  async kpiValueRollup(period: string | null): Promise<{ status: string; count: string }[]> {
    return this.dataSource.query(
      `SELECT status, count(*)::text AS count FROM kpi_value
        WHERE ($1::text IS NULL OR period = $1) GROUP BY status`,
      [period],
    );
  }
}

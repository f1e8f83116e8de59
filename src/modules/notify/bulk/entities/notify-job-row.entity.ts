import { BaseEntity, Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const JOB_ROW_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type JobRowStatus = (typeof JOB_ROW_STATUSES)[number];

/**
 * One row of a bulk job. The recipient and personalisation are one encrypted JSON value
 * (FieldCipher, AAD bound to job and row); `rowHash` (HMAC of recipient + personalisation)
 * makes rows unique per job without storing them in clear. A row is sent at most once: it
 * is claimed (`pending` → `sending`) by a conditional UPDATE, then marked `sent` with the
 * notification it became.
 */
@Entity('notify_job_row')
@Index('uq_notify_job_row_hash', ['jobId', 'rowHash'], { unique: true })
@Index('ix_notify_job_row_status', ['jobId', 'status'])
@Check(
  'chk_notify_job_row_status',
  `"status" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')`,
)
export class NotifyJobRow extends BaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  jobId: string;

  /** 1-based: the first data row of the file or the first element of `rows`. */
  @PrimaryColumn({ type: 'int' })
  rowNo: number;

  @Column({ type: 'char', length: 64 })
  rowHash: string;

  @Column({ type: 'text', nullable: true })
  contentCipher: string | null;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status: JobRowStatus;

  @Column({ type: 'uuid', nullable: true })
  notificationId: string | null;

  /** Why the core refused the row at send time (e.g. opted out); never contact data. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;
}

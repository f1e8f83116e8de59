import { BaseEntity, Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const JOB_STATUSES = [
  'scheduled',
  'pending',
  'in_progress',
  'finished',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A bulk send: one template to up to 100,000 recipients, from JSON rows or an uploaded CSV.
 * Every row is validated before the job exists; the rows themselves are `notify_job_row`.
 */
@Entity('notify_job')
@Index('ix_notify_job_agency_created', ['agencyId', 'createdAt'])
@Index('ix_notify_job_due', ['status', 'scheduledFor'])
@Check(
  'chk_notify_job_status',
  `"status" IN ('scheduled', 'pending', 'in_progress', 'finished', 'cancelled')`,
)
export class NotifyJob extends BaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'uuid' })
  templateId: string;

  @Column({ type: 'varchar', length: 8 })
  channel: 'sms' | 'email';

  /** Language of every row, unless an eKey account's own preference applies. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  lang: 'ar' | 'en' | null;

  @Column({ type: 'varchar', length: 16 })
  status: JobStatus;

  @Column({ type: 'int' })
  rowCount: number;

  /** The uploaded file's name (CSV jobs), for people to recognise the job. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  originalFileName: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  @Column({ type: 'boolean', default: false })
  critical: boolean;

  @Column({ type: 'boolean', default: false })
  replacesPaperLetter: boolean;

  /** `test`, `team` or `live`: the kind of key that created the job. */
  @Column({ type: 'varchar', length: 8, default: 'live' })
  keyType: string;

  @Column({ type: 'varchar', length: 16 })
  createdByType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  createdById: string | null;

  /** Start no earlier than this minute; null means at once. */
  @Column({ type: 'timestamptz', nullable: true })
  scheduledFor: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  /** When a worker last took a chunk of rows; the sweeper restarts a job silent for long. */
  @Column({ type: 'timestamptz', nullable: true })
  lastChunkAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}

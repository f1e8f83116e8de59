import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const EXPORT_KINDS = [
  'audit_log',
  'registry_changes',
  'kpi_values',
  'payment_transactions',
  'payment_statistics',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** An auditor's export: a job with progress, then a file and its signed manifest. */
@Entity('export_job')
export class ExportJob extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: ExportKind;

  @Column({ type: 'varchar', length: 8 })
  format: ExportFormat;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  filters: Record<string, string>;

  @Index('ix_export_job_status')
  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status: ExportStatus;

  @Column({ type: 'varchar', length: 16 })
  requestedByType: string;

  @Column({ type: 'varchar', length: 64 })
  requestedById: string;

  @Column({ type: 'varchar', length: 254 })
  requestedByLabel: string;

  @Column({ type: 'bigint', default: 0 })
  rowsWritten: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  fileName: string | null;

  @Column({ type: 'bigint', nullable: true })
  fileBytes: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  /** The signed manifest, exactly as delivered. */
  @Column({ type: 'jsonb', nullable: true })
  manifest: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

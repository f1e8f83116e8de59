import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export const KPI_VALUE_STATUSES = ['provisional', 'approved'] as const;
export type KpiValueStatus = (typeof KPI_VALUE_STATUSES)[number];

/**
 * A KPI's value for one period (`2017`), kept exact: count and fils KPIs in `numerator`,
 * percent KPIs as numerator / denominator (rounded only when shown). Provisional until an
 * approver other than the one who entered or computed it approves it.
 */
@Entity('kpi_value')
@Index('uq_kpi_value_kpi_period', ['kpiId', 'period'], { unique: true })
export class KpiValue extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  kpiId: string;

  @Column({ type: 'varchar', length: 10 })
  period: string;

  @Column({ type: 'bigint' })
  numerator: string;

  @Column({ type: 'bigint', nullable: true })
  denominator: string | null;

  /** Share of the period's data the source covered, in percent (0 = source unavailable). */
  @Column({ type: 'smallint', default: 100 })
  coveragePercent: number;

  @Column({ type: 'int', default: 1 })
  formulaVersion: number;

  @Column({ type: 'timestamptz' })
  computedAt: Date;

  @Column({ type: 'varchar', length: 12, default: 'provisional' })
  status: KpiValueStatus;

  /** Staff id of whoever entered or computed it. */
  @Column({ type: 'varchar', length: 64 })
  recordedBy: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** For entered KPIs: where the evidence is (document reference, URL). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  evidenceRef: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  /** Figures behind a share (electronic and total counts and fils), digits as strings. */
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, string> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

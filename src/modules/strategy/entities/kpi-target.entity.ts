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

/**
 * A KPI's yearly target and baseline, in the KPI's unit: a count, fils, or for percent KPIs
 * basis points (3500 = 35.00 %), so every comparison stays in integers.
 */
@Entity('kpi_target')
@Index('uq_kpi_target_kpi_year', ['kpiId', 'year'], { unique: true })
export class KpiTarget extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  kpiId: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'bigint' })
  target: string;

  @Column({ type: 'bigint', nullable: true })
  baseline: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

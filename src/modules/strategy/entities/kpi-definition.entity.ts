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

export const KPI_UNITS = ['count', 'percent', 'fils'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];
export const KPI_DIRECTIONS = ['higher', 'lower'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

/**
 * Where a KPI's value comes from: computed from a module's exported service, or entered by
 * the strategy office with evidence.
 */
export const KPI_SOURCES = [
  'computed:ekey.registrations',
  'computed:registry.online_services_added',
  'computed:payments.electronic_share_count',
  'computed:payments.electronic_share_value',
  'computed:notifications.paper_letters_replaced',
  'computed:strategy.goals_achieved',
  'entered',
] as const;
export type KpiSource = (typeof KPI_SOURCES)[number];

/** A key performance indicator of the strategy. */
@Entity('kpi_definition')
export class KpiDefinition extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_kpi_definition_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  nameAr: string;

  @Column({ type: 'varchar', length: 300 })
  nameEn: string;

  @Column({ type: 'varchar', length: 10 })
  unit: KpiUnit;

  @Column({ type: 'varchar', length: 10, default: 'higher' })
  direction: KpiDirection;

  @Column({ type: 'varchar', length: 60 })
  source: KpiSource;

  /** Bumped when the formula or meaning changes; values keep the version they were made with. */
  @Column({ type: 'int', default: 1 })
  formulaVersion: number;

  @Index('ix_kpi_definition_goal')
  @Column({ type: 'uuid' })
  goalId: string;

  /** Order within its goal. */
  @Column({ type: 'int', default: 1 })
  position: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

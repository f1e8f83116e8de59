import {
  BaseEntity,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { ServiceYearFigures } from '../ports/service-figures.port.js';
import { Service } from './service.entity.js';

/** The public JSON of one year of a service's figures (`figures` on its page). */
export type PublicYearFigures = Omit<ServiceYearFigures, 'serviceCode'>;

/**
 * One year of a service's payment figures (issue #8), copied from payments through the
 * ServiceFiguresSource port by a scheduled refresh, so the public service page reads them in
 * the same query as the edition. `refreshedAt` moves only when the figures change, so it can
 * take part in the page's ETag.
 */
@Entity('service_payment_figures')
@Index('uq_service_payment_figures_year', ['serviceId', 'year'], { unique: true })
@Index('ix_service_payment_figures_agency_share', ['agencyId', 'shareByCount'])
export class ServicePaymentFigures extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  serviceId: string;

  /** Calendar year, Asia/Bahrain. */
  @Column({ type: 'integer' })
  year: number;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Relation<Service>;

  /** The service's agency, for the back office's own-agency filter. */
  @Column({ type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 32 })
  serviceCode: string;

  /** Succeeded payments in the year, all channels. */
  @Column({ type: 'bigint' })
  paymentsCount: string;

  /** Their value in fils. */
  @Column({ type: 'bigint' })
  grossFils: string;

  /** Electronic share of net count, 0–1. */
  @Column({ type: 'float8' })
  shareByCount: number;

  /** Electronic share of net value, 0–1. */
  @Column({ type: 'float8' })
  shareByValue: number;

  /** What the public page shows for this year. */
  @Column({ type: 'jsonb' })
  figures: PublicYearFigures;

  @Column({ type: 'timestamptz' })
  refreshedAt: Date;
}

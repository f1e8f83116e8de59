import {
  BaseEntity,
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Agency } from '../../../platform/agencies/agency.entity.js';

/**
 * A government service: a stable public code (`NPRA-0001`) and its agency. What citizens
 * read lives in its editions (ServiceEdition); the service only ties them together.
 */
@Entity('service')
@Check('ck_service_code', `"code" ~ '^[A-Z][A-Z0-9]{1,15}-[0-9]{3,6}$'`)
export class Service extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `<agency code>-<number>`, never reused. */
  @Index('uq_service_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Index('ix_service_agency')
  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<Agency>;

  /** Relative demand (views, applications); ranks search results after relevance. */
  @Column({ type: 'integer', default: 0 })
  popularity: number;

  /** When the first edition went public; never changes afterwards. */
  @Column({ type: 'timestamptz', nullable: true })
  firstPublishedAt: Date | null;

  /** Set when the service is withdrawn (its published edition archived). */
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

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
import type { EditionContentDraft } from '../domain/edition-content.js';
import type { EditionStatus } from '../domain/edition-status.js';
import { Service } from './service.entity.js';

/**
 * One edition of a service's content. The content (jsonb) is edited only while the edition
 * is a draft; once submitted it never changes. The extracted columns feed search and the
 * public filters; the generated tsvector columns, the partial unique indexes (one working
 * draft, one published edition per service) and the trigram index are in the migration.
 */
const SEARCH_AR =
  "setweight(to_tsvector('arabic', search_title_ar), 'A') || setweight(to_tsvector('arabic', search_body_ar), 'B') || setweight(to_tsvector('arabic', search_extra_ar), 'C')";
const SEARCH_EN =
  "setweight(to_tsvector('english', title_en), 'A') || setweight(to_tsvector('english', description_en), 'B') || setweight(to_tsvector('english', search_extra_en), 'C')";

const GENERATED_TSVECTOR = {
  type: 'tsvector',
  select: false,
  insert: false,
  update: false,
  generatedType: 'STORED',
} as const;

@Entity('service_edition')
@Check(
  'ck_service_edition_status',
  `"status" IN ('draft', 'in_review', 'amends_needed', 'published', 'superseded', 'archived')`,
)
@Index('uq_service_edition_number', ['serviceId', 'editionNumber'], { unique: true })
@Index('ix_service_edition_status', ['status'])
// Hand-written in the migration (TypeORM cannot express them); declared so it leaves them alone.
@Index('uq_service_edition_working', { synchronize: false })
@Index('uq_service_edition_published', { synchronize: false })
@Index('ix_service_edition_title_trgm', { synchronize: false })
@Index('ix_service_edition_due', { synchronize: false })
export class ServiceEdition extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  serviceId: string;

  @ManyToOne(() => Service, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id' })
  service?: Relation<Service>;

  /** The service's agency, copied so back-office lists can be filtered to one agency. */
  @Index('ix_service_edition_agency')
  @Column({ type: 'uuid' })
  agencyId: string;

  /** 1, 2, 3 … within the service; `?version=n` on the public API. */
  @Column({ type: 'integer' })
  editionNumber: number;

  @Column({ type: 'varchar', length: 16 })
  status: EditionStatus;

  @Column({ type: 'jsonb' })
  content: EditionContentDraft;

  @Column({ type: 'text', nullable: true })
  changeNote: string | null;

  // Extracted from the content when it is written, for search and filters.
  @Column({ type: 'text', default: '' })
  titleAr: string;

  @Column({ type: 'text', default: '' })
  titleEn: string;

  @Column({ type: 'text', default: '' })
  descriptionAr: string;

  @Column({ type: 'text', default: '' })
  descriptionEn: string;

  /** normalizeForSearch(title in both languages): trigram index for typos and autocomplete. */
  @Column({ type: 'text', default: '' })
  searchTitle: string;

  /** normalizeForSearch of the Arabic title, description and requirements/keywords. */
  @Column({ type: 'text', default: '' })
  searchTitleAr: string;

  @Column({ type: 'text', default: '' })
  searchBodyAr: string;

  @Column({ type: 'text', default: '' })
  searchExtraAr: string;

  @Column({ type: 'text', default: '' })
  searchExtraEn: string;

  /** Arabic full text, weighted title A > description B > requirements and keywords C. */
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: SEARCH_AR,
  })
  searchAr?: string;

  /** English full text, weighted the same way. */
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: SEARCH_EN,
  })
  searchEn?: string;

  // Title and description alone, each with its own GIN index: search reads title matches
  // (rank tier 3) and description matches (tier 2) straight from an index, and stops there
  // when they fill the page, instead of ranking every match of the whole text.
  @Column({ ...GENERATED_TSVECTOR, asExpression: "to_tsvector('arabic', search_title_ar)" })
  titleSearchAr?: string;

  @Column({ ...GENERATED_TSVECTOR, asExpression: "to_tsvector('arabic', search_body_ar)" })
  bodySearchAr?: string;

  @Column({ ...GENERATED_TSVECTOR, asExpression: "to_tsvector('english', title_en)" })
  titleSearchEn?: string;

  @Column({ ...GENERATED_TSVECTOR, asExpression: "to_tsvector('english', description_en)" })
  bodySearchEn?: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audience: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  channelTypes: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  lifeEvents: string[];

  @Column({ type: 'boolean', default: true })
  isFree: boolean;

  @Column({ type: 'boolean', default: false })
  onlineOnly: boolean;

  @Column({ type: 'boolean', default: false })
  hasOnlineChannel: boolean;

  @Column({ type: 'varchar', length: 16 })
  authorType: string;

  @Column({ type: 'varchar', length: 64 })
  authorId: string;

  @Column({ type: 'varchar', length: 200 })
  authorLabel: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  approverId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  approverLabel: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** Approved for publication at this time (scheduled publication). */
  @Column({ type: 'timestamptz', nullable: true })
  scheduledAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /** Why the approver sent it back (amends_needed). */
  @Column({ type: 'text', nullable: true })
  reviewNote: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Optimistic lock: clients send it back (If-Match / expectedVersion); a mismatch is 409. */
  @VersionColumn()
  version: number;
}

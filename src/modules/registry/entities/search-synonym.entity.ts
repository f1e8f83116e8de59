import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * A search synonym the registry team maintains: a query containing `term` also looks for
 * each of `alternatives` (`هوية` → `بطاقة ذكية`, `cpr` → `identity card`). Stored normalised.
 */
@Entity('search_synonym')
export class SearchSynonym extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_search_synonym_term', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  term: string;

  @Column({ type: 'text', array: true })
  alternatives: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

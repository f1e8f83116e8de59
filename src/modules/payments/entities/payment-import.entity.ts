import { BaseEntity, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The report of one CSV import, kept so an agency can see what a file did. */
@Entity('payment_import')
export class PaymentImport extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  actorType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  /** `merged` or `rejected` (all-or-nothing: a file with any invalid row merges nothing). */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ type: 'bigint' })
  rowCount: string;

  @Column({ type: 'bigint' })
  insertedCount: string;

  @Column({ type: 'bigint' })
  duplicateCount: string;

  @Column({ type: 'integer' })
  errorCount: number;

  /** The first errors (line, field, message), capped. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors: unknown[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

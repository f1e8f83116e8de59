import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * One `Idempotency-Key` of one API client: the hash of the first body sent with it and the
 * answer given, so a retry gets the same answer and a different body under the same key is
 * refused. The unique index is what makes 50 concurrent identical requests store one batch.
 */
@Entity('payment_ingest_request')
@Index('uq_payment_ingest_request_key', ['apiClientId', 'idempotencyKey'], { unique: true })
export class PaymentIngestRequest extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  apiClientId: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey: string;

  /** sha256 of the canonical JSON of the body. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'integer' })
  responseStatus: number;

  @Column({ type: 'jsonb' })
  responseBody: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

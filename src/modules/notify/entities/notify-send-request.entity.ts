import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * One `Idempotency-Key` of one API client on `POST /v1/notifications`: the hash of the first
 * body, the notification id chosen for it, and the answer once given. The unique index is
 * what makes 50 concurrent identical requests create one notification.
 */
@Entity('notify_send_request')
@Index('uq_notify_send_request_key', ['apiClientId', 'idempotencyKey'], { unique: true })
export class NotifySendRequest extends BaseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_notify_send_request' })
  id: string;

  @Column({ type: 'uuid' })
  apiClientId: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey: string;

  /** sha256 of the canonical JSON of the body. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** Chosen when the key is first seen, so a retry after a crash cannot send a second one. */
  @Column({ type: 'uuid' })
  notificationId: string;

  /** Null while the first request is still being answered. */
  @Column({ type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** While unanswered: after this, a retry may take the request over (its sender died). */
  @Column({ type: 'timestamptz' })
  claimedUntil: Date;
}

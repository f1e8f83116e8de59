import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export const CALLBACK_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/**
 * One delivery-status message owed to an e-service: an outbox row, written in the same
 * transaction as the status change, retried with back-off for a day, then kept for replay.
 */
@Entity('delivery_callback')
@Index('ix_delivery_callback_due', ['status', 'nextAttemptAt'])
@Index('uq_delivery_callback_notification_status', ['notificationId', 'notificationStatus'], {
  unique: true,
})
export class DeliveryCallback extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_delivery_callback_client')
  @Column({ type: 'uuid' })
  apiClientId: string;

  @Column({ type: 'uuid' })
  notificationId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /**
   * The notification status (Notify's name) this callback reports: one callback per status
   * reached, so deriving callbacks again never sends one twice. Null for other messages.
   */
  @Column({ type: 'varchar', length: 24, nullable: true })
  notificationStatus: string | null;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status: CallbackStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  /** While `sending`: after this, a crashed worker's claim may be taken over. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}

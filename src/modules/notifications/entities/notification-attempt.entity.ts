import { BaseEntity, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AttemptOutcome =
  | 'submitted'
  | 'temporary_failure'
  | 'permanent_failure'
  | 'technical_failure'
  | 'outcome_unknown'
  | 'receipt';

/**
 * Append-only history of a notification: each provider attempt and each receipt, with the
 * raw receipt. A trigger refuses UPDATE and DELETE (the retention job only clears the
 * notification's own ciphertext).
 */
@Entity('notification_attempt')
@Index('ix_notification_attempt_notification', ['notificationId', 'at'])
// Hand-written: one row per receipt (part, state), so an SMSC resending a receipt adds nothing.
@Index('uq_notification_attempt_receipt', { synchronize: false })
export class NotificationAttempt extends BaseEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  notificationId: string;

  @Column({ type: 'int' })
  attemptNo: number;

  /** `smpp`, `smtp`, or `sweeper`. */
  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  smscId: string | null;

  @Column({ type: 'varchar', length: 20 })
  outcome: AttemptOutcome;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  providerMessageIds: string[];

  /** Receipt state (`DELIVRD`…) for receipts. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  receiptStat: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'jsonb', nullable: true })
  rawReceipt: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

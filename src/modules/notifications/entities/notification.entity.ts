import { BaseEntity, Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  NotificationChannel,
  NotificationPriority,
  NotificationStatus,
} from '../domain/notification-status.js';

/**
 * One notice to one recipient. The recipient and the personalisation (or the body of a
 * direct message) are encrypted with FieldCipher; `recipientHash` finds them without
 * decrypting. `dispatchDueAt` is the outbox: set while the notification waits to be handed
 * to a provider, cleared when a worker claims it (a claim that never records its outcome is
 * found by `status = 'sending'` and `claimedAt`) or it is cancelled; a retry sets it again.
 */
@Entity('notification')
@Index('ix_notification_agency_accepted', ['agencyId', 'acceptedAt'])
@Index('ix_notification_recipient_hash', ['recipientHash'])
// Hand-written in the migrations (partial and GIN indexes): declared so the schema check keeps them.
@Index('ix_notification_status', { synchronize: false })
@Index('ix_notification_provider_message_ids', { synchronize: false })
@Index('ix_notification_dispatch_due', { synchronize: false })
@Index('ix_notification_sending_claimed', { synchronize: false })
@Index('ix_notification_api_client_updated', { synchronize: false })
@Check(
  'chk_notification_status',
  `"status" IN ('accepted', 'queued', 'sending', 'sent', 'delivered', 'temporary_failure', 'permanent_failure', 'technical_failure', 'cancelled')`,
)
@Check('chk_notification_channel', `"channel" IN ('sms', 'email')`)
@Check('chk_notification_priority', `"priority" IN ('otp', 'transactional', 'bulk')`)
@Check('chk_notification_lang', `"lang" IN ('ar', 'en')`)
export class Notification extends BaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  agencyId: string | null;

  /** Null for direct (system) messages rendered by the caller. */
  @Column({ type: 'uuid', nullable: true })
  templateVersionId: string | null;

  @Column({ type: 'varchar', length: 8 })
  channel: NotificationChannel;

  @Column({ type: 'varchar', length: 16 })
  priority: NotificationPriority;

  @Column({ type: 'varchar', length: 2 })
  lang: 'ar' | 'en';

  @Column({ type: 'varchar', length: 20 })
  status: NotificationStatus;

  @Column({ type: 'text', nullable: true })
  recipientCipher: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recipientHash: string | null;

  /** Template values, or `{subject, body}` of a direct message; encrypted JSON. */
  @Column({ type: 'text', nullable: true })
  contentCipher: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  @Column({ type: 'boolean', default: false })
  replacesPaperLetter: boolean;

  /** SMS parts (billing unit); null for email. */
  @Column({ type: 'int', nullable: true })
  segments: number | null;

  /** `<smscId>:<messageId>` per SMS part, or the email Message-ID. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  providerMessageIds: string[];

  @Column({ type: 'varchar', length: 40, nullable: true })
  provider: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 16 })
  actorType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz' })
  acceptedAt: Date;

  /** Outbox: when to hand it to a provider next; null when nothing is left to send. */
  @Column({ type: 'timestamptz', nullable: true })
  dispatchDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  enqueueCount: number;

  /** When the current attempt claimed it (status `sending`). */
  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Delivered or failed for good. */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Made with a Notify test key: recorded in its final status, never handed to a provider. */
  @Column({ type: 'boolean', default: false })
  simulated: boolean;

  /** Recipient and content wiped by the retention job. */
  @Column({ type: 'timestamptz', nullable: true })
  redactedAt: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

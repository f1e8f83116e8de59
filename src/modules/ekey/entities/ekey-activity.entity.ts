import { BaseEntity, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type EkeyActivityKind =
  | 'registered'
  | 'activated'
  | 'sign_in'
  | 'sign_in_failed'
  | 'new_device'
  | 'password_changed'
  | 'password_reset'
  | 'totp_enabled'
  | 'backup_codes_generated'
  | 'backup_code_used'
  | 'session_revoked'
  | 'level_advanced'
  | 'email_changed'
  | 'email_verified'
  | 'passkey_added'
  | 'passkey_removed';

/** What the account holder sees on their activity page (never codes or passwords). */
@Entity('ekey_activity')
@Index('ix_ekey_activity_account', ['accountId', 'occurredAt'])
export class EkeyActivity extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: EkeyActivityKind;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  userAgent: string | null;
}

import { BaseEntity, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type EkeySessionStage = 'second_factor' | 'active';

/**
 * A browser session. The cookie holds a random token; only its SHA-256 is stored, and a
 * new token (and row) is issued at sign-in and at step-up, so a token seen before sign-in
 * is worthless after it.
 */
@Entity('ekey_session')
@Index('uq_ekey_session_token', ['tokenHash'], { unique: true })
@Index('ix_ekey_session_account', ['accountId'])
export class EkeySession extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 16 })
  stage: EkeySessionStage;

  /** Authentication methods used (RFC 8176): `pwd`, `otp`, `sms`, `kba`. */
  @Column({ type: 'text', array: true, default: '{}' })
  amr: string[];

  /** Keyed hash of the device cookie; a new one triggers an alert. */
  @Column({ type: 'char', length: 64, nullable: true })
  deviceHash: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ type: 'timestamptz' })
  absoluteExpiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

import { BaseEntity, Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type EkeyChallengePurpose =
  | 'verify_mobile'
  | 'verify_email'
  | 'sign_in'
  | 'password_reset'
  /** WebAuthn challenges: `code_hash` is the SHA-256 of the challenge. */
  | 'passkey_register'
  | 'passkey_sign_in'
  /** A passkey answering for a password reset (its own purpose: it never replaces a sign-in's). */
  | 'passkey_password_reset';

/** A pending one-time code sent by SMS: stored as an HMAC bound to the challenge id. */
@Entity('ekey_challenge')
@Index('ix_ekey_challenge_account', ['accountId'])
@Check('ck_ekey_challenge_attempts', 'attempts BETWEEN 0 AND 5')
export class EkeyChallenge extends BaseEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 24 })
  purpose: EkeyChallengePurpose;

  @Column({ type: 'char', length: 64 })
  codeHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

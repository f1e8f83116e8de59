import {
  BaseEntity,
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type EkeyAccountStatus = 'pending' | 'active' | 'closed';
export type EkeyLevel = 'standard' | 'advanced';
export type EkeyResidency = 'citizen' | 'resident';
export type EkeyChannel = 'online' | 'service_centre' | 'kiosk';
export type EkeyLang = 'ar' | 'en';

/**
 * A person's eKey. The CPR, mobile and email are stored encrypted (AAD bound to the row),
 * with keyed hashes for look-ups. One ACTIVE account per CPR: a unique partial index on
 * `cpr_hash`, so two pending registrations of one CPR cannot both be activated.
 */
@Entity('ekey_account')
@Index('ix_ekey_account_cpr_hash', ['cprHash'])
@Index('uq_ekey_account_active_cpr', ['cprHash'], { unique: true, where: `status = 'active'` })
@Check('ck_ekey_account_status', `status IN ('pending', 'active', 'closed')`)
@Check('ck_ekey_account_level', `level IN ('standard', 'advanced')`)
@Check('ck_ekey_account_residency', `residency IN ('citizen', 'resident')`)
@Check('ck_ekey_account_channel', `channel IN ('online', 'service_centre', 'kiosk')`)
@Check(
  'ck_ekey_account_advanced_evidence',
  `level = 'standard' OR (level_evidence_ref IS NOT NULL AND level_verified_by IS NOT NULL)`,
)
@Index('ix_ekey_account_activated_at', ['activatedAt'])
export class EkeyAccount extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  cprHash: string;

  @Column({ type: 'text' })
  cprEncrypted: string;

  /** Last three digits, for screens and the back office (`******345`). */
  @Column({ type: 'varchar', length: 3 })
  cprLast3: string;

  @Column({ type: 'varchar', length: 200 })
  nameAr: string;

  @Column({ type: 'varchar', length: 200 })
  nameEn: string;

  /** ISO 3166-1 alpha-2 (`BH`). */
  @Column({ type: 'char', length: 2 })
  nationality: string;

  @Column({ type: 'varchar', length: 16 })
  residency: EkeyResidency;

  @Column({ type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text' })
  mobileEncrypted: string;

  @Column({ type: 'timestamptz', nullable: true })
  mobileVerifiedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  emailEncrypted: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'varchar', length: 2, default: 'ar' })
  lang: EkeyLang;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: EkeyAccountStatus;

  @Column({ type: 'varchar', length: 16, default: 'standard' })
  level: EkeyLevel;

  /** Where the account was registered (and where an advanced level was verified). */
  @Column({ type: 'varchar', length: 16, default: 'online' })
  channel: EkeyChannel;

  @Column({ type: 'varchar', length: 120, nullable: true })
  levelEvidenceRef: string | null;

  @Column({ type: 'uuid', nullable: true })
  levelVerifiedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  levelVerifiedAt: Date | null;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text', nullable: true, select: false })
  totpSecretEncrypted: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null;

  /** Last accepted TOTP step: a code of that step or earlier is a replay. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep: string | null;

  /** Registered passkeys, kept with them (one row read at sign-in tells whether a second factor exists). */
  @Column({ type: 'int', default: 0 })
  passkeyCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * A WebAuthn credential (passkey) of an eKey holder, registered with user verification.
 * The credential id is unique across accounts: one authenticator credential belongs to one
 * holder. `counter` is the authenticator's signature counter (0 when it keeps none).
 */
@Entity('ekey_passkey')
@Index('ix_ekey_passkey_account', ['accountId'])
@Index('uq_ekey_passkey_credential', ['credentialId'], { unique: true })
export class EkeyPasskey extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  accountId: string;

  /** base64url credential id, as the browser reports it. */
  @Column({ type: 'varchar', length: 1400 })
  credentialId: string;

  /** COSE public key. */
  @Column({ type: 'bytea' })
  publicKey: Buffer;

  @Column({ type: 'bigint', default: 0 })
  counter: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  transports: string[];

  @Column({ type: 'varchar', length: 36 })
  aaguid: string;

  /** Synced (multi-device) passkeys count as software keys (amr `swk`), others as `hwk`. */
  @Column({ type: 'boolean', default: false })
  multiDevice: boolean;

  @Column({ type: 'varchar', length: 80 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}

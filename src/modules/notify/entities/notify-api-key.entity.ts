import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ApiClient } from '../../../platform/auth/api-client.entity.js';

export const NOTIFY_KEY_TYPES = ['test', 'team', 'live'] as const;
export type NotifyKeyType = (typeof NOTIFY_KEY_TYPES)[number];

/**
 * A GOV.UK Notify-style API key of an e-service. The e-service signs short-lived HS256
 * tokens with the secret, so the secret must be recoverable: it is kept encrypted
 * (AES-256-GCM, FieldCipher), never in clear, and shown once.
 */
@Entity('notify_api_key')
@Index('ix_notify_api_key_client', ['apiClientId'])
export class NotifyApiKey extends BaseEntity {
  /** The key id (Notify: the secret's uuid is also the key's identity). */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The Notify "service": an API client holding the `notifications:send` scope. */
  @Column({ type: 'uuid' })
  apiClientId: string;

  @ManyToOne(() => ApiClient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'api_client_id' })
  apiClient?: Relation<ApiClient>;

  @Column({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  keyType: NotifyKeyType;

  @Column({ type: 'text', select: false })
  secretCiphertext: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

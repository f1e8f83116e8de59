import {
  BaseEntity,
  Column,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { ApiClient } from '../../../platform/auth/api-client.entity.js';

/** Where an e-service wants delivery statuses pushed, and the secrets that sign them. */
@Entity('callback_endpoint')
export class CallbackEndpoint extends BaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  apiClientId: string;

  @OneToOne(() => ApiClient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_client_id' })
  apiClient?: Relation<ApiClient>;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** HMAC key of the `X-Diwan-Signature` header, encrypted at rest. */
  @Column({ type: 'text', select: false })
  signingSecretCiphertext: string;

  /** Sent as `Authorization: Bearer …`, as GOV.UK Notify does; encrypted at rest. */
  @Column({ type: 'text', select: false })
  bearerTokenCiphertext: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

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
import { Agency } from '../agencies/agency.entity.js';
import type { ApiScope } from './roles.js';

/**
 * An e-service calling Diwan's internal APIs. Its key (`dwn_<keyId>_<secret>`) is shown once;
 * only an HMAC of the secret is kept. Revocation is immediate.
 */
@Entity('api_client')
export class ApiClient extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<Agency>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: ApiScope[];

  /** Public part of the key, used to find the row. */
  @Index('uq_api_client_key_id', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  keyId: string;

  @Column({ type: 'varchar', length: 64, select: false })
  secretHash: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}

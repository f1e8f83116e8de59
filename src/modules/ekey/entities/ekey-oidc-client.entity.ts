import { BaseEntity, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A relying party (e-service) registered by an admin in the back office. */
@Entity('ekey_oidc_client')
export class EkeyOidcClient extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  clientId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'uuid', nullable: true })
  agencyId: string | null;

  /** oidc-provider client metadata, without the secret. */
  @Column({ type: 'jsonb' })
  metadata: Record<string, unknown>;

  /** client_secret_basic clients only; encrypted (bound to the client id). */
  @Column({ type: 'text', nullable: true, select: false })
  secretEncrypted: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Service-to-service: the Diwan API client this relying party acts as when it calls
   * Diwan's APIs with a client-credentials token (agency, scopes and revocation are that
   * client's). Null: its tokens are not accepted by Diwan's APIs.
   */
  @Column({ type: 'uuid', nullable: true })
  apiClientId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import { BaseEntity, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The OpenID provider's state (sessions, interactions, codes, tokens, grants), one row per
 * model instance, as oidc-provider's adapter interface stores it.
 */
@Entity('ekey_oidc_payload')
@Index('ix_ekey_oidc_payload_grant', ['grantId'])
@Index('ix_ekey_oidc_payload_uid', ['uid'])
@Index('ix_ekey_oidc_payload_expires', ['expiresAt'])
export class EkeyOidcPayload extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  kind: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  id: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 200, nullable: true })
  grantId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  userCode: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  uid: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null;
}

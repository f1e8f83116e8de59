import { BaseEntity, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Signing keys of the provider. The newest active key signs; older ones stay published in
 * the JWKS until retired, so tokens signed before a rotation still verify.
 */
@Entity('ekey_oidc_key')
export class EkeyOidcKey extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  /** Private JWK (JSON), encrypted with FieldCipher (AAD: the kid). */
  @Column({ type: 'text' })
  jwkEncrypted: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}

import { BaseEntity, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Per calendar year: the registrations target set in the back office, and for years before
 * go-live the historic registrations loaded as an aggregate (no account rows exist).
 */
@Entity('ekey_registration_year')
export class EkeyRegistrationYear extends BaseEntity {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ type: 'int', nullable: true })
  target: number | null;

  @Column({ type: 'int', nullable: true })
  historicRegistrations: number | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

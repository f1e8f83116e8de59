import { BaseEntity, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Consecutive failures per CPR (look-up hash) and factor, shared by every API instance.
 * Keyed by the CPR hash, not the account, so an unknown CPR is throttled exactly like a
 * known one and the delays tell nothing about registration.
 */
@Entity('ekey_throttle')
export class EkeyThrottle extends BaseEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  cprHash: string;

  /** `password` or `code`. */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;
}

import { BaseEntity, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One privileged action. Append-only (the database refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: `hash = sha256(prevHash + canonical(event))`, `seq` without gaps.
 */
@Entity('audit_event')
export class AuditEvent extends BaseEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Index('ix_audit_event_occurred_at')
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 16 })
  actorType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 254 })
  actorLabel: string;

  @Index('ix_audit_event_action')
  @Column({ type: 'varchar', length: 80 })
  action: string;

  @Column({ type: 'varchar', length: 60 })
  objectType: string;

  @Index('ix_audit_event_object')
  @Column({ type: 'varchar', length: 120, nullable: true })
  objectId: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  correlationId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}

import { BaseEntity, Column, Entity, PrimaryColumn } from 'typeorm';

/** A periodic task and its lease: only one worker runs it at a time, across processes. */
@Entity('scheduled_task')
export class ScheduledTask extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastStartedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastFinishedAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  lastOutcome: string | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}

import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export const GOAL_ALIGNMENTS = ['government_action_plan', 'economic_vision_2030'] as const;
export type GoalAlignment = (typeof GOAL_ALIGNMENTS)[number];

/** A goal of the e-government strategy; groups KPIs. The committee orders them by priority. */
@Entity('strategic_goal')
export class StrategicGoal extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_strategic_goal_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  nameAr: string;

  @Column({ type: 'varchar', length: 300 })
  nameEn: string;

  /** Plans this goal serves (government action plan, economic vision 2030). */
  @Column({ type: 'varchar', array: true, length: 40, default: () => "'{}'" })
  alignment: string[];

  /** 1 is the committee's first priority. */
  @Column({ type: 'int' })
  priority: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** One wording of a template, never changed after insert: notifications point at it. */
@Entity('notification_template_version')
@Index('uq_notification_template_version', ['templateId', 'version'], { unique: true })
export class NotificationTemplateVersion extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  templateId: string;

  @Column({ type: 'int' })
  version: number;

  /** Email only. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  subjectAr: string | null;

  @Column({ type: 'text' })
  bodyAr: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  subjectEn: string | null;

  @Column({ type: 'text' })
  bodyEn: string;

  /** Placeholder names, identical in both languages. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  placeholders: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

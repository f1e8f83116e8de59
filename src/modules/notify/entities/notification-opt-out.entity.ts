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
import { Agency } from '../../../platform/agencies/agency.entity.js';

/**
 * A citizen's choice not to receive an agency's non-critical notices on a channel. The
 * citizen is known only by a keyed hash (of an eKey account id, a phone number or an email
 * address), so the table holds no contact data.
 */
@Entity('notification_opt_out')
@Index('uq_notification_opt_out', ['subjectHash', 'agencyId', 'channel'], { unique: true })
export class NotificationOptOut extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  subjectHash: string;

  @Column({ type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Relation<Agency>;

  @Column({ type: 'varchar', length: 8 })
  channel: 'sms' | 'email';

  /** unsubscribe_link | citizen_portal | e_service */
  @Column({ type: 'varchar', length: 20 })
  source: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

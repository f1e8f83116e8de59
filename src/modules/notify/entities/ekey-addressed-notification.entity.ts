import { BaseEntity, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A notification addressed by eKey account: Diwan chose the contact, so the e-service is
 * never shown it (the APIs mask or omit the recipient of these).
 */
@Entity('notify_ekey_addressed')
export class EkeyAddressedNotification extends BaseEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_notify_ekey_addressed' })
  notificationId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

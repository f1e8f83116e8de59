import { BaseEntity, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read-only view of the fact table for the back office. The table is created by hand-written
 * SQL (partitioned by month, see the Payments migration), so `synchronize: false` keeps it out of
 * generated migrations. Writes go through PaymentIngestService only.
 * `externalRef` stands in as the key AdminJS needs; the back office always filters by agency.
 */
@Entity('payment_transaction', { synchronize: false })
export class PaymentTransactionRecord extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  externalRef: string;

  @Column({ type: 'varchar', length: 10 })
  agencyCode: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 40 })
  occurredAtText: string;

  @Column({ type: 'varchar', length: 16 })
  serviceCode: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 10 })
  kind: string;

  @Column({ type: 'varchar', length: 10 })
  status: string;

  /** Integer fils; a string so no amount becomes a float on its way to the browser. */
  @Column({ type: 'bigint' })
  amountFils: string;

  @Column({ type: 'bigint' })
  feeFils: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  originalRef: string | null;

  @Column({ type: 'varchar', length: 8 })
  source: string;

  @Column({ type: 'timestamptz' })
  receivedAt: Date;
}

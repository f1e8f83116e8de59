import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer index entries per row version of `notification`. Every status change is an UPDATE
 * that cannot be HOT (the status is indexed), so each new row version takes an entry in
 * every index whose predicate it meets:
 * - the status index keeps only the statuses worth looking up by status (waiting, sending,
 *   failed, cancelled): `sent` and `delivered`, where nearly every row ends, take no entry;
 * - the GIN index on provider message ids keeps only rows that have some (the receipt
 *   look-up repeats the predicate): the accepted and the claimed versions take none. Without
 *   the pending list (`fastupdate = off`): a row brings one key per SMS part, and every
 *   receipt look-up would otherwise read the whole pending list (up to 4 MB; 1.1 ms per
 *   look-up on 20,000 rows, 0.04 ms without).
 * With the claim clearing the outbox mark (see NotificationRepository.claim), a sent SMS
 * writes 14 index entries instead of 18.
 */
export class NotificationLeanIndexes1796015709150 implements MigrationInterface {
  name = 'NotificationLeanIndexes1796015709150';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_notification_status"`);
    await queryRunner.query(
      `CREATE INDEX "ix_notification_status" ON "notification" ("status") WHERE "status" NOT IN ('sent', 'delivered')`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_notification_provider_message_ids"`);
    await queryRunner.query(
      `CREATE INDEX "ix_notification_provider_message_ids" ON "notification" USING GIN ("provider_message_ids") WITH (fastupdate = off) WHERE cardinality("provider_message_ids") > 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_notification_provider_message_ids"`);
    await queryRunner.query(
      `CREATE INDEX "ix_notification_provider_message_ids" ON "notification" USING GIN ("provider_message_ids")`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_notification_status"`);
    await queryRunner.query(`CREATE INDEX "ix_notification_status" ON "notification" ("status") `);
  }
}

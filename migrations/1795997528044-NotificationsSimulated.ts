import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 6: notifications made with a Notify test key are recorded as `simulated` (never sent,
 * kept out of statistics); API clients' notifications are found by their last change, from
 * which delivery-status callbacks are derived.
 */
export class NotificationsSimulated1795997528044 implements MigrationInterface {
  name = 'NotificationsSimulated1795997528044';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification" ADD "simulated" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_api_client_updated" ON "notification" ("updated_at") WHERE "actor_type" = 'api_client'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_notification_api_client_updated"`);
    await queryRunner.query(`ALTER TABLE "notification" DROP COLUMN "simulated"`);
  }
}

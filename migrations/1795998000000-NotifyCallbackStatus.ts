import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 6: delivery-status callbacks derived from notification statuses (one per status
 * reached), `Idempotency-Key`s of `POST /v1/notifications`, and which notifications were
 * addressed by eKey account (their contact is never shown to the e-service).
 */
export class NotifyCallbackStatus1795998000000 implements MigrationInterface {
  name = 'NotifyCallbackStatus1795998000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "delivery_callback" ADD "notification_status" character varying(24)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_delivery_callback_notification_status" ON "delivery_callback" ("notification_id", "notification_status") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notify_send_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "api_client_id" uuid NOT NULL, "idempotency_key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "notification_id" uuid NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_until" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_notify_send_request" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notify_send_request_key" ON "notify_send_request" ("api_client_id", "idempotency_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notify_ekey_addressed" ("notification_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_notify_ekey_addressed" PRIMARY KEY ("notification_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notify_ekey_addressed"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notify_send_request_key"`);
    await queryRunner.query(`DROP TABLE "notify_send_request"`);
    await queryRunner.query(`DROP INDEX "public"."uq_delivery_callback_notification_status"`);
    await queryRunner.query(`ALTER TABLE "delivery_callback" DROP COLUMN "notification_status"`);
  }
}

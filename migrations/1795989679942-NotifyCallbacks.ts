import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyCallbacks1795989679942 implements MigrationInterface {
  name = 'NotifyCallbacks1795989679942';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "callback_endpoint" ("api_client_id" uuid NOT NULL, "url" character varying(2000) NOT NULL, "signing_secret_ciphertext" text NOT NULL, "bearer_token_ciphertext" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3b46a97fbc721d1bc0a4649f219" PRIMARY KEY ("api_client_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "delivery_callback" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "api_client_id" uuid NOT NULL, "notification_id" uuid NOT NULL, "payload" jsonb NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e29f629549186720089c9b54cef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_delivery_callback_client" ON "delivery_callback"  ("api_client_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_delivery_callback_due" ON "delivery_callback"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_endpoint" ADD CONSTRAINT "FK_3b46a97fbc721d1bc0a4649f219" FOREIGN KEY ("api_client_id") REFERENCES "api_client"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "callback_endpoint" DROP CONSTRAINT "FK_3b46a97fbc721d1bc0a4649f219"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_delivery_callback_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_delivery_callback_client"`);
    await queryRunner.query(`DROP TABLE "delivery_callback"`);
    await queryRunner.query(`DROP TABLE "callback_endpoint"`);
  }
}

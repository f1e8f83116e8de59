import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyApiKeys1795989197455 implements MigrationInterface {
  name = 'NotifyApiKeys1795989197455';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notify_api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "api_client_id" uuid NOT NULL, "name" character varying(80) NOT NULL, "key_type" character varying(8) NOT NULL, "secret_ciphertext" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_529dbbd0bd7aaf55b48265e402a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notify_api_key_client" ON "notify_api_key"  ("api_client_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "notify_api_key" ADD CONSTRAINT "FK_7b553612e7df68146a95eb41e5b" FOREIGN KEY ("api_client_id") REFERENCES "api_client"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notify_api_key" DROP CONSTRAINT "FK_7b553612e7df68146a95eb41e5b"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_notify_api_key_client"`);
    await queryRunner.query(`DROP TABLE "notify_api_key"`);
  }
}

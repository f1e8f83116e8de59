import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EkeyPasskeys1795998846981 implements MigrationInterface {
  name = 'EkeyPasskeys1795998846981';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ekey_passkey" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "credential_id" character varying(1400) NOT NULL, "public_key" bytea NOT NULL, "counter" bigint NOT NULL DEFAULT '0', "transports" jsonb NOT NULL DEFAULT '[]', "aaguid" character varying(36) NOT NULL, "multi_device" boolean NOT NULL DEFAULT false, "name" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c46ad5e0d25f86b19c9ecffbafb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ekey_passkey_credential" ON "ekey_passkey"  ("credential_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_passkey_account" ON "ekey_passkey"  ("account_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "ekey_account" ADD "passkey_count" integer NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ekey_account" DROP COLUMN "passkey_count"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_passkey_account"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ekey_passkey_credential"`);
    await queryRunner.query(`DROP TABLE "ekey_passkey"`);
  }
}

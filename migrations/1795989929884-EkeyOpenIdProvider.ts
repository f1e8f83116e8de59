import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EkeyOpenIdProvider1795989929884 implements MigrationInterface {
  name = 'EkeyOpenIdProvider1795989929884';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ekey_oidc_client" ("client_id" character varying(80) NOT NULL, "name" character varying(200) NOT NULL, "agency_id" uuid, "metadata" jsonb NOT NULL, "secret_encrypted" text, "active" boolean NOT NULL DEFAULT true, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3af167f6beeccb6fc20d152fc83" PRIMARY KEY ("client_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_oidc_key" ("kid" character varying(64) NOT NULL, "jwk_encrypted" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_74345dda1da5ff9dcb3e7836e3a" PRIMARY KEY ("kid"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_oidc_payload" ("kind" character varying(40) NOT NULL, "id" character varying(200) NOT NULL, "payload" jsonb NOT NULL, "grant_id" character varying(200), "user_code" character varying(200), "uid" character varying(200), "expires_at" TIMESTAMP WITH TIME ZONE, "consumed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2cec6258fd3bfa1340adc583aff" PRIMARY KEY ("kind", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_oidc_payload_expires" ON "ekey_oidc_payload"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_oidc_payload_uid" ON "ekey_oidc_payload"  ("uid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_oidc_payload_grant" ON "ekey_oidc_payload"  ("grant_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_oidc_payload_grant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_oidc_payload_uid"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_oidc_payload_expires"`);
    await queryRunner.query(`DROP TABLE "ekey_oidc_payload"`);
    await queryRunner.query(`DROP TABLE "ekey_oidc_key"`);
    await queryRunner.query(`DROP TABLE "ekey_oidc_client"`);
  }
}

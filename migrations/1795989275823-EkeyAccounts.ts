import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EkeyAccounts1795989275823 implements MigrationInterface {
  name = 'EkeyAccounts1795989275823';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ekey_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cpr_hash" character(64) NOT NULL, "cpr_encrypted" text NOT NULL, "cpr_last3" character varying(3) NOT NULL, "name_ar" character varying(200) NOT NULL, "name_en" character varying(200) NOT NULL, "nationality" character(2) NOT NULL, "residency" character varying(16) NOT NULL, "date_of_birth" date NOT NULL, "mobile_encrypted" text NOT NULL, "mobile_verified_at" TIMESTAMP WITH TIME ZONE, "email_encrypted" text, "email_verified_at" TIMESTAMP WITH TIME ZONE, "lang" character varying(2) NOT NULL DEFAULT 'ar', "status" character varying(16) NOT NULL DEFAULT 'pending', "level" character varying(16) NOT NULL DEFAULT 'standard', "channel" character varying(16) NOT NULL DEFAULT 'online', "level_evidence_ref" character varying(120), "level_verified_by" uuid, "level_verified_at" TIMESTAMP WITH TIME ZONE, "password_hash" text NOT NULL, "totp_secret_encrypted" text, "totp_enabled_at" TIMESTAMP WITH TIME ZONE, "totp_last_step" bigint, "activated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_ekey_account_advanced_evidence" CHECK (level = 'standard' OR (level_evidence_ref IS NOT NULL AND level_verified_by IS NOT NULL)), CONSTRAINT "ck_ekey_account_channel" CHECK (channel IN ('online', 'service_centre', 'kiosk')), CONSTRAINT "ck_ekey_account_residency" CHECK (residency IN ('citizen', 'resident')), CONSTRAINT "ck_ekey_account_level" CHECK (level IN ('standard', 'advanced')), CONSTRAINT "ck_ekey_account_status" CHECK (status IN ('pending', 'active', 'closed')), CONSTRAINT "PK_66d40146cf0d24bd782cf3f2e4c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_account_activated_at" ON "ekey_account"  ("activated_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ekey_account_active_cpr" ON "ekey_account"  ("cpr_hash") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_account_cpr_hash" ON "ekey_account"  ("cpr_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_activity" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" character varying(64), "user_agent" character varying(300), CONSTRAINT "PK_37e011d4fdc794a6ab1cf7e51f3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_activity_account" ON "ekey_activity"  ("account_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_backup_code" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3cd623daa4b7455322ccb603cb2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ekey_backup_code" ON "ekey_backup_code"  ("account_id", "code_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_challenge" ("id" uuid NOT NULL, "account_id" uuid NOT NULL, "purpose" character varying(24) NOT NULL, "code_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_ekey_challenge_attempts" CHECK (attempts BETWEEN 0 AND 5), CONSTRAINT "PK_d177eea153f2692633e24a605ac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_challenge_account" ON "ekey_challenge"  ("account_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_registration_year" ("year" integer NOT NULL, "target" integer, "historic_registrations" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bd39c6db819987f9981c9554d82" PRIMARY KEY ("year"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "account_id" uuid NOT NULL, "stage" character varying(16) NOT NULL, "amr" text array NOT NULL DEFAULT '{}', "device_hash" character(64), "user_agent" character varying(300), "ip" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8c3b32f284344e3354ba403dd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ekey_session_account" ON "ekey_session"  ("account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ekey_session_token" ON "ekey_session"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ekey_throttle" ("cpr_hash" character(64) NOT NULL, "kind" character varying(16) NOT NULL, "failures" integer NOT NULL DEFAULT '0', "last_failure_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_193fa0c95ea89bfbcc4c56dacbd" PRIMARY KEY ("cpr_hash", "kind"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ekey_throttle"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ekey_session_token"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_session_account"`);
    await queryRunner.query(`DROP TABLE "ekey_session"`);
    await queryRunner.query(`DROP TABLE "ekey_registration_year"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_challenge_account"`);
    await queryRunner.query(`DROP TABLE "ekey_challenge"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ekey_backup_code"`);
    await queryRunner.query(`DROP TABLE "ekey_backup_code"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_activity_account"`);
    await queryRunner.query(`DROP TABLE "ekey_activity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_account_cpr_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ekey_account_active_cpr"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ekey_account_activated_at"`);
    await queryRunner.query(`DROP TABLE "ekey_account"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795989385497 implements MigrationInterface {
  name = 'Notifications1795989385497';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_attempt" ("id" BIGSERIAL NOT NULL, "notification_id" uuid NOT NULL, "attempt_no" integer NOT NULL, "provider" character varying(16) NOT NULL, "smsc_id" character varying(40), "outcome" character varying(20) NOT NULL, "provider_message_ids" text array NOT NULL DEFAULT '{}', "receipt_stat" character varying(10), "error" text, "raw_receipt" jsonb, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f77a48c4e0332fdb9a5e6c7473d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_attempt_notification" ON "notification_attempt"  ("notification_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_template_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "template_id" uuid NOT NULL, "version" integer NOT NULL, "subject_ar" character varying(300), "body_ar" text NOT NULL, "subject_en" character varying(300), "body_en" text NOT NULL, "placeholders" text array NOT NULL DEFAULT '{}', "created_by" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aa8be22a17e20bcec0c2aaec91a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_template_version" ON "notification_template_version"  ("template_id", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "channel" character varying(8) NOT NULL, "code" character varying(80) NOT NULL, "name" character varying(200) NOT NULL, "current_version" integer NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d2a6ef77141a01b8ac31f514cfc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_template_agency_code" ON "notification_template"  ("agency_id", "code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notification" ("id" uuid NOT NULL, "agency_id" uuid, "template_version_id" uuid, "channel" character varying(8) NOT NULL, "priority" character varying(16) NOT NULL, "lang" character varying(2) NOT NULL, "status" character varying(20) NOT NULL, "recipient_cipher" text, "recipient_hash" character varying(64), "content_cipher" text, "reference" character varying(200), "replaces_paper_letter" boolean NOT NULL DEFAULT false, "segments" integer, "provider_message_ids" text array NOT NULL DEFAULT '{}', "provider" character varying(40), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "actor_type" character varying(16) NOT NULL, "actor_id" character varying(64), "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "dispatch_due_at" TIMESTAMP WITH TIME ZONE, "enqueued_at" TIMESTAMP WITH TIME ZONE, "enqueue_count" integer NOT NULL DEFAULT '0', "claimed_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "redacted_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_notification_lang" CHECK ("lang" IN ('ar', 'en')), CONSTRAINT "chk_notification_priority" CHECK ("priority" IN ('otp', 'transactional', 'bulk')), CONSTRAINT "chk_notification_channel" CHECK ("channel" IN ('sms', 'email')), CONSTRAINT "chk_notification_status" CHECK ("status" IN ('accepted', 'queued', 'sending', 'sent', 'delivered', 'temporary_failure', 'permanent_failure', 'technical_failure', 'cancelled')), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_recipient_hash" ON "notification"  ("recipient_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_agency_accepted" ON "notification"  ("agency_id", "accepted_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_notification_status" ON "notification"  ("status") `);
    // Hand-written: what entities cannot express.
    // Receipts find their notification by SMSC message id (`<smscId>:<messageId>`).
    await queryRunner.query(
      `CREATE INDEX "ix_notification_provider_message_ids" ON "notification" USING GIN ("provider_message_ids")`,
    );
    // The outbox: only rows still to be handed to a provider.
    await queryRunner.query(
      `CREATE INDEX "ix_notification_dispatch_due" ON "notification" ("dispatch_due_at") WHERE "dispatch_due_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_sending_claimed" ON "notification" ("claimed_at") WHERE "status" = 'sending'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_attempt_receipt" ON "notification_attempt" ("notification_id", (provider_message_ids[1]), "receipt_stat") WHERE "outcome" = 'receipt'`,
    );
    // Attempts are append-only: the database refuses UPDATE and DELETE.
    await queryRunner.query(`CREATE FUNCTION notification_attempt_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'notification_attempt is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER notification_attempt_no_update_delete BEFORE UPDATE OR DELETE ON "notification_attempt" FOR EACH ROW EXECUTE FUNCTION notification_attempt_refuse_change()`,
    );
    // Template versions are immutable: notifications point at the exact wording they used.
    await queryRunner.query(`CREATE FUNCTION notification_template_version_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'notification_template_version is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER notification_template_version_immutable BEFORE UPDATE OR DELETE ON "notification_template_version" FOR EACH ROW EXECUTE FUNCTION notification_template_version_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER notification_template_version_immutable ON "notification_template_version"`,
    );
    await queryRunner.query(`DROP FUNCTION notification_template_version_refuse_change()`);
    await queryRunner.query(
      `DROP TRIGGER notification_attempt_no_update_delete ON "notification_attempt"`,
    );
    await queryRunner.query(`DROP FUNCTION notification_attempt_refuse_change()`);
    await queryRunner.query(`DROP INDEX "public"."uq_notification_attempt_receipt"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_sending_claimed"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_dispatch_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_provider_message_ids"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_agency_accepted"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_recipient_hash"`);
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notification_template_agency_code"`);
    await queryRunner.query(`DROP TABLE "notification_template"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notification_template_version"`);
    await queryRunner.query(`DROP TABLE "notification_template_version"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_attempt_notification"`);
    await queryRunner.query(`DROP TABLE "notification_attempt"`);
  }
}

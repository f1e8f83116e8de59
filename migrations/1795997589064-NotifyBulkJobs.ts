import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyBulkJobs1795997589064 implements MigrationInterface {
  name = 'NotifyBulkJobs1795997589064';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notify_job_row" ("job_id" uuid NOT NULL, "row_no" integer NOT NULL, "row_hash" character(64) NOT NULL, "content_cipher" text, "status" character varying(12) NOT NULL DEFAULT 'pending', "notification_id" uuid, "error" character varying(300), "claimed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "chk_notify_job_row_status" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')), CONSTRAINT "PK_9a847581f105952acd43a9f7802" PRIMARY KEY ("job_id", "row_no"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notify_job_row_status" ON "notify_job_row"  ("job_id", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notify_job_row_hash" ON "notify_job_row"  ("job_id", "row_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notify_job" ("id" uuid NOT NULL, "agency_id" uuid NOT NULL, "template_id" uuid NOT NULL, "channel" character varying(8) NOT NULL, "lang" character varying(2), "status" character varying(16) NOT NULL, "row_count" integer NOT NULL, "original_file_name" character varying(200), "reference" character varying(200), "critical" boolean NOT NULL DEFAULT false, "replaces_paper_letter" boolean NOT NULL DEFAULT false, "key_type" character varying(8) NOT NULL DEFAULT 'live', "created_by_type" character varying(16) NOT NULL, "created_by_id" character varying(64), "scheduled_for" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE, "last_chunk_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "chk_notify_job_status" CHECK ("status" IN ('scheduled', 'pending', 'in_progress', 'finished', 'cancelled')), CONSTRAINT "PK_949b79afa4306b90eff1a8ad2e9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notify_job_due" ON "notify_job"  ("status", "scheduled_for") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notify_job_agency_created" ON "notify_job"  ("agency_id", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_notify_job_agency_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notify_job_due"`);
    await queryRunner.query(`DROP TABLE "notify_job"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notify_job_row_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notify_job_row_status"`);
    await queryRunner.query(`DROP TABLE "notify_job_row"`);
  }
}

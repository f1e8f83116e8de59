import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCH_COLUMNS = {
  search_ar:
    "setweight(to_tsvector('arabic', search_title_ar), 'A') || setweight(to_tsvector('arabic', search_body_ar), 'B') || setweight(to_tsvector('arabic', search_extra_ar), 'C')",
  search_en:
    "setweight(to_tsvector('english', title_en), 'A') || setweight(to_tsvector('english', description_en), 'B') || setweight(to_tsvector('english', search_extra_en), 'C')",
};

export class Registry1795989047290 implements MigrationInterface {
  name = 'Registry1795989047290';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "search_synonym" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "term" character varying(100) NOT NULL, "alternatives" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f90672bb61b83865cd95007ca15" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_search_synonym_term" ON "search_synonym"  ("term") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "agency_id" uuid NOT NULL, "popularity" integer NOT NULL DEFAULT '0', "first_published_at" TIMESTAMP WITH TIME ZONE, "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_service_code" ON "service"  ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_service_agency" ON "service"  ("agency_id") `);
    // TypeORM keeps the expressions of generated columns here (its generator drops the parameters).
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" character varying NOT NULL, "database" character varying, "schema" character varying, "table" character varying, "name" character varying, "value" text)`,
    );
    for (const [name, expression] of Object.entries(SEARCH_COLUMNS))
      await queryRunner.query(
        `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), 'service_edition', 'GENERATED_COLUMN', $1, $2)`,
        [name, expression],
      );
    await queryRunner.query(
      `CREATE TABLE "service_edition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "edition_number" integer NOT NULL, "status" character varying(16) NOT NULL, "content" jsonb NOT NULL, "change_note" text, "title_ar" text NOT NULL DEFAULT '', "title_en" text NOT NULL DEFAULT '', "description_ar" text NOT NULL DEFAULT '', "description_en" text NOT NULL DEFAULT '', "search_title" text NOT NULL DEFAULT '', "search_title_ar" text NOT NULL DEFAULT '', "search_body_ar" text NOT NULL DEFAULT '', "search_extra_ar" text NOT NULL DEFAULT '', "search_extra_en" text NOT NULL DEFAULT '', "search_ar" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('arabic', search_title_ar), 'A') || setweight(to_tsvector('arabic', search_body_ar), 'B') || setweight(to_tsvector('arabic', search_extra_ar), 'C')) STORED NOT NULL, "search_en" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title_en), 'A') || setweight(to_tsvector('english', description_en), 'B') || setweight(to_tsvector('english', search_extra_en), 'C')) STORED NOT NULL, "audience" text array NOT NULL DEFAULT '{}', "channel_types" text array NOT NULL DEFAULT '{}', "life_events" text array NOT NULL DEFAULT '{}', "is_free" boolean NOT NULL DEFAULT true, "online_only" boolean NOT NULL DEFAULT false, "has_online_channel" boolean NOT NULL DEFAULT false, "author_type" character varying(16) NOT NULL, "author_id" character varying(64) NOT NULL, "author_label" character varying(200) NOT NULL, "approver_id" character varying(64), "approver_label" character varying(200), "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_at" TIMESTAMP WITH TIME ZONE, "scheduled_at" TIMESTAMP WITH TIME ZONE, "published_at" TIMESTAMP WITH TIME ZONE, "superseded_at" TIMESTAMP WITH TIME ZONE, "archived_at" TIMESTAMP WITH TIME ZONE, "review_note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_7b830d34021fd674f5b2b53fbbb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_status" ON "service_edition"  ("status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_service_edition_number" ON "service_edition"  ("service_id", "edition_number") `,
    );
    await queryRunner.query(
      `ALTER TABLE "service" ADD CONSTRAINT "FK_02d958e9ddd8d47a603aaaa974e" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_edition" ADD CONSTRAINT "FK_cc672a69770627bfce3cd400749" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Hand-written: what the entities cannot express.
    await queryRunner.query(
      `ALTER TABLE "service_edition" ADD CONSTRAINT "ck_service_edition_status" CHECK ("status" IN ('draft', 'in_review', 'amends_needed', 'published', 'superseded', 'archived'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "service" ADD CONSTRAINT "ck_service_code" CHECK ("code" ~ '^[A-Z][A-Z0-9]{1,15}-[0-9]{3,6}$')`,
    );
    // At most one working copy (draft, in review or sent back) and one published edition.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_service_edition_working" ON "service_edition" ("service_id") WHERE "status" IN ('draft', 'in_review', 'amends_needed')`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_service_edition_published" ON "service_edition" ("service_id") WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_search_ar" ON "service_edition" USING GIN ("search_ar") WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_search_en" ON "service_edition" USING GIN ("search_en") WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_title_trgm" ON "service_edition" USING GIN ("search_title" gin_trgm_ops) WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_due" ON "service_edition" ("scheduled_at") WHERE "status" = 'in_review' AND "scheduled_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_title_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_search_en"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_search_ar"`);
    await queryRunner.query(`DROP INDEX "public"."uq_service_edition_published"`);
    await queryRunner.query(`DROP INDEX "public"."uq_service_edition_working"`);
    await queryRunner.query(
      `ALTER TABLE "service_edition" DROP CONSTRAINT "FK_cc672a69770627bfce3cd400749"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service" DROP CONSTRAINT "FK_02d958e9ddd8d47a603aaaa974e"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_service_edition_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_status"`);
    await queryRunner.query(`DROP TABLE "service_edition"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'service_edition'`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_service_agency"`);
    await queryRunner.query(`DROP INDEX "public"."uq_service_code"`);
    await queryRunner.query(`DROP TABLE "service"`);
    await queryRunner.query(`DROP INDEX "public"."uq_search_synonym_term"`);
    await queryRunner.query(`DROP TABLE "search_synonym"`);
  }
}

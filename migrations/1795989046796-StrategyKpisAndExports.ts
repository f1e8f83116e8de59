import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StrategyKpisAndExports1795989046796 implements MigrationInterface {
  name = 'StrategyKpisAndExports1795989046796';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "export_job" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(30) NOT NULL, "format" character varying(8) NOT NULL, "filters" jsonb NOT NULL DEFAULT '{}', "status" character varying(12) NOT NULL DEFAULT 'queued', "requested_by_type" character varying(16) NOT NULL, "requested_by_id" character varying(64) NOT NULL, "requested_by_label" character varying(254) NOT NULL, "rows_written" bigint NOT NULL DEFAULT '0', "file_name" character varying(300), "file_bytes" bigint, "sha256" character(64), "manifest" jsonb, "error" character varying(1000), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2edcb6f1780d22e5a9f2f29f466" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_export_job_status" ON "export_job"  ("status") `);
    await queryRunner.query(
      `CREATE TABLE "kpi_definition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "name_ar" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "unit" character varying(10) NOT NULL, "direction" character varying(10) NOT NULL DEFAULT 'higher', "source" character varying(60) NOT NULL, "formula_version" integer NOT NULL DEFAULT '1', "goal_id" uuid NOT NULL, "position" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_e19d5895a1dd4418d377ad05470" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_kpi_definition_code" ON "kpi_definition"  ("code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kpi_definition_goal" ON "kpi_definition"  ("goal_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "kpi_target" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kpi_id" uuid NOT NULL, "year" integer NOT NULL, "target" bigint NOT NULL, "baseline" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_c34adc0d9347ab04e2a4f80909e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_kpi_target_kpi_year" ON "kpi_target"  ("kpi_id", "year") `,
    );
    await queryRunner.query(
      `CREATE TABLE "kpi_value" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kpi_id" uuid NOT NULL, "period" character varying(10) NOT NULL, "numerator" bigint NOT NULL, "denominator" bigint, "coverage_percent" smallint NOT NULL DEFAULT '100', "formula_version" integer NOT NULL DEFAULT '1', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'provisional', "recorded_by" character varying(64) NOT NULL, "approved_by" character varying(64), "approved_at" TIMESTAMP WITH TIME ZONE, "evidence_ref" character varying(500), "note" character varying(1000), "details" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_6b4a10260242a07160894fd5df8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_kpi_value_kpi_period" ON "kpi_value"  ("kpi_id", "period") `,
    );
    await queryRunner.query(
      `CREATE TABLE "strategic_goal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "name_ar" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "alignment" character varying(40) array NOT NULL DEFAULT '{}', "priority" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_b0865498255f5051489becd4900" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_strategic_goal_code" ON "strategic_goal"  ("code") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_strategic_goal_code"`);
    await queryRunner.query(`DROP TABLE "strategic_goal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_kpi_value_kpi_period"`);
    await queryRunner.query(`DROP TABLE "kpi_value"`);
    await queryRunner.query(`DROP INDEX "public"."uq_kpi_target_kpi_year"`);
    await queryRunner.query(`DROP TABLE "kpi_target"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kpi_definition_goal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_kpi_definition_code"`);
    await queryRunner.query(`DROP TABLE "kpi_definition"`);
    await queryRunner.query(`DROP INDEX "public"."ix_export_job_status"`);
    await queryRunner.query(`DROP TABLE "export_job"`);
  }
}

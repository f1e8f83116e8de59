import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Title and description alone, per language: search reads rank tiers from their indexes. */
const TIER_COLUMNS = {
  title_search_ar: "to_tsvector('arabic', search_title_ar)",
  body_search_ar: "to_tsvector('arabic', search_body_ar)",
  title_search_en: "to_tsvector('english', title_en)",
  body_search_en: "to_tsvector('english', description_en)",
};

export class RegistryServiceFiguresAndSearchTiers1795997739591 implements MigrationInterface {
  name = 'RegistryServiceFiguresAndSearchTiers1795997739591';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Each service's yearly payment figures, copied from payments on a schedule (issue #8).
    await queryRunner.query(
      `CREATE TABLE "service_payment_figures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "service_id" uuid NOT NULL, "year" integer NOT NULL, "agency_id" uuid NOT NULL, "service_code" character varying(32) NOT NULL, "payments_count" bigint NOT NULL, "gross_fils" bigint NOT NULL, "share_by_count" double precision NOT NULL, "share_by_value" double precision NOT NULL, "figures" jsonb NOT NULL, "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_224565f22dbd3157539b9438975" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_payment_figures_agency_share" ON "service_payment_figures"  ("agency_id", "share_by_count") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_service_payment_figures_year" ON "service_payment_figures"  ("service_id", "year") `,
    );
    await queryRunner.query(
      `ALTER TABLE "service_payment_figures" ADD CONSTRAINT "FK_9d4bfd27fe58b2b66872632165f" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // TypeORM keeps the expressions of generated columns in typeorm_metadata (its generator
    // drops the parameters of these inserts, hence by hand).
    for (const [name, expression] of Object.entries(TIER_COLUMNS)) {
      await queryRunner.query(
        `ALTER TABLE "service_edition" ADD "${name}" tsvector GENERATED ALWAYS AS (${expression}) STORED NOT NULL`,
      );
      await queryRunner.query(
        `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), 'service_edition', 'GENERATED_COLUMN', $1, $2)`,
        [name, expression],
      );
      await queryRunner.query(
        `CREATE INDEX "ix_service_edition_${name}" ON "service_edition" USING GIN ("${name}") WHERE "status" = 'published'`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(TIER_COLUMNS).reverse()) {
      await queryRunner.query(`DROP INDEX "public"."ix_service_edition_${name}"`);
      await queryRunner.query(
        `DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'service_edition' AND "name" = $1`,
        [name],
      );
      await queryRunner.query(`ALTER TABLE "service_edition" DROP COLUMN "${name}"`);
    }
    await queryRunner.query(
      `ALTER TABLE "service_payment_figures" DROP CONSTRAINT "FK_9d4bfd27fe58b2b66872632165f"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_service_payment_figures_year"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_payment_figures_agency_share"`);
    await queryRunner.query(`DROP TABLE "service_payment_figures"`);
  }
}

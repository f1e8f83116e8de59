import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search reads `service_search` (RegistryServiceSearch) and no query uses the GIN indexes on
 * `service_edition`'s tsvectors any more: dropped, so a publication updates six GIN indexes
 * instead of twelve. The tsvector columns stay (the trigger copies them), and so does the
 * trigram index on `search_title` (the typo fallback reads it).
 */
const INDEXES = {
  ix_service_edition_search_ar: 'search_ar',
  ix_service_edition_search_en: 'search_en',
  ix_service_edition_title_search_ar: 'title_search_ar',
  ix_service_edition_body_search_ar: 'body_search_ar',
  ix_service_edition_title_search_en: 'title_search_en',
  ix_service_edition_body_search_en: 'body_search_en',
};

export class RegistryDropEditionSearchIndexes1796009501972 implements MigrationInterface {
  name = 'RegistryDropEditionSearchIndexes1796009501972';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of Object.keys(INDEXES))
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index, column] of Object.entries(INDEXES))
      await queryRunner.query(
        `CREATE INDEX "${index}" ON "service_edition" USING GIN ("${column}") WHERE "status" = 'published'`,
      );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `service_search`: one narrow row per published service, everything a search needs to match,
 * filter and order (the six tsvectors, the filter columns, popularity and code), and nothing
 * else. Search used to read the wide `service_edition` rows (content jsonb, texts, ~2 KB each)
 * and join `service` for popularity on every matched row before keeping 21: on 5,000 services
 * a broad word matches hundreds of rows, and that fetch-join-sort was most of a search's
 * database time. Now the match and the top-N sort read this table alone, and only the page's
 * rows are joined back to their edition and agency (see catalogue-sql.ts).
 *
 * The table is derived data, kept by triggers so that every way a service is published,
 * superseded, archived or re-ranked (workflow, scheduled publication, demo seeder, bulk loads)
 * keeps it exact in the same transaction: an edition that becomes published replaces its
 * service's row, one that stops being published removes it, and a change of a service's
 * popularity, code or agency is copied. No entity maps it: only the catalogue's raw SQL reads it.
 */
export class RegistryServiceSearch1796006641835 implements MigrationInterface {
  name = 'RegistryServiceSearch1796006641835';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_search" (
        "service_id" uuid NOT NULL,
        "edition_id" uuid NOT NULL,
        "code" character varying(32) NOT NULL,
        "popularity" integer NOT NULL,
        "agency_id" uuid NOT NULL,
        "title_search_ar" tsvector NOT NULL,
        "title_search_en" tsvector NOT NULL,
        "body_search_ar" tsvector NOT NULL,
        "body_search_en" tsvector NOT NULL,
        "search_ar" tsvector NOT NULL,
        "search_en" tsvector NOT NULL,
        "audience" text array NOT NULL,
        "channel_types" text array NOT NULL,
        "life_events" text array NOT NULL,
        "is_free" boolean NOT NULL,
        "online_only" boolean NOT NULL,
        CONSTRAINT "PK_service_search" PRIMARY KEY ("service_id"),
        CONSTRAINT "UQ_service_search_edition" UNIQUE ("edition_id"),
        CONSTRAINT "FK_service_search_service" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_service_search_edition" FOREIGN KEY ("edition_id") REFERENCES "service_edition"("id") ON DELETE CASCADE
      )`,
    );
    for (const column of [
      'title_search_ar',
      'title_search_en',
      'body_search_ar',
      'body_search_en',
      'search_ar',
      'search_en',
    ])
      await queryRunner.query(
        `CREATE INDEX "ix_service_search_${column}" ON "service_search" USING GIN ("${column}")`,
      );
    // The listing without a query (ordered by popularity, then code).
    await queryRunner.query(
      `CREATE INDEX "ix_service_search_popularity" ON "service_search" ("popularity" DESC, "code")`,
    );
    // An edition's row follows its status: published in, anything else out. Runs after the
    // generated tsvectors are computed, so NEW carries them.
    await queryRunner.query(
      `CREATE FUNCTION registry_service_search_edition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status <> 'published' THEN
          DELETE FROM service_search WHERE edition_id = OLD.id;
        END IF;
        IF NEW.status = 'published' THEN
          INSERT INTO service_search AS x (service_id, edition_id, code, popularity, agency_id,
            title_search_ar, title_search_en, body_search_ar, body_search_en, search_ar, search_en,
            audience, channel_types, life_events, is_free, online_only)
          SELECT s.id, NEW.id, s.code, s.popularity, s.agency_id,
            NEW.title_search_ar, NEW.title_search_en, NEW.body_search_ar, NEW.body_search_en,
            NEW.search_ar, NEW.search_en, NEW.audience, NEW.channel_types, NEW.life_events,
            NEW.is_free, NEW.online_only
          FROM service s WHERE s.id = NEW.service_id
          ON CONFLICT (service_id) DO UPDATE SET edition_id = EXCLUDED.edition_id,
            code = EXCLUDED.code, popularity = EXCLUDED.popularity, agency_id = EXCLUDED.agency_id,
            title_search_ar = EXCLUDED.title_search_ar, title_search_en = EXCLUDED.title_search_en,
            body_search_ar = EXCLUDED.body_search_ar, body_search_en = EXCLUDED.body_search_en,
            search_ar = EXCLUDED.search_ar, search_en = EXCLUDED.search_en,
            audience = EXCLUDED.audience, channel_types = EXCLUDED.channel_types,
            life_events = EXCLUDED.life_events, is_free = EXCLUDED.is_free,
            online_only = EXCLUDED.online_only;
        END IF;
        RETURN NULL;
      END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_service_edition_search" AFTER INSERT OR UPDATE ON "service_edition"
       FOR EACH ROW EXECUTE FUNCTION registry_service_search_edition()`,
    );
    await queryRunner.query(
      `CREATE FUNCTION registry_service_search_service() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE service_search SET popularity = NEW.popularity, code = NEW.code, agency_id = NEW.agency_id
        WHERE service_id = NEW.id;
        RETURN NULL;
      END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_service_search" AFTER UPDATE OF "popularity", "code", "agency_id" ON "service"
       FOR EACH ROW WHEN (OLD.popularity IS DISTINCT FROM NEW.popularity OR OLD.code IS DISTINCT FROM NEW.code
         OR OLD.agency_id IS DISTINCT FROM NEW.agency_id)
       EXECUTE FUNCTION registry_service_search_service()`,
    );
    // The services published before this migration.
    await queryRunner.query(
      `INSERT INTO service_search (service_id, edition_id, code, popularity, agency_id,
         title_search_ar, title_search_en, body_search_ar, body_search_en, search_ar, search_en,
         audience, channel_types, life_events, is_free, online_only)
       SELECT s.id, e.id, s.code, s.popularity, s.agency_id, e.title_search_ar, e.title_search_en,
         e.body_search_ar, e.body_search_en, e.search_ar, e.search_en, e.audience,
         e.channel_types, e.life_events, e.is_free, e.online_only
       FROM service_edition e JOIN service s ON s.id = e.service_id WHERE e.status = 'published'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Search goes back to reading service_edition (the previous catalogue-sql.ts); nothing
    // but derived data is lost.
    await queryRunner.query(`DROP TRIGGER "tr_service_search" ON "service"`);
    await queryRunner.query(`DROP FUNCTION registry_service_search_service()`);
    await queryRunner.query(`DROP TRIGGER "tr_service_edition_search" ON "service_edition"`);
    await queryRunner.query(`DROP FUNCTION registry_service_search_edition()`);
    await queryRunner.query(`DROP TABLE "service_search"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistryEditionAgency1795989896333 implements MigrationInterface {
  name = 'RegistryEditionAgency1795989896333';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Filled from the service for editions that exist already, then required.
    await queryRunner.query(`ALTER TABLE "service_edition" ADD "agency_id" uuid`);
    await queryRunner.query(
      `UPDATE "service_edition" e SET "agency_id" = s."agency_id" FROM "service" s WHERE s."id" = e."service_id"`,
    );
    await queryRunner.query(`ALTER TABLE "service_edition" ALTER COLUMN "agency_id" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "ix_service_edition_agency" ON "service_edition"  ("agency_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_service_edition_agency"`);
    await queryRunner.query(`ALTER TABLE "service_edition" DROP COLUMN "agency_id"`);
  }
}

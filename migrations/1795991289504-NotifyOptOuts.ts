import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyOptOuts1795991289504 implements MigrationInterface {
  name = 'NotifyOptOuts1795991289504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_opt_out" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_hash" character(64) NOT NULL, "agency_id" uuid NOT NULL, "channel" character varying(8) NOT NULL, "source" character varying(20) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f194736e815ae842d3f729680bf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_opt_out" ON "notification_opt_out"  ("subject_hash", "agency_id", "channel") `,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_opt_out" ADD CONSTRAINT "FK_a3741973f5c3b3f31ff3a3548a2" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_opt_out" DROP CONSTRAINT "FK_a3741973f5c3b3f31ff3a3548a2"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_notification_opt_out"`);
    await queryRunner.query(`DROP TABLE "notification_opt_out"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EkeyRelyingPartyApiClient1795997231153 implements MigrationInterface {
  name = 'EkeyRelyingPartyApiClient1795997231153';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ekey_oidc_client" ADD "api_client_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ekey_oidc_client" DROP COLUMN "api_client_id"`);
  }
}

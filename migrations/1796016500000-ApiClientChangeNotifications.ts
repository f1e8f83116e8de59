import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to what authenticating an API key reads (revocation, expiry, scopes, secret,
 * agency) or a deleted client is announced on the channel `diwan_api_client` with the key id,
 * when its transaction commits, so each instance's cache of presented keys drops it at once.
 * `last_used_at` is left out: it changes once a minute per client and means nothing to the cache.
 */
export class ApiClientChangeNotifications1796016500000 implements MigrationInterface {
  name = 'ApiClientChangeNotifications1796016500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION api_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('diwan_api_client', OLD.key_id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER api_client_changed AFTER UPDATE OF key_id, secret_hash, scopes, agency_id, name, expires_at, revoked_at OR DELETE ON "api_client" FOR EACH ROW EXECUTE FUNCTION api_client_changed()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_client_changed ON "api_client"`);
    await queryRunner.query(`DROP FUNCTION api_client_changed()`);
  }
}

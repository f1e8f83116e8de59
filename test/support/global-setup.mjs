/**
 * Migrates one template database per test run; each test file then gets its own copy
 * (PostgreSQL: CREATE DATABASE … TEMPLATE; embedded: a PGlite started from a dump), so
 * files never see each other's rows and no file pays for migrations.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
// Jest loads global setup outside its module system, so it uses the build (`npm test` builds first).
import { MIGRATIONS } from '../../dist/migrations/index.js';
import { startEmbeddedPostgres } from '../../dist/src/platform/database/embedded-postgres.js';

async function migrate(url) {
  const ds = await new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    logging: ['error'],
  }).initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

export default async function globalSetup() {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `diwan_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    process.env.DIWAN_TEST_TEMPLATE_DB = name;
  } else {
    const embedded = await startEmbeddedPostgres({});
    await migrate(embedded.url);
    const dump = await embedded.dump();
    await embedded.stop();
    mkdirSync('tmp', { recursive: true });
    const file = `tmp/test-template-${process.pid}.tar.gz`;
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env.DIWAN_TEST_PGLITE_DUMP = file;
    process.stdout.write(
      '\n[tests] DATABASE_URL is unset: running on the embedded database (PGlite)\n',
    );
  }
  if (!process.env.REDIS_URL)
    process.stdout.write('[tests] REDIS_URL is unset: queues run in-process\n');
}

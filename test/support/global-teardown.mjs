import { rmSync } from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const base = process.env.DATABASE_URL;
  const template = process.env.DIWAN_TEST_TEMPLATE_DB;
  if (base && template) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  }
  if (process.env.DIWAN_TEST_PGLITE_DUMP)
    rmSync(process.env.DIWAN_TEST_PGLITE_DUMP, { force: true });
}

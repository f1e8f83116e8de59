import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded-postgres.js';

export interface TestDatabase {
  url: string;
  embedded: boolean;
  /** A plain pg client for assertions and set-up that bypass the app (use sparingly). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  let url: string;
  let cleanup: () => Promise<void>;
  if (base) {
    const template = process.env.DIWAN_TEST_TEMPLATE_DB;
    if (!template) throw new Error('globalSetup did not create the template database');
    const name = `diwan_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dump = process.env.DIWAN_TEST_PGLITE_DUMP;
    if (!dump) throw new Error('globalSetup did not create the template dump');
    const embedded = await startEmbeddedPostgres({
      loadFrom: new Blob([readFileSync(dump)]),
      maxConnections: 16,
    });
    url = embedded.url;
    cleanup = () => embedded.stop();
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection the server ends (the file's database dropped WITH (FORCE) while a
  // connection was still closing) is discarded by the pool; without a listener, the pool's
  // 'error' event would fail the whole test file after its tests passed.
  pool.on('error', () => {});
  return {
    url,
    embedded: !base,
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async drop() {
      await pool.end();
      await cleanup();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type TestAgent from 'supertest/lib/agent.js';
import { type Diwan, startDiwan } from '../../src/bootstrap.js';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import type { Actor, ApiScope } from '../../src/platform/auth/roles.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ADMIN = { email: 'admin@test.diwan', password: 'correct horse battery staple' };
export const ADMIN_ACTOR_LABEL = TEST_ADMIN.email;

/** Collects every JSON log line, so tests can assert what never reaches a log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  diwan: Diwan;
  db: TestDatabase;
  logs: LogCapture;
  http(): TestAgent;
  /** Resolve any provider (services) from the running app. */
  get<T>(type: abstract new (...args: never[]) => T): T;
  /** The bootstrap admin as an actor, for set-up through services. */
  admin: Actor;
  close(): Promise<void>;
}

/**
 * One app and one database per test file (CONVENTIONS.md §14): real PostgreSQL (or the
 * embedded one), real Redis when REDIS_URL is set (with a key prefix of its own).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const logs = new LogCapture();
  // AdminJS: no bundling or watcher in tests (see STACK-NOTES.md).
  process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    // The embedded database takes one connection (see data-source-options.ts).
    DATABASE_POOL_MAX: db.embedded ? '1' : '5',
    DATABASE_IS_EMBEDDED: String(db.embedded),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_PREFIX: `diwan_t_${randomBytes(4).toString('hex')}`,
    PORT: '0',
    LOG_LEVEL: 'info',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DIWAN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_JS_TMP_DIR: './tmp/adminjs-test',
    COOKIE_SECURE: 'false',
    ...env,
  });
  let diwan: Diwan;
  try {
    diwan = await startDiwan(config, { listen: false, logDestination: logs });
  } catch (e) {
    await db.drop();
    throw e;
  }
  if (db.embedded) {
    // Assertions share the app's single connection, so they never interleave with it.
    const pool = (diwan.app.get(DataSource).driver as PostgresDriver).master as pg.Pool;
    db.query = async <T>(sql: string, params?: unknown[]) =>
      (await pool.query(sql, params)).rows as T[];
  }
  const server = diwan.http?.getHttpServer();
  const adminRow = await db.query<{ id: string }>('SELECT id FROM staff_member WHERE email = $1', [
    TEST_ADMIN.email,
  ]);
  return {
    diwan,
    db,
    logs,
    http: () => request.agent(server),
    get: (type) => diwan.app.get(type, { strict: false }),
    admin: {
      type: 'staff',
      id: adminRow[0].id,
      label: TEST_ADMIN.email,
      role: 'admin',
      agencyId: null,
    },
    async close() {
      await diwan.close();
      await db.drop();
    },
  };
}

let agencySeq = 0;
/** A small factory: an agency with a unique code. */
export async function makeAgency(
  t: TestApp,
  overrides: { code?: string; nameAr?: string; nameEn?: string; parentId?: string | null } = {},
) {
  agencySeq += 1;
  const code = overrides.code ?? `AG${agencySeq}${randomBytes(2).toString('hex').toUpperCase()}`;
  return t.get(AgencyService).create(t.admin, {
    code,
    nameAr: overrides.nameAr ?? `جهة ${agencySeq}`,
    nameEn: overrides.nameEn ?? `Agency ${agencySeq}`,
    parentId: overrides.parentId ?? null,
  });
}

/** A small factory: an API client with the given scopes, returning its key. */
export async function makeApiClient(
  t: TestApp,
  agencyId: string,
  scopes: ApiScope[],
  name = 'test e-service',
) {
  return t.get(ApiClientService).create(t.admin, { name, agencyId, scopes });
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL for a machine with no database server: PGlite (PostgreSQL 18 in
 * WebAssembly) served over the wire protocol, so Diwan connects with the same `pg` driver,
 * pool and migrations as in production. PGlite runs one query at a time; code that opens
 * a transaction must use only that transaction's manager until it ends.
 */
export interface EmbeddedPostgres {
  readonly url: string;
  readonly maxConnections: number;
  stop(): Promise<void>;
  /** The whole data folder as a tarball (used by the tests' migrated template). */
  dump(): Promise<Blob>;
}

export interface EmbeddedPostgresOptions {
  /** Folder to persist in; `undefined` keeps everything in memory. */
  dataDir?: string;
  /** A tarball from `dump()` to start from (in-memory only). */
  loadFrom?: Blob;
  maxConnections?: number;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir, {
    extensions: { pg_trgm },
    ...(options.loadFrom ? { loadDataDir: options.loadFrom } : {}),
  });
  const maxConnections = options.maxConnections ?? 10;
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const conn = server.getServerConn();
  return {
    url: `postgresql://postgres:postgres@${conn}/postgres`,
    maxConnections,
    async stop() {
      await server.stop();
      await db.close();
    },
    dump: () => db.dumpDataDir('gzip'),
  };
}

import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  let unlock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  try {
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
        try {
          await server.stop();
          await db.close();
        } finally {
          unlock();
        }
      },
      dump: () => db.dumpDataDir('gzip'),
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

/** Another process holds the embedded database's folder. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Diwan process (pid ${pid}). ` +
        'Only one process may open it: stop that one first (Ctrl-C where `npm start` runs), ' +
        'or set DATABASE_URL to share a PostgreSQL server. If no such process runs, delete ' +
        `${join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

const LOCK_FILE = 'diwan.lock';
/** Lock files held by this process (a pid of our own in a lock file is otherwise stale). */
const lockedHere = new Set<string>();

/**
 * PGlite keeps the whole database in the memory of the process that opened the folder and
 * writes it back as it goes, with no lock of its own: a second process on the same folder
 * (`npm run seed:demo` beside `npm start`) would see another state, and each would overwrite
 * the other's files. So the folder is locked by a file holding the owner's pid, created
 * atomically; a lock left by a process that no longer runs (killed, crashed) is taken over.
 * Returns the release, also run if the process exits without stopping the database.
 */
function lockDataDir(dataDir: string): () => void {
  const file = resolve(dataDir, LOCK_FILE);
  if (lockedHere.has(file)) throw new EmbeddedDatabaseInUseError(dataDir, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner))
        throw new EmbeddedDatabaseInUseError(dataDir, owner);
      unlinkSync(file); // stale: its process is gone
    }
  }
  lockedHere.add(file);
  const release = () => {
    if (!lockedHere.delete(file)) return;
    process.removeListener('exit', release);
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

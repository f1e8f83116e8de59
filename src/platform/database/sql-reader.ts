import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Tx } from './transaction-runner.js';

/**
 * One read statement as the pg driver takes it. With a `name`, pg prepares the statement once
 * per connection and PostgreSQL reuses its plan (for hot queries whose planning costs about as
 * much as running them); the name must be the same for the same text and differ otherwise.
 */
export interface ReadQuery {
  name?: string;
  text: string;
  values: unknown[];
}

const statementNames = new Map<string, string>();

/**
 * A prepared statement's name derived from its text: the same text always gets the same name,
 * different texts different names (`<prefix>_<sha1>`, within PostgreSQL's 63-byte limit).
 * Memoised: callers build statement texts from a bounded set of shapes.
 */
export function statementName(prefix: string, text: string): string {
  const key = `${prefix}\0${text}`;
  let name = statementNames.get(key);
  if (!name) {
    name = `${prefix}_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(key, name);
  }
  return name;
}

interface PgPool {
  query<R>(q: ReadQuery): Promise<{ rows: R[] }>;
}

/**
 * Runs one read statement outside any transaction, straight on the driver's pg pool
 * (`pool.query`: one checkout, one round trip), without a TypeORM query runner around it: for
 * the hot public reads, where acquiring and releasing a runner cost a measurable share of the
 * request. The embedded database (PGlite) is one session shared by successive connections, where
 * a prepared statement's name could already exist: there the statement goes through TypeORM,
 * unnamed.
 */
export function readRows<T>(dataSource: DataSource, q: ReadQuery, embedded: boolean): Promise<T[]> {
  if (embedded) return dataSource.query<T[]>(q.text, q.values);
  return poolOf(dataSource)
    .query<T>(q)
    .then((r) => r.rows);
}

/**
 * One statement inside a transaction, on the transaction's own connection: with a `name`, pg
 * prepares it once per connection (for a hot write whose parsing and planning are a share of
 * its cost). Unnamed on the embedded database, for the reason `readRows` gives.
 */
export async function rowsInTransaction<T>(tx: Tx, q: ReadQuery, embedded: boolean): Promise<T[]> {
  if (embedded || !q.name) return tx.manager.query<T[]>(q.text, q.values);
  // TypeORM's postgres query runner keeps its checked-out pg client as `databaseConnection`.
  const client = (tx.manager.queryRunner as unknown as { databaseConnection?: PgPool })
    .databaseConnection;
  if (!client) throw new Error('the transaction has no database connection');
  return (await client.query<T>(q)).rows;
}

const pools = new WeakMap<DataSource, PgPool>();

function poolOf(dataSource: DataSource): PgPool {
  let pool = pools.get(dataSource);
  if (!pool) {
    // TypeORM's postgres driver keeps its pg.Pool as `master` (no replication configured).
    pool = (dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool)
      throw new Error('the database driver has no pg pool (is the data source initialised?)');
    pools.set(dataSource, pool);
  }
  return pool;
}

/** `readRows` for a data source, as an injectable (the database module provides it). */
export class SqlReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly embedded: boolean,
  ) {}

  rows<T>(q: ReadQuery): Promise<T[]> {
    return readRows<T>(this.dataSource, q, this.embedded);
  }
}

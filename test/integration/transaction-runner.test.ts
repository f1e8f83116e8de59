import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type Logger } from 'typeorm';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A data source on the test database that keeps every statement it sends. */
async function recordingDataSource(url: string, poolSize = 2) {
  const sent: string[] = [];
  const logger: Logger = {
    logQuery: (query) => void sent.push(query),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const ds = new DataSource({ type: 'postgres', url, logging: ['query'], logger, poolSize });
  await ds.initialize();
  return { ds, sent };
}

const levelInside = (runner: TransactionRunner, level?: 'SERIALIZABLE' | 'REPEATABLE READ') =>
  runner.run(
    async (tx) =>
      (
        await tx.manager.query<Array<{ level: string }>>(
          `SELECT current_setting('transaction_isolation') AS level`,
        )
      )[0].level,
    level,
  );

describe('TransactionRunner', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db.drop());

  it('runs at READ COMMITTED without asking for it when that is the server default', async () => {
    const { ds, sent } = await recordingDataSource(db.url);
    const runner = new TransactionRunner(ds);
    expect(await levelInside(runner)).toBe('read committed');
    expect(sent.filter((q) => /ISOLATION LEVEL/i.test(q))).toEqual([]);
    sent.length = 0;
    expect(await levelInside(runner, 'SERIALIZABLE')).toBe('serializable');
    expect(sent).toContain('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await ds.destroy();
  });

  it('asks for READ COMMITTED when the server starts transactions at another level', async () => {
    // One connection, whose sessions default to REPEATABLE READ.
    const { ds, sent } = await recordingDataSource(db.url, 1);
    await ds.query(`SET default_transaction_isolation = 'repeatable read'`);
    const runner = new TransactionRunner(ds);
    expect(await levelInside(runner)).toBe('read committed');
    expect(sent).toContain('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    expect(await levelInside(runner, 'REPEATABLE READ')).toBe('repeatable read');
    await ds.query('RESET default_transaction_isolation');
    await ds.destroy();
  });
});

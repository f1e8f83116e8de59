import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * An open database transaction, handed from a service to its repositories. Services only
 * pass it along; repositories use `tx.manager`. While a transaction is open, everything in
 * it must go through this manager (PGlite serialises connections; PostgreSQL would see a
 * different snapshot).
 */
export interface Tx {
  readonly manager: EntityManager;
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

@Injectable()
export class TransactionRunner {
  /** The server's level for a transaction that asks for none (checked once). */
  private defaultLevel?: Promise<string>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction at `isolation`. TypeORM asks for a level with a statement
   * of its own after `START TRANSACTION`: one round trip more for every transaction. When the
   * level asked for is the server's default (READ COMMITTED unless `default_transaction_isolation`
   * says otherwise), that statement is left out.
   */
  async run<T>(
    work: (tx: Tx) => Promise<T>,
    isolation: IsolationLevel = 'READ COMMITTED',
  ): Promise<T> {
    const run = (manager: EntityManager) => work({ manager });
    if ((await this.serverDefault()) === isolation) return this.dataSource.transaction(run);
    return this.dataSource.transaction(isolation, run);
  }

  private serverDefault(): Promise<string> {
    this.defaultLevel ??= this.dataSource
      .query<Array<{ level: string }>>(
        `SELECT current_setting('default_transaction_isolation') AS level`,
      )
      .then(([row]) => row.level.toUpperCase())
      .catch((err: unknown) => {
        this.defaultLevel = undefined; // ask again next time
        throw err;
      });
    return this.defaultLevel;
  }
}

/** The manager to use: the transaction's when there is one, the pool's otherwise. */
export function managerOf(dataSource: DataSource, tx?: Tx): EntityManager {
  return tx?.manager ?? dataSource.manager;
}

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    return this.dataSource.transaction(isolation, (manager) => work({ manager }));
  }
}

/** The manager to use: the transaction's when there is one, the pool's otherwise. */
export function managerOf(dataSource: DataSource, tx?: Tx): EntityManager {
  return tx?.manager ?? dataSource.manager;
}

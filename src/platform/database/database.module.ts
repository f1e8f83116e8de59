import { type DynamicModule, Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { DatabaseNotifications } from './database-notifications.js';
import { dataSourceOptions } from './data-source-options.js';
import { SqlReader } from './sql-reader.js';
import { TransactionRunner } from './transaction-runner.js';

/**
 * TypeORM over PostgreSQL (or the embedded PGlite, reached with the same driver). Entities
 * are registered by each module with `TypeOrmModule.forFeature`; pending migrations run
 * here, before any module can touch the database.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(db: DatabaseConfig & { url: string }, logger: Logger): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(db), autoLoadEntities: true }),
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            if (db.migrationsRun) {
              const applied = await ds.runMigrations({ transaction: 'each' });
              if (applied.length)
                logger.info(
                  { migrations: applied.map((m) => m.name) },
                  `applied ${applied.length} migration(s)`,
                );
            }
            return ds;
          },
        }),
      ],
      providers: [
        TransactionRunner,
        DatabaseNotifications,
        {
          provide: SqlReader,
          inject: [getDataSourceToken()],
          useFactory: (ds: DataSource) => new SqlReader(ds, db.embedded),
        },
      ],
      exports: [TransactionRunner, SqlReader, DatabaseNotifications],
    };
  }
}

import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import type { DatabaseConfig } from '../config/config.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * TypeORM options shared by the app, the migration CLI and the tests.
 * `synchronize` is never on: the schema comes from `migrations/` only.
 */
export function dataSourceOptions(
  db: DatabaseConfig & { url: string },
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: db.logQueries ? 'all' : ['error'],
    namingStrategy: new SnakeNamingStrategy(),
    // PGlite has gen_random_uuid() built in and cannot install extensions over the wire.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: {
      // PGlite's socket server interleaves extended-protocol messages of concurrent
      // connections (a Bind meant for one statement lands on another), so the embedded
      // database gets exactly one connection: queries queue in the pool instead.
      max: db.embedded ? 1 : db.poolMax,
      application_name: 'diwan',
      // bigint (int8) and numeric come back as strings: money stays exact.
    },
  };
}

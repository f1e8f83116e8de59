/**
 * `migration.js run|revert|generate <Name>|check`
 * generate and check compare the entities with a scratch database migrated from zero, so the
 * result never depends on the state of anyone's development database.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../platform/config/config.js';
import { dataSourceOptions } from '../platform/database/data-source-options.js';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres.js';
import { loadAllEntities, SRC_DIR } from './script-support.js';

const MIGRATIONS_DIR = join(SRC_DIR, '..', '..', 'migrations');

async function withScratchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedPostgres({});
    try {
      return await work(embedded.url);
    } finally {
      await embedded.stop();
    }
  }
  const name = `diwan_scratch_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function pendingSchemaChanges(url: string, onlyUnder?: string) {
  const config = loadConfig({ ...process.env, DATABASE_URL: url });
  const ds = await new DataSource(
    dataSourceOptions({ ...config.database, url }, await loadAllEntities(onlyUnder)),
  ).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    return await ds.driver.createSchemaBuilder().log();
  } finally {
    await ds.destroy();
  }
}

const q = (s: string) => '`' + s.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';

async function main() {
  const [command, name] = process.argv.slice(2);
  // `--only src/modules/x`: compare only the platform's and that module's entities, so two
  // people generating migrations for different modules at once do not pick up each other's.
  const onlyIndex = process.argv.indexOf('--only');
  const onlyUnder = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;
  switch (command) {
    case 'run':
    case 'revert': {
      const config = loadConfig(process.env);
      if (!config.database.url)
        throw new Error(
          'DATABASE_URL is required (the embedded database migrates itself at start)',
        );
      const ds = await new DataSource(
        dataSourceOptions(
          { ...config.database, url: config.database.url },
          await loadAllEntities(),
        ),
      ).initialize();
      if (command === 'run')
        console.log(
          `applied: ${(await ds.runMigrations({ transaction: 'each' })).map((m) => m.name).join(', ') || 'nothing pending'}`,
        );
      else await ds.undoLastMigration({ transaction: 'each' });
      await ds.destroy();
      return;
    }
    case 'check': {
      const { upQueries } = await withScratchDatabase(pendingSchemaChanges);
      if (upQueries.length) {
        console.error(
          `The entities and the migrations disagree; run "npm run migration:generate -- <Name>". Pending:\n${upQueries.map((u) => `  ${u.query}`).join('\n')}`,
        );
        process.exit(1);
      }
      console.log('migrations match the entities');
      return;
    }
    case 'generate': {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
        throw new Error('usage: migration:generate -- <PascalCaseName>');
      const { upQueries, downQueries } = await withScratchDatabase((url) =>
        pendingSchemaChanges(url, onlyUnder),
      );
      if (!upQueries.length) {
        console.log('no changes');
        return;
      }
      const ts = Date.now();
      const className = `${name}${ts}`;
      const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${upQueries.map((u) => `    await queryRunner.query(${q(u.query)});`).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${downQueries
  .reverse()
  .map((u) => `    await queryRunner.query(${q(u.query)});`)
  .join('\n')}
  }
}
`;
      const file = `${ts}-${name}`;
      writeFileSync(join(MIGRATIONS_DIR, `${file}.ts`), body);
      const index = join(MIGRATIONS_DIR, 'index.ts');
      const text = readFileSync(index, 'utf8');
      writeFileSync(
        index,
        text.replace(
          /(\/\/ Every migration[^\n]*\n(?:\/\/[^\n]*\n)*)/,
          `$1import { ${className} } from './${file}.js';\n`,
        ),
      );
      appendFileSync(index, '');
      const updated = readFileSync(index, 'utf8').replace(
        /export const MIGRATIONS: Function\[\] = \[([^\]]*)\];/,
        (_, list: string) =>
          `export const MIGRATIONS: Function[] = [${[
            ...list
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            className,
          ].join(', ')}];`,
      );
      writeFileSync(index, updated);
      console.log(`wrote migrations/${file}.ts (review it before committing)`);
      return;
    }
    default:
      throw new Error('usage: migration.js run|revert|generate <Name>|check');
  }
}

await main();

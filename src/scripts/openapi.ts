/**
 * `openapi.js write|check`: builds the OpenAPI document from the controllers' metadata
 * (Nest preview mode: no provider is instantiated, no database is touched) and writes
 * docs/openapi.json, or fails when the committed one has drifted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../platform/config/config.js';
import { buildOpenApi } from '../platform/http/openapi.js';
import { createRootLogger } from '../platform/logging/logger.js';
import { SRC_DIR } from './script-support.js';

export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({
    DATABASE_URL: 'postgresql://preview@127.0.0.1:1/preview',
    ADMIN_ENABLED: 'false',
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(
      { ...config, database: { ...config.database, url: config.database.url! } },
      createRootLogger('silent'),
    ),
    { preview: true, logger: false, abortOnError: false },
  );
  const text = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  await app.close();
  return text;
}

const file = join(SRC_DIR, '..', '..', 'docs', 'openapi.json');
const text = await renderOpenApi();
if (process.argv[2] === 'check') {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    /* a missing file counts as drift */
  }
  if (committed !== text) {
    process.stderr.write(
      'docs/openapi.json is out of date: run "npm run openapi:write" and commit it\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/openapi.json is up to date\n');
} else {
  writeFileSync(file, text);
  process.stdout.write('wrote docs/openapi.json\n');
}

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { DiwanConfig } from './platform/config/config.js';
import { StaffService } from './platform/auth/staff.service.js';
import {
  EmbeddedDatabaseInUseError,
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from './platform/database/embedded-postgres.js';
import { configureHttp } from './platform/http/http-setup.js';
import { buildOpenApi, serveOpenApi } from './platform/http/openapi.js';
import { createRootLogger, PinoNestLogger } from './platform/logging/logger.js';
import { Metrics } from './platform/metrics/metrics.js';

export interface Diwan {
  /** The HTTP application (api and all roles) or the bare context (worker role). */
  app: NestExpressApplication | INestApplicationContext;
  http?: NestExpressApplication;
  config: DiwanConfig & { database: { url: string } };
  logger: Logger;
  /** Base URL once listening. */
  url?: string;
  firstAdmin?: { email: string; generatedPassword?: string };
  close(): Promise<void>;
}

export interface StartOptions {
  listen?: boolean;
  logDestination?: NodeJS.WritableStream;
}

/**
 * Starts Diwan as README's first command does: embedded PostgreSQL when DATABASE_URL is
 * unset, in-process queues when REDIS_URL is unset, migrations, first admin, HTTP.
 * The e2e tests start it through this same function.
 */
export async function startDiwan(
  baseConfig: DiwanConfig,
  options: StartOptions = {},
): Promise<Diwan> {
  const started = performance.now();
  const logger = createRootLogger(baseConfig.app.logLevel, options.logDestination);
  let embedded: EmbeddedPostgres | undefined;
  if (!baseConfig.database.url) {
    embedded = await startEmbeddedPostgres({
      dataDir: baseConfig.database.dataDir,
      maxConnections: baseConfig.database.poolMax + 4,
    });
    logger.info(
      { dataDir: baseConfig.database.dataDir },
      'database: embedded PostgreSQL (PGlite), for trying Diwan; use DATABASE_URL in production',
    );
  } else {
    logger.info('database: PostgreSQL from DATABASE_URL');
  }
  const config = {
    ...baseConfig,
    database: { ...baseConfig.database, url: baseConfig.database.url ?? embedded!.url },
  };
  logger.info(
    config.redis.url
      ? 'queues: Bull on Redis (REDIS_URL)'
      : 'queues: in-process (REDIS_URL unset); rate limits are per process',
  );
  for (const name of config.security.generatedSecrets)
    logger.warn(`${name} is not set: using a development value; set it in production`);

  const module = AppModule.forRoot(config, logger);
  const nestLogger = new PinoNestLogger(logger);
  let app: NestExpressApplication | INestApplicationContext;
  let http: NestExpressApplication | undefined;
  try {
    if (config.app.role === 'worker') {
      app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    } else {
      http = await NestFactory.create<NestExpressApplication>(module, {
        logger: nestLogger,
        bodyParser: false,
        abortOnError: false,
      });
      configureHttp(http, config.app, logger, http.get(Metrics));
      serveOpenApi(http, buildOpenApi(http));
      app = http;
    }
    await app.init();
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  const firstAdmin = await app.get(StaffService).ensureFirstAdmin();
  if (firstAdmin.generatedPassword) {
    // Printed once, outside the JSON log, so it does not end up in log storage.
    process.stdout.write(
      `\n  First admin account: ${firstAdmin.email}\n  One-time password:   ${firstAdmin.generatedPassword}\n  (change it at first sign-in at /admin)\n\n`,
    );
  }
  let url: string | undefined;
  if (http && options.listen !== false) {
    await http.listen(config.app.port, config.app.host);
    const address = http.getHttpServer().address() as { port: number } | null;
    url = `http://${config.app.host}:${address?.port ?? config.app.port}`;
  }
  logger.info(
    { role: config.app.role, url, startupMs: Math.round(performance.now() - started) },
    'Diwan started',
  );
  return {
    app,
    http,
    config,
    logger,
    url,
    firstAdmin: firstAdmin.created ? firstAdmin : undefined,
    async close() {
      await app.close();
      await embedded?.stop();
      logger.flush();
    },
  };
}

/**
 * `startDiwan` for a command-line process (`npm start`, `npm run seed:demo`): when another
 * process holds the embedded database, it says so on stderr and exits 75 (EX_TEMPFAIL: try
 * again once that one has stopped) instead of failing with a stack trace.
 */
export async function startDiwanOrExit(
  config: DiwanConfig,
  options: StartOptions = {},
): Promise<Diwan> {
  try {
    return await startDiwan(config, options);
  } catch (e) {
    if (!(e instanceof EmbeddedDatabaseInUseError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(75);
  }
}

import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Express, NextFunction, Request, Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { DiwanConfig } from '../platform/config/config.js';
import { DIWAN_CONFIG } from '../platform/config/config.tokens.js';
import { StaffService } from '../platform/auth/staff.service.js';
import { ROOT_LOGGER } from '../platform/logging/logger.tokens.js';
import { rateLimited } from '../platform/rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../platform/rate-limit/rate-limiter.js';
import { sendProblem } from '../platform/errors/problem-details.filter.js';
import type { StaffSession } from './admin-actor.js';
import { mountDashboards } from './dashboards/dashboard-routes.js';
import { NAVIGATION_SCRIPT } from './dashboards/dashboard-page.js';
import { ekeyResources } from './resources/ekey.resources.js';
import { notificationsResources } from './resources/notifications.resources.js';
import { notifyResources } from './resources/notify.resources.js';
import { paymentsResources } from './resources/payments.resources.js';
import { platformResources } from './resources/platform.resources.js';
import { registryResources } from './resources/registry.resources.js';
import { strategyResources } from './resources/strategy.resources.js';
import type { Resolve, ResourceFactory } from './resources/resource-context.js';

/** Every module's back-office resources; each factory resolves the services it needs. */
const RESOURCE_FACTORIES: ResourceFactory[] = [
  platformResources,
  registryResources,
  notificationsResources,
  notifyResources,
  paymentsResources,
  ekeyResources,
  strategyResources,
];

/**
 * AdminJS at /admin: staff sign in (argon2id, lockout, per-address rate limit), sessions
 * in PostgreSQL, resources whose writes go through the modules' services.
 * Mounted directly on Express (not @adminjs/nestjs) so it sits after Diwan's correlation-id,
 * security-header and logging middleware, and never starts a file watcher.
 */
@Module({})
export class AdminPanelModule implements OnModuleInit, BeforeApplicationShutdown {
  private sessionStore?: { close(): void };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly staff: StaffService,
    private readonly limiter: RateLimiter,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig & { database: { url: string } },
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Stops the session store's pruning timer before the shared pool closes. */
  beforeApplicationShutdown(): void {
    this.sessionStore?.close();
  }

  static forRoot(_config: DiwanConfig): DynamicModule {
    return { module: AdminPanelModule };
  }

  async onModuleInit(): Promise<void> {
    // AdminJS reads its bundle folder from the environment when first imported.
    const tmpDir = resolvePath(this.config.admin.tmpDir);
    mkdirSync(tmpDir, { recursive: true });
    process.env.ADMIN_JS_TMP_DIR = tmpDir;
    const [
      { default: AdminJS, BaseProperty },
      { buildAuthenticatedRouter },
      typeormAdapter,
      session,
      { default: connectPgSimple },
    ] = await Promise.all([
      import('adminjs'),
      import('@adminjs/express'),
      import('@adminjs/typeorm'),
      import('express-session'),
      import('connect-pg-simple'),
    ]);
    AdminJS.registerAdapter({
      Resource: typeormAdapter.Resource,
      Database: typeormAdapter.Database,
    });

    const resolve: Resolve = (type) => this.moduleRef.get(type, { strict: false });
    const admin = new AdminJS({
      rootPath: '/admin',
      loginPath: '/admin/login',
      logoutPath: '/admin/logout',
      resources: RESOURCE_FACTORIES.flatMap((f) =>
        f(resolve, { BaseProperty, TypeormResource: typeormAdapter.Resource }),
      ),
      branding: { companyName: 'Diwan ديوان', withMadeWithLove: false },
      locale: { language: 'en', availableLanguages: ['en', 'ar'] },
      // Links to the server-rendered dashboards (src/admin/dashboards), for the signed-in role.
      assets: { scripts: ['/admin/dashboards/nav.js'] },
    });
    await admin.initialize();

    // Sessions share TypeORM's pool: one pool per process, one connection on the embedded database.
    const pool = (this.dataSource.driver as PostgresDriver).master as pg.Pool;
    const PgStore = connectPgSimple(session.default);
    const router = buildAuthenticatedRouter(
      admin,
      {
        cookieName: 'diwan_admin',
        cookiePassword: this.config.security.sessionSecret,
        authenticate: async (email: string, password: string, ctx?: { req: Request }) => {
          const s = await this.staff.authenticate(
            String(email ?? ''),
            String(password ?? ''),
            ctx?.req.ip,
          );
          if (!s) return null;
          const sessionUser: StaffSession = {
            id: s.id,
            email: s.email,
            title: `${s.name} (${s.role})`,
            role: s.role,
            agencyId: s.agencyId,
          };
          return sessionUser;
        },
      },
      null,
      {
        store: (this.sessionStore = new PgStore({
          pool,
          tableName: 'admin_session',
          createTableIfMissing: false,
          pruneSessionInterval: 15 * 60,
        })),
        secret: this.config.security.sessionSecret,
        name: 'diwan_admin',
        resave: false,
        saveUninitialized: false,
        rolling: true,
        cookie: {
          httpOnly: true,
          sameSite: 'lax',
          secure: this.config.security.cookieSecure,
          maxAge: 8 * 3600_000,
          path: '/admin',
        },
      },
    );
    // After the router's sign-in check: every dashboard route needs the AdminJS session.
    mountDashboards(router, resolve, this.logger);
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    const loginLimit = this.config.security.loginRateLimitPerMinute;
    app.post('/admin/login', async (req: Request, res: Response, next: NextFunction) => {
      try {
        const d = await this.limiter.hit(`admin-login:${req.ip ?? 'unknown'}`, loginLimit, 60);
        if (!d.allowed)
          return sendProblem(
            res,
            req,
            rateLimited(d.retryAfter, 'Too many sign-in attempts from this address'),
            this.logger,
          );
        next();
      } catch (e) {
        next(e);
      }
    });
    // The link-bar script is the same for everyone and loads on the sign-in page too.
    app.get('/admin/dashboards/nav.js', (_req: Request, res: Response) => {
      res
        .type('application/javascript')
        .setHeader('Cache-Control', 'public, max-age=300')
        .send(NAVIGATION_SCRIPT);
    });
    app.use('/admin', router);
    this.logger.info('back office: AdminJS at /admin');
  }
}

import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AgencyController } from './agencies/agency.controller.js';
import { Agency } from './agencies/agency.entity.js';
import { AgencyRepository } from './agencies/agency.repository.js';
import { AgencyService } from './agencies/agency.service.js';
import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { ApiClient } from './auth/api-client.entity.js';
import { ApiClientController } from './auth/api-client.controller.js';
import { ApiClientRepository } from './auth/api-client.repository.js';
import { ApiClientService } from './auth/api-client.service.js';
import { ApiKeyStrategy } from './auth/api-key.strategy.js';
import { ApiClientAuthGuard, ScopesGuard } from './auth/guards.js';
import { StaffMember } from './auth/staff-member.entity.js';
import { StaffRepository } from './auth/staff.repository.js';
import { StaffService } from './auth/staff.service.js';
import { Clock } from './clock.js';
import type { DiwanConfig } from './config/config.js';
import {
  ADMIN_CONFIG,
  APP_CONFIG,
  DATABASE_CONFIG,
  DIWAN_CONFIG,
  REDIS_CONFIG,
  SECURITY_CONFIG,
} from './config/config.tokens.js';
import { FieldCipher } from './crypto/field-cipher.js';
import { PasswordHasher } from './crypto/password-hasher.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { ROOT_LOGGER } from './logging/logger.tokens.js';
import { Metrics } from './metrics/metrics.js';
import { BullQueues } from './queue/bull-queues.js';
import { InProcessQueues } from './queue/in-process-queues.js';
import { JobQueues } from './queue/job-queues.js';
import { ScheduledTask } from './queue/scheduled-task.entity.js';
import { Scheduler } from './queue/scheduler.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from './rate-limit/rate-limiter.js';
import { PublicFastRoutes } from './http/public-fast-routes.js';
import { REDIS_CLIENT } from './redis/redis.tokens.js';

/**
 * Shared infrastructure every module may inject: config areas, database, queues, audit,
 * agencies, staff and API clients, rate limits, metrics. Global, imported once by AppModule.
 */
@Global()
@Module({})
export class PlatformModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly queues: JobQueues,
  ) {}

  static forRoot(
    config: DiwanConfig & { database: { url: string } },
    logger: Logger,
  ): DynamicModule {
    const runWorkers = config.app.role !== 'api';
    return {
      module: PlatformModule,
      imports: [
        DatabaseModule.forRoot(config.database, logger),
        TypeOrmModule.forFeature([Agency, StaffMember, ApiClient, AuditEvent, ScheduledTask]),
        PassportModule,
      ],
      controllers: [HealthController, AgencyController, ApiClientController],
      providers: [
        { provide: DIWAN_CONFIG, useValue: config },
        { provide: APP_CONFIG, useValue: config.app },
        { provide: DATABASE_CONFIG, useValue: config.database },
        { provide: REDIS_CONFIG, useValue: config.redis },
        { provide: SECURITY_CONFIG, useValue: config.security },
        { provide: ADMIN_CONFIG, useValue: config.admin },
        { provide: ROOT_LOGGER, useValue: logger },
        {
          provide: REDIS_CLIENT,
          useFactory: () =>
            config.redis.url
              ? new Redis(config.redis.url, {
                  maxRetriesPerRequest: 2,
                  enableOfflineQueue: true,
                  lazyConnect: false,
                })
              : null,
        },
        {
          provide: JobQueues,
          useFactory: () =>
            config.redis.url
              ? new BullQueues(config.redis.url, config.redis.prefix, runWorkers, logger)
              : new InProcessQueues(runWorkers, logger),
        },
        {
          provide: RateLimiter,
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis | null) =>
            redis ? new RedisRateLimiter(redis, config.redis.prefix) : new MemoryRateLimiter(),
        },
        { provide: FieldCipher, useFactory: () => new FieldCipher(config.security.encryptionKey) },
        { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        Clock,
        Metrics,
        Scheduler,
        AuditRepository,
        AuditService,
        AgencyRepository,
        AgencyService,
        StaffRepository,
        StaffService,
        ApiClientRepository,
        ApiClientService,
        ApiKeyStrategy,
        ApiClientAuthGuard,
        ScopesGuard,
        PublicFastRoutes,
      ],
      exports: [
        DIWAN_CONFIG,
        APP_CONFIG,
        DATABASE_CONFIG,
        REDIS_CONFIG,
        SECURITY_CONFIG,
        ADMIN_CONFIG,
        ROOT_LOGGER,
        REDIS_CLIENT,
        JobQueues,
        RateLimiter,
        PublicFastRoutes,
        FieldCipher,
        PasswordHasher,
        Clock,
        Metrics,
        Scheduler,
        AuditService,
        AgencyService,
        StaffService,
        ApiClientService,
        ApiClientAuthGuard,
        ScopesGuard,
        DatabaseModule,
      ],
    };
  }

  /** Running jobs finish while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

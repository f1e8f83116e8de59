import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { DATABASE_CONFIG } from '../config/config.tokens.js';
import { Metrics } from '../metrics/metrics.js';
import { JobQueues } from '../queue/job-queues.js';
import { SkipRateLimit } from '../rate-limit/rate-limit.guard.js';
import { REDIS_CLIENT } from '../redis/redis.tokens.js';
import { HealthReport, LiveReport } from './health.dto.js';

async function check(
  fn: () => Promise<unknown>,
  timeoutMs = 2000,
): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const start = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - start) };
  } catch (e) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - start),
      error: (e as Error).message,
    };
  }
}

@ApiTags('operations')
@SkipRateLimit()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(DATABASE_CONFIG) private readonly db: DatabaseConfig,
    private readonly queues: JobQueues,
    private readonly metrics: Metrics,
  ) {}

  @Get('health/live')
  @ApiOkResponse({ type: LiveReport })
  live(): LiveReport {
    return { status: 'ok' };
  }

  /** Ready when the database, Redis (if configured) and the queues answer. */
  @Get('health/ready')
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const [database, redis, queues] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      this.redis
        ? check(() => this.redis!.ping())
        : Promise.resolve({ status: 'up' as const, latencyMs: 0, error: undefined }),
      check(async () => {
        if (!(await this.queues.ping())) throw new Error('queues closed');
      }),
    ]);
    const ok = [database, redis, queues].every((c) => c.status === 'up');
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: {
        database: { ...database, mode: this.db.embedded ? 'embedded' : 'postgresql' },
        redis: { ...redis, mode: this.redis ? 'redis' : 'not-configured' },
        queues: { ...queues, mode: this.queues.mode },
      },
    };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOkResponse({ description: 'Prometheus text exposition', type: String })
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { ROOT_LOGGER } from '../logging/logger.tokens.js';
import { requestContext } from '../logging/request-context.js';

export interface ScheduledWork {
  name: string;
  everyMs: number;
  /** How long one run may hold the lease before another worker may take over. */
  leaseMs: number;
  run(): Promise<void>;
}

/**
 * Periodic tasks (sweepers, nightly reconciliation, retention) in worker processes. A lease
 * row per task means one run at a time however many workers there are, without holding a
 * database connection while the task runs.
 */
@Injectable()
export class Scheduler implements BeforeApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.app.role !== 'api';
  }

  every(work: ScheduledWork): void {
    if (!this.enabled) return;
    const timer = setInterval(() => {
      if (this.stopped) return;
      const p = this.runOnce(work).finally(() => this.running.delete(p));
      this.running.add(p);
    }, work.everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Runs the task now if no other worker holds its lease; returns whether it ran. */
  async runOnce(work: Pick<ScheduledWork, 'name' | 'leaseMs' | 'run'>): Promise<boolean> {
    const leased = await this.dataSource.query<unknown[]>(
      `INSERT INTO scheduled_task (name, leased_until, last_started_at) VALUES ($1, now() + $2 * interval '1 millisecond', now())
       ON CONFLICT (name) DO UPDATE SET leased_until = EXCLUDED.leased_until, last_started_at = now()
       WHERE scheduled_task.leased_until IS NULL OR scheduled_task.leased_until < now()
       RETURNING name`,
      [work.name, work.leaseMs],
    );
    if (!leased.length) return false;
    let outcome = 'success';
    let error: string | null = null;
    try {
      await requestContext.run({ correlationId: `task:${work.name}:${Date.now()}` }, () =>
        work.run(),
      );
    } catch (e) {
      outcome = 'failure';
      error = (e as Error).message?.slice(0, 2000) ?? String(e);
      this.logger.error({ err: e, task: work.name }, 'scheduled task failed');
    }
    await this.dataSource.query(
      'UPDATE scheduled_task SET leased_until = NULL, last_finished_at = now(), last_outcome = $2, last_error = $3 WHERE name = $1',
      [work.name, outcome, error],
    );
    return true;
  }

  /** Before the database closes (onApplicationShutdown), so running tasks can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await Promise.allSettled([...this.running]);
  }
}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { Scheduler } from '../../../platform/queue/scheduler.js';
import { StrategyService } from './strategy.service.js';

const HOUR = 3_600_000;
export const KPI_COMPUTE_TASK = 'strategy.compute';

/**
 * Computed KPIs recomputed in workers on a schedule (`REPORTS_KPI_COMPUTE_EVERY_HOURS`): last
 * year (until the committee approves it) and this year so far, as provisional values recorded
 * by the system. The Scheduler's lease row lets one worker run it at a time. Approved values
 * are never touched (StrategyService.computeYear keeps them).
 */
@Injectable()
export class KpiComputationSchedule implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly strategy: StrategyService,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const every = this.config.reports.kpiComputeEveryHours;
    if (every > 0)
      this.scheduler.every({
        name: KPI_COMPUTE_TASK,
        everyMs: every * HOUR,
        leaseMs: HOUR,
        run: () => this.computeRecentYears().then(() => undefined),
      });
  }

  /** Runs the task now under its lease (false when another worker holds it). */
  runNow(): Promise<boolean> {
    return this.scheduler.runOnce({
      name: KPI_COMPUTE_TASK,
      leaseMs: HOUR,
      run: () => this.computeRecentYears().then(() => undefined),
    });
  }

  /** Last year and this year; returns how many provisional values each got. */
  async computeRecentYears(): Promise<Record<string, number>> {
    const thisYear = this.clock.now().getUTCFullYear();
    const written: Record<string, number> = {};
    for (const year of [thisYear - 1, thisYear]) {
      written[year] = (await this.strategy.computeYear(SYSTEM_ACTOR, year)).length;
    }
    this.logger.info({ task: KPI_COMPUTE_TASK, written }, 'strategy KPIs recomputed');
    return written;
  }
}

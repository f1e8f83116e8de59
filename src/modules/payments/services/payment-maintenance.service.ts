import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { Scheduler } from '../../../platform/queue/scheduler.js';
import { bahrainDay } from '../domain/periods.js';
import { PaymentFactsRepository } from '../repositories/payment-facts.repository.js';
import { PaymentReconciliationService } from './payment-reconciliation.service.js';

const HOUR = 3_600_000;

/** Worker tasks: monthly partitions created ahead, nightly reconciliation of recent days. */
@Injectable()
export class PaymentMaintenanceService implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly facts: PaymentFactsRepository,
    private readonly reconciliation: PaymentReconciliationService,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.scheduler.every({
      name: 'payments.partitions',
      everyMs: 12 * HOUR,
      leaseMs: 5 * 60_000,
      run: () => this.createPartitions().then(() => undefined),
    });
    const every = this.config.payments.reconcileEveryHours;
    if (every > 0)
      this.scheduler.every({
        name: 'payments.reconcile',
        everyMs: every * HOUR,
        leaseMs: HOUR,
        run: () => this.reconcileRecent().then(() => undefined),
      });
  }

  /** The current month and the configured months ahead. */
  async createPartitions(): Promise<number> {
    const month = `${bahrainDay(this.clock.now()).slice(0, 7)}-01`;
    return this.facts.ensurePartitions(month, this.config.payments.partitionMonthsAhead + 1);
  }

  /** The last PAYMENTS_RECONCILE_DAYS days up to yesterday; differences are logged as errors. */
  async reconcileRecent() {
    const day = (offset: number) =>
      bahrainDay(new Date(this.clock.now().getTime() - offset * 86_400_000));
    const report = await this.reconciliation.reconcile(
      SYSTEM_ACTOR,
      day(this.config.payments.reconcileDays),
      day(1),
    );
    if (report.differences.length)
      this.logger.error(
        { differences: report.differences.slice(0, 20), count: report.differences.length },
        'payment rollups differ from the facts',
      );
    else
      this.logger.info(
        { from: report.from, to: report.to, rows: report.rollupRowsChecked },
        'payment rollups reconciled',
      );
    return report;
  }
}

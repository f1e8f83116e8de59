import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig, NotificationsConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { Scheduler } from '../../../platform/queue/scheduler.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { NotificationDispatcher } from './notification-dispatcher.js';

const BATCH = 1000;

/**
 * The safety net under the queue. Periodically (one worker at a time, via the scheduler's
 * lease): enqueues again what stayed accepted/queued past its due time (a crash or a Redis
 * flush between commit and enqueue), resolves sends whose worker died mid-call from their
 * attempts (never a blind resend), and wipes recipients past the retention period.
 */
@Injectable()
export class NotificationSweeper implements OnModuleInit {
  private readonly config: NotificationsConfig;

  constructor(
    private readonly repo: NotificationRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.config = config.notifications;
  }

  onModuleInit(): void {
    const everyMs = this.config.sweepIntervalSeconds * 1000;
    this.scheduler.every({
      name: 'notifications.sweep',
      everyMs,
      leaseMs: Math.max(60_000, everyMs * 2),
      run: async () => {
        await this.requeueStale();
        await this.resolveStalledSends();
      },
    });
    this.scheduler.every({
      name: 'notifications.retention',
      everyMs: 3600_000,
      leaseMs: 3600_000,
      run: async () => void (await this.redactExpired()),
    });
  }

  /** Returns how many were handed to the queue again. */
  async requeueStale(now = this.clock.now()): Promise<number> {
    const staleBefore = new Date(now.getTime() - this.config.outboxStaleSeconds * 1000);
    let total = 0;
    for (;;) {
      const rows = await this.repo.findStaleDispatches(staleBefore, BATCH);
      for (const r of rows)
        await this.dispatcher.dispatch({ ...r, generation: r.enqueueCount + 1 });
      await this.dispatcher.flush();
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    if (total) this.logger.warn({ count: total }, 'notifications enqueued again by the sweeper');
    return total;
  }

  /**
   * A `sending` notification past its lease lost its worker during the provider call. If
   * its attempt was recorded as submitted it is `sent`; otherwise whether the provider got
   * it is unknown, and it becomes `technical_failure` (outcome unknown) rather than risk a
   * second copy.
   */
  async resolveStalledSends(now = this.clock.now()): Promise<number> {
    const claimedBefore = new Date(now.getTime() - this.config.sendingLeaseSeconds * 1000);
    const stalled = await this.repo.findStalledSends(claimedBefore, BATCH);
    for (const s of stalled) {
      const attempts = await this.repo.findAttempts(s.id);
      const submitted = attempts.find(
        (a) => a.attemptNo === s.attempts && a.outcome === 'submitted',
      );
      if (submitted) {
        await this.repo.recordSubmitted(
          s.id,
          {
            attemptNo: s.attempts,
            provider: 'sweeper',
            smscId: submitted.smscId,
            outcome: 'submitted',
            providerMessageIds: submitted.providerMessageIds,
            error: 'resolved from the recorded attempt',
          },
          now,
          null,
        );
      } else {
        await this.repo.recordFinalFailure(
          s.id,
          {
            attemptNo: s.attempts,
            provider: 'sweeper',
            outcome: 'outcome_unknown',
            error: 'The worker stopped during the provider call; not resent to avoid a duplicate',
          },
          now,
          'technical_failure',
        );
      }
    }
    if (stalled.length)
      this.logger.warn({ count: stalled.length }, 'stalled notification sends resolved');
    return stalled.length;
  }

  async redactExpired(now = this.clock.now()): Promise<number> {
    const before = new Date(now.getTime() - this.config.retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const n = await this.repo.redactOlderThan(before, now, 5000);
      total += n;
      if (n < 5000) break;
    }
    return total;
  }
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../../platform/clock.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import {
  LANE_PRIORITY,
  type NotificationChannel,
  type NotificationPriority,
} from '../domain/notification-status.js';
import { NotificationRepository } from '../repositories/notification.repository.js';

export const NOTIFICATION_QUEUES: Readonly<Record<NotificationChannel, string>> = {
  sms: 'notifications-sms',
  email: 'notifications-email',
};

export interface DeliveryJob {
  id: string;
}

export interface Dispatch {
  id: string;
  channel: NotificationChannel;
  priority: NotificationPriority;
  /** A distinct job id for each re-enqueue (the first one is the notification id). */
  generation?: number;
  delayMs?: number;
}

/**
 * Hands committed notifications to the queues, in their priority lane. A failed enqueue is
 * logged and left to the sweeper: the notification is already safe in the database.
 * `accepted → queued` is recorded for many notifications in one UPDATE.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationShutdown {
  private pending: string[] = [];
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queues: JobQueues,
    private readonly repo: NotificationRepository,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns whether the queue took it. */
  async dispatch(d: Dispatch): Promise<boolean> {
    try {
      await this.queues.add<DeliveryJob>(
        NOTIFICATION_QUEUES[d.channel],
        { id: d.id },
        {
          jobId: d.generation ? `${d.id}:${d.generation}` : d.id,
          priority: LANE_PRIORITY[d.priority],
          delayMs: d.delayMs,
        },
      );
    } catch (err) {
      this.logger.warn(
        { err, notificationId: d.id },
        'enqueue failed; the sweeper will enqueue it again',
      );
      return false;
    }
    this.pending.push(d.id);
    this.timer ??= setTimeout(() => void this.flush(), 5);
    return true;
  }

  /** Writes the pending `queued` marks now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const ids = this.pending;
    this.pending = [];
    if (!ids.length) return;
    this.flushing = this.repo
      .markEnqueued(ids, this.clock.now())
      .catch((err: unknown) => this.logger.warn({ err }, 'could not mark notifications queued'));
    await this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}

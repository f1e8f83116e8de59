import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../../platform/clock.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { JobQueues, type JobOptions } from '../../../platform/queue/job-queues.js';
import { Coalescer } from '../domain/coalescer.js';
import {
  LANE_PRIORITY,
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationPriority,
} from '../domain/notification-status.js';
import { NotificationRepository } from '../repositories/notification.repository.js';

/**
 * How long after the enqueue `accepted → queued` is written. Notifications this process's
 * worker claims meanwhile need no mark at all (they are past `queued`), so the longer the
 * wait, the fewer marks; it only delays what the status shows for a waiting notification.
 */
const MARK_DELAY_MS = 200;

export const NOTIFICATION_QUEUES: Readonly<Record<NotificationChannel, string>> = {
  sms: 'notifications-sms',
  email: 'notifications-email',
};

/**
 * A delivery job: one notification (`id`: the sweeper, retries) or several accepted at the
 * same moment in the same lane (`ids`). Each id is claimed on its own, so a replayed or
 * duplicated job sends nothing twice.
 */
export interface DeliveryJob {
  id?: string;
  ids?: string[];
  /** The notifications' lane (jobs enqueued before it was recorded have none). */
  lane?: NotificationPriority;
}

/** At most this many notifications per job (they are claimed and recorded together). */
export const DELIVERY_JOB_BATCH = 100;

export function idsOf(job: DeliveryJob): string[] {
  return job.ids ?? (job.id ? [job.id] : []);
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
  /** Enqueued, `queued` mark not written yet. */
  private pending = new Set<string>();
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queues: JobQueues,
    private readonly repo: NotificationRepository,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns whether the queue took it. Concurrent dispatches go to Redis in one round trip. */
  async dispatch(d: Dispatch): Promise<boolean> {
    return this.adds.submit(d);
  }

  /** Dispatches a batch the caller already gathered (one acceptance statement) in one round trip. */
  dispatchMany(ds: Dispatch[]): Promise<boolean[]> {
    return this.enqueue(ds);
  }

  private readonly adds = new Coalescer<Dispatch, boolean>((batch) => this.enqueue(batch), {
    maxBatch: 200,
  });

  private async enqueue(batch: Dispatch[]): Promise<boolean[]> {
    if (!batch.length) return [];
    const ok = new Map<Dispatch, boolean>();
    for (const channel of NOTIFICATION_CHANNELS) {
      const jobs = batch.filter((d) => d.channel === channel);
      if (!jobs.length) continue;
      try {
        await this.queues.addBulk<DeliveryJob>(NOTIFICATION_QUEUES[channel], deliveryJobs(jobs));
        jobs.forEach((d) => ok.set(d, true));
      } catch (err) {
        this.logger.warn(
          { err, count: jobs.length },
          'enqueue failed; the sweeper will enqueue these notifications again',
        );
        jobs.forEach((d) => ok.set(d, false));
      }
    }
    const results = batch.map((d) => ok.get(d) ?? false);
    batch.forEach((d, i) => results[i] && this.pending.add(d.id));
    // Written a moment later: by then the worker has usually claimed them, and a claimed
    // notification needs no `queued` mark (one row version less each).
    if (this.pending.size) this.timer ??= setTimeout(() => void this.flush(), MARK_DELAY_MS);
    return results;
  }

  /**
   * A worker of this process claimed these: the mark would skip them anyway (they are past
   * `queued`), so they leave the pending marks, and a batch claimed in full costs no UPDATE.
   */
  claimed(ids: Iterable<string>): void {
    for (const id of ids) this.pending.delete(id);
  }

  /** Writes the pending `queued` marks now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const ids = [...this.pending];
    this.pending.clear();
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

/**
 * One job per notification costs two Redis scripts each (take, finish); notifications
 * dispatched together in the same lane with the same delay share a job instead. A job of
 * one keeps the notification id (or `<id>:<generation>`) as its job id, so the queue does
 * not hold the same single dispatch twice.
 */
function deliveryJobs(dispatches: Dispatch[]): Array<{ data: DeliveryJob; options: JobOptions }> {
  const groups = new Map<string, Dispatch[]>();
  for (const d of dispatches) {
    const key = `${d.priority}:${d.delayMs ?? 0}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const out: Array<{ data: DeliveryJob; options: JobOptions }> = [];
  for (const group of groups.values())
    for (let i = 0; i < group.length; i += DELIVERY_JOB_BATCH) {
      const part = group.slice(i, i + DELIVERY_JOB_BATCH);
      const [first] = part;
      const options = { priority: LANE_PRIORITY[first.priority], delayMs: first.delayMs };
      out.push(
        part.length === 1
          ? {
              data: { id: first.id, lane: first.priority },
              options: {
                ...options,
                jobId: first.generation ? `${first.id}:${first.generation}` : first.id,
              },
            }
          : { data: { ids: part.map((d) => d.id), lane: first.priority }, options },
      );
    }
  return out;
}

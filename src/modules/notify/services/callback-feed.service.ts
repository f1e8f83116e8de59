import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../../platform/clock.js';
import type { NotifyConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { Scheduler } from '../../../platform/queue/scheduler.js';
import { NotificationQueryService } from '../../notifications/services/notification-query.service.js';
import { callbackPayload } from '../domain/notify-format.js';
import { CallbackRepository } from '../repositories/callback.repository.js';
import { StatusCallbackService } from './status-callback.service.js';

/** Statuses an e-service is told about (every one after `created`). */
const REPORTED = new Set([
  'sending',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'cancelled',
]);
const PAGE = 1000;

/**
 * Derives the delivery-status callbacks owed to e-services from the notification table
 * itself: every status an API client's notification reaches (in Notify's words) gives one
 * `delivery_callback` row, unique per notification and status. The core never calls notify;
 * a missed run is made up by the next, since what is owed is read from committed state.
 */
@Injectable()
export class CallbackFeedService implements OnModuleInit {
  private cursor: Date;
  private lastCatchUp = 0;
  private readonly intervalMs: number;
  /** A change stamped before its transaction committed is still seen if it commits within this. */
  private readonly lookbackMs: number;
  /** The slower pass that catches very late commits. */
  private readonly catchUpMs: number;

  constructor(
    private readonly queries: NotificationQueryService,
    private readonly repo: CallbackRepository,
    private readonly callbacks: StatusCallbackService,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) config: { notify: NotifyConfig },
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.intervalMs = config.notify.callbackFeedIntervalMs;
    this.lookbackMs = config.notify.callbackFeedLookbackMs;
    this.catchUpMs = config.notify.callbackFeedCatchUpMinutes * 60_000;
    // On start, look back as far as a callback would still be retried.
    this.cursor = new Date(
      this.clock.now().getTime() - config.notify.callbackGiveUpHours * 3_600_000,
    );
  }

  onModuleInit(): void {
    this.scheduler.every({
      name: 'notify.callback-feed',
      everyMs: this.intervalMs,
      leaseMs: 60_000,
      run: async () => void (await this.run()),
    });
  }

  /** One pass; returns how many callbacks it created. */
  async run(): Promise<number> {
    const clients = await this.repo.findClientsWithEndpoint();
    if (!clients.length) return 0;
    const now = this.clock.now().getTime();
    let since = new Date(this.cursor.getTime() - this.lookbackMs);
    if (now - this.lastCatchUp > this.catchUpMs) {
      since = new Date(Math.min(since.getTime(), now - this.catchUpMs));
      this.lastCatchUp = now;
    }
    let created = 0;
    for (;;) {
      const rows = await this.queries.changedSince(since, clients, PAGE);
      const owed = rows
        .filter((n) => REPORTED.has(n.publicStatus) && n.actorId)
        .map((n) => ({
          apiClientId: n.actorId!,
          notificationId: n.id,
          notificationStatus: n.publicStatus,
          payload: callbackPayload(n),
        }));
      const ids = await this.repo.insertDerived(owed);
      created += ids.length;
      for (const id of ids)
        await this.callbacks
          .kick(id)
          .catch((err: unknown) =>
            this.logger.warn(
              { err, callbackId: id },
              'callback not queued; the sweeper will send it',
            ),
          );
      const last = rows.at(-1);
      if (last && new Date(last.updatedAt) > this.cursor) this.cursor = new Date(last.updatedAt);
      if (rows.length < PAGE || !last || new Date(last.updatedAt).getTime() === since.getTime())
        break;
      since = new Date(last.updatedAt);
    }
    return created;
  }
}

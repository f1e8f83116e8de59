import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import { NOTIFICATION_CHANNELS } from '../domain/notification-status.js';
import { DeliveryProviders } from '../services/delivery-providers.js';
import { DeliveryService } from '../services/delivery.service.js';
import {
  idsOf,
  NOTIFICATION_QUEUES,
  type DeliveryJob,
} from '../services/notification-dispatcher.js';

/**
 * Unpacks a delivery job (one notification or several of one lane) and calls the service. A channel without a provider gets no
 * processor, so its notifications wait in the queue (status `queued`) until one is configured.
 * Retries of failed deliveries are scheduled by the service itself (recorded in the
 * database first), so the queue's own retries only cover unexpected errors.
 */
@Injectable()
export class DeliveryProcessor implements OnModuleInit {
  constructor(
    private readonly queues: JobQueues,
    private readonly delivery: DeliveryService,
    private readonly providers: DeliveryProviders,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
  ) {}

  onModuleInit(): void {
    for (const channel of NOTIFICATION_CHANNELS) {
      if (!this.providers.configured(channel)) continue;
      this.queues.process<DeliveryJob>({
        queue: NOTIFICATION_QUEUES[channel],
        concurrency: this.config.notifications.workerConcurrency,
        attempts: 3,
        backoffMs: 1000,
        handle: async (job) => {
          // The notifications of a job go together: their claims share one UPDATE and their
          // records one statement. A failure fails the job once all have finished, and the
          // queue's retry finds the delivered ones no longer claimable. Only a batch outside
          // the one-time-password lane lets its claim wait for other jobs' claims.
          const ids = idsOf(job.data);
          const urgent = ids.length === 1 || job.data.lane === 'otp';
          const results = await Promise.allSettled(
            ids.map((id) => this.delivery.deliver(id, urgent)),
          );
          const failed = results.find((r) => r.status === 'rejected');
          if (failed) throw failed.reason;
        },
      });
    }
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueues } from '../../../../platform/queue/job-queues.js';
import { Scheduler } from '../../../../platform/queue/scheduler.js';
import { BULK_QUEUE, BulkJobService } from '../services/bulk-job.service.js';

/**
 * Unpacks a bulk-job step (one chunk of rows) and calls the service; every 30 s a sweeper
 * starts due jobs whose queue job was lost and settles rows of workers that died.
 */
@Injectable()
export class BulkJobProcessor implements OnModuleInit {
  constructor(
    private readonly queues: JobQueues,
    private readonly scheduler: Scheduler,
    private readonly jobs: BulkJobService,
  ) {}

  onModuleInit(): void {
    this.queues.process<{ jobId: string }>({
      queue: BULK_QUEUE,
      concurrency: 2,
      attempts: 5,
      backoffMs: 2000,
      handle: (job) => this.jobs.runChunk(job.data.jobId),
    });
    this.scheduler.every({
      name: 'notify.bulk-sweep',
      everyMs: 30_000,
      leaseMs: 60_000,
      run: async () => void (await this.jobs.sweep()),
    });
  }
}

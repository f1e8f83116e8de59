import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import { EXPORT_QUEUE, ExportService } from '../services/export.service.js';

/** Unpacks an export job and runs it; a job already running or done is left alone. */
@Injectable()
export class ExportProcessor implements OnModuleInit {
  constructor(
    private readonly queues: JobQueues,
    private readonly exports: ExportService,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
  ) {}

  onModuleInit(): void {
    this.queues.process<{ exportId: string }>({
      queue: EXPORT_QUEUE,
      concurrency: this.config.reports.exportConcurrency,
      // The job marks itself failed (and says why) rather than retrying a half-written file.
      attempts: 1,
      backoffMs: 1000,
      handle: (job) => this.exports.run(job.data.exportId),
    });
  }
}

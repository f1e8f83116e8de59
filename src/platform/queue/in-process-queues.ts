import type { Logger } from 'pino';
import { requestContext } from '../logging/request-context.js';
import {
  backoffDelay,
  type JobEnvelope,
  type JobOptions,
  JobQueues,
  PermanentJobError,
  type QueueCounts,
  type QueueJob,
  type QueueProcessor,
} from './job-queues.js';

interface Pending {
  id: string;
  seq: number;
  priority: number;
  attemptsMade: number;
  attempts?: number;
  envelope: JobEnvelope<unknown>;
}

class LocalQueue {
  readonly waiting: Pending[] = [];
  readonly known = new Set<string>();
  readonly timers = new Set<NodeJS.Timeout>();
  processor?: QueueProcessor<unknown>;
  active = 0;
  failed = 0;
  completed = 0;
  constructor(readonly name: string) {}
}

/** Queues in this process's memory: for the embedded mode (one process, no Redis). */
export class InProcessQueues extends JobQueues {
  readonly mode = 'in-process' as const;
  private readonly queues = new Map<string, LocalQueue>();
  private seq = 0;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly runWorkers: boolean,
    private readonly logger: Logger,
  ) {
    super();
  }

  private q(name: string): LocalQueue {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = new LocalQueue(name)));
    return q;
  }

  async add<T>(queue: string, data: T, options: JobOptions = {}): Promise<void> {
    const q = this.q(queue);
    const id = options.jobId ?? `${queue}:${++this.seq}`;
    if (options.jobId && q.known.has(id)) return;
    q.known.add(id);
    const job: Pending = {
      id,
      seq: ++this.seq,
      priority: options.priority ?? 10,
      attemptsMade: 0,
      attempts: options.attempts,
      envelope: { correlationId: requestContext.correlationId(), payload: data },
    };
    if (options.delayMs) this.later(q, job, options.delayMs);
    else this.enqueue(q, job);
  }

  async addBulk<T>(queue: string, jobs: { data: T; options?: JobOptions }[]): Promise<void> {
    for (const j of jobs) await this.add(queue, j.data, j.options);
  }

  process<T>(processor: QueueProcessor<T>): void {
    if (!this.runWorkers) return;
    const q = this.q(processor.queue);
    q.processor = processor;
    this.pump(q);
  }

  async counts(queue: string): Promise<QueueCounts> {
    const q = this.q(queue);
    return {
      waiting: q.waiting.length,
      active: q.active,
      delayed: q.timers.size,
      failed: q.failed,
      completed: q.completed,
    };
  }

  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  async ping(): Promise<boolean> {
    return !this.closing;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const q of this.queues.values()) for (const t of q.timers) clearTimeout(t);
    if ([...this.queues.values()].some((q) => q.active > 0))
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private later(q: LocalQueue, job: Pending, delayMs: number) {
    const timer = setTimeout(() => {
      q.timers.delete(timer);
      this.enqueue(q, job);
    }, delayMs);
    timer.unref();
    q.timers.add(timer);
  }

  private enqueue(q: LocalQueue, job: Pending) {
    // Keep `waiting` ordered by priority, then arrival (binary insertion).
    let lo = 0;
    let hi = q.waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = q.waiting[mid];
      if (m.priority < job.priority || (m.priority === job.priority && m.seq < job.seq))
        lo = mid + 1;
      else hi = mid;
    }
    q.waiting.splice(lo, 0, job);
    this.pump(q);
  }

  private pump(q: LocalQueue) {
    const p = q.processor;
    if (!p || this.closing) return;
    while (q.active < p.concurrency && q.waiting.length) {
      const job = q.waiting.shift()!;
      q.active++;
      void this.run(q, p, job);
    }
  }

  private async run(q: LocalQueue, p: QueueProcessor<unknown>, job: Pending) {
    const view: QueueJob<unknown> = {
      id: job.id,
      queue: q.name,
      data: job.envelope.payload,
      attemptsMade: job.attemptsMade,
      correlationId: job.envelope.correlationId,
    };
    try {
      await requestContext.run({ correlationId: job.envelope.correlationId ?? job.id }, () =>
        p.handle(view),
      );
      q.completed++;
      q.known.delete(job.id);
    } catch (error) {
      job.attemptsMade++;
      const attempts = job.attempts ?? p.attempts;
      if (!(error instanceof PermanentJobError) && job.attemptsMade < attempts && !this.closing) {
        this.later(q, job, backoffDelay(p.backoffMs, job.attemptsMade));
      } else {
        q.failed++;
        q.known.delete(job.id);
        this.logger.warn({ queue: q.name, jobId: job.id, err: error }, 'job failed for good');
        await p
          .onExhausted?.({ ...view, attemptsMade: job.attemptsMade }, error)
          .catch((e: unknown) => this.logger.error({ err: e }, 'onExhausted failed'));
      }
    } finally {
      q.active--;
      this.pump(q);
      if (this.closing && [...this.queues.values()].every((x) => x.active === 0))
        this.idleWaiters.splice(0).forEach((r) => r());
    }
  }
}

/**
 * Queues behind one interface: Bull on Redis when REDIS_URL is set, in-process otherwise.
 * Same processors, same retries and back-off, same priorities in both modes. Processors
 * only unpack a job and call a service (CONVENTIONS.md §11) and must be idempotent.
 */
export interface JobOptions {
  /** Defaults to the processor's `attempts`. */
  attempts?: number;
  delayMs?: number;
  /** 1 is served first. */
  priority?: number;
  /** A job with an id already waiting, delayed or running is not added twice; once it has
   * finished (either way) the same id may be added again. */
  jobId?: string;
}

export interface QueueJob<T> {
  id: string;
  queue: string;
  data: T;
  /** Attempts made before this one. */
  attemptsMade: number;
  correlationId?: string;
}

export interface QueueProcessor<T> {
  queue: string;
  concurrency: number;
  attempts: number;
  /** Exponential back-off base: attempt n waits backoffMs × 2^(n-1). */
  backoffMs: number;
  handle(job: QueueJob<T>): Promise<void>;
  /** Called once when the last attempt failed. */
  onExhausted?(job: QueueJob<T>, error: unknown): Promise<void>;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** Thrown by a handler to fail without further retries. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface JobEnvelope<T> {
  correlationId?: string;
  payload: T;
}

export abstract class JobQueues {
  abstract readonly mode: 'bull' | 'in-process';
  abstract add<T>(queue: string, data: T, options?: JobOptions): Promise<void>;
  abstract addBulk<T>(queue: string, jobs: { data: T; options?: JobOptions }[]): Promise<void>;
  /** Registers a processor; ignored in a process whose role does not run workers. */
  abstract process<T>(processor: QueueProcessor<T>): void;
  abstract counts(queue: string): Promise<QueueCounts>;
  abstract queueNames(): string[];
  abstract ping(): Promise<boolean>;
  /** Stops taking jobs and waits for running ones. */
  abstract close(): Promise<void>;
}

export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

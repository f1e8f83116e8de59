import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
} from 'typeorm';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../clock.js';
import { type Tx, TransactionRunner } from '../database/transaction-runner.js';
import { ROOT_LOGGER } from '../logging/logger.tokens.js';
import { requestContext } from '../logging/request-context.js';
import { type ScheduledWork, Scheduler } from '../queue/scheduler.js';
import { type AuditOutcome, type ChainReport, verifyChain } from './audit-chain.js';
import { AuditRepository, type ChainHead, type NewAuditEvent } from './audit.repository.js';

export interface AuditEntry {
  actor: Actor;
  /** `<area>.<verb>`: `staff.create`, `registry.edition.publish`, `auth.login`. */
  action: string;
  objectType: string;
  objectId?: string | null;
  outcome?: AuditOutcome;
  /** Never secrets, codes, passwords or full CPR numbers. */
  details?: Record<string, unknown>;
}

/** Queued entries sealed per transaction of the sealer. */
const SEAL_PAGE = 1000;
/** How long after a commit its queued entry is sealed (with those of the commits meanwhile). */
const SEAL_DELAY_MS = 20;

@Injectable()
export class AuditService implements OnModuleInit, BeforeApplicationShutdown {
  /** Transactions (their query runners) that queued an entry: sealed when they commit. */
  private readonly queuedIn = new WeakSet<QueryRunner>();
  /** The sealing run in progress, and the one that will start after it (shared by callers). */
  private sealing: Promise<number> | null = null;
  private nextSealing: Promise<number> | null = null;
  private sealTimer: NodeJS.Timeout | null = null;

  /**
   * The periodic sweep (worker processes, one at a time through the scheduler's lease): seals
   * what a process queued and committed but did not live to seal.
   */
  readonly sealSweep: ScheduledWork = {
    name: 'audit.seal',
    everyMs: 15_000,
    leaseMs: 120_000,
    run: () => this.sealQueued().then(() => undefined),
  };

  constructor(
    private readonly repo: AuditRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Right after a transaction that queued an entry commits, seal it (in the background: the
    // caller's answer does not wait for the chain).
    const afterCommit: EntitySubscriberInterface = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const runner = event.queryRunner;
        if (runner.isTransactionActive || !this.queuedIn.has(runner)) return;
        this.queuedIn.delete(runner);
        this.sealSoon();
      },
    };
    this.dataSource.subscribers.push(afterCommit);
    this.scheduler.every(this.sealSweep);
  }

  /** Records within the transaction of the action itself: both commit or neither does. */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.repo.append(tx, this.event(entry));
  }

  /**
   * For high-volume machine writes (payment batches): the entry is queued in the transaction
   * of the action (atomic with it, like `record`) without taking the chain's lock, which
   * `record` holds until its transaction commits, so concurrent writers do not wait for each
   * other. It is chained into `audit_event` (same hash chain; its `seq` in sealing order) right
   * after the commit by this process, or by the `audit.seal` sweep if the process died first.
   */
  async recordQueued(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.repo.enqueue(tx, this.event(entry));
    const runner = tx.manager.queryRunner;
    if (runner) this.queuedIn.add(runner);
  }

  /** For actions with nothing else to commit (a refused login, a download). */
  recordAlone(entry: AuditEntry): Promise<void> {
    return this.tx.run((tx) => this.record(tx, entry));
  }

  /**
   * Chains every queued entry committed before this call; returns how many were sealed.
   * Concurrent callers share runs: one in progress, at most one more after it.
   */
  sealQueued(): Promise<number> {
    if (!this.sealing) return this.startSealing();
    // The run in progress may have read the queue before the caller's entries committed.
    this.nextSealing ??= this.sealing
      .catch(() => 0)
      .then(() => {
        this.nextSealing = null;
        return this.startSealing();
      });
    return this.nextSealing;
  }

  /**
   * Seals in a few milliseconds: the entries of the transactions committing meanwhile are
   * sealed together (one sealing transaction for several batches instead of one each).
   */
  private sealSoon(): void {
    if (this.sealTimer) return;
    this.sealTimer = setTimeout(() => {
      this.sealTimer = null;
      this.sealQueued().catch((e: unknown) =>
        this.logger.error({ err: e }, 'sealing queued audit entries failed; the sweep retries'),
      );
    }, SEAL_DELAY_MS);
  }

  /** The chain's last event once the queue is sealed: the head of everything committed so far. */
  async sealedHead(): Promise<ChainHead | null> {
    await this.sealQueued();
    return this.repo.head();
  }

  /** Seals the queue first, so the walk covers every committed entry. */
  async verify(): Promise<ChainReport> {
    await this.sealQueued();
    return verifyChain(this.repo.pagesInOrder());
  }

  /** Before the database closes: finish sealing what this process queued. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sealTimer) clearTimeout(this.sealTimer);
    this.sealTimer = null;
    await this.sealQueued().catch((e: unknown) =>
      this.logger.error({ err: e }, 'sealing queued audit entries at shutdown failed'),
    );
  }

  private startSealing(): Promise<number> {
    const run = (async () => {
      let total = 0;
      for (;;) {
        const n = await this.repo.sealQueued(SEAL_PAGE);
        total += n;
        if (n < SEAL_PAGE) return total;
      }
    })().finally(() => {
      if (this.sealing === run) this.sealing = null;
    });
    this.sealing = run;
    return run;
  }

  private event(entry: AuditEntry): NewAuditEvent {
    return {
      occurredAt: this.clock.now(),
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? null,
      outcome: entry.outcome ?? 'success',
      ip: entry.actor.ip ?? null,
      correlationId: requestContext.correlationId() ?? null,
      details: entry.details ?? {},
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../clock.js';
import { type Tx, TransactionRunner } from '../database/transaction-runner.js';
import { requestContext } from '../logging/request-context.js';
import { type AuditOutcome, type ChainReport, verifyChain } from './audit-chain.js';
import { AuditRepository } from './audit.repository.js';

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

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Records within the transaction of the action itself: both commit or neither does. */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.repo.append(tx, {
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
    });
  }

  /** For actions with nothing else to commit (a refused login, a download). */
  recordAlone(entry: AuditEntry): Promise<void> {
    return this.tx.run((tx) => this.record(tx, entry));
  }

  verify(): Promise<ChainReport> {
    return verifyChain(this.repo.pagesInOrder());
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Tx } from '../database/transaction-runner.js';
import { auditHash, type ChainedAuditFields, GENESIS_HASH } from './audit-chain.js';
import { AuditEvent } from './audit-event.entity.js';

/** Arbitrary constant: the advisory lock that keeps audit writers in one linear chain. */
const AUDIT_CHAIN_LOCK = 7_243_110;

export interface ChainHead {
  seq: string;
  hash: string;
}

export type NewAuditEvent = Omit<ChainedAuditFields, 'seq' | 'prevHash'>;

/** An audit event's columns as raw SQL returns them, before the chain's `seq` and hashes. */
export interface AuditEventColumns {
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  correlation_id: string | null;
  details: Record<string, unknown>;
}

interface QueuedRow extends AuditEventColumns {
  id: string;
}

export interface AuditQuery {
  objectType?: string;
  objectId?: string;
  action?: string;
  limit?: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends inside the caller's transaction. The transaction-scoped advisory lock makes
   * concurrent writers queue up until the holder commits, so each sees the true head.
   */
  async append(tx: Tx, event: NewAuditEvent): Promise<AuditEvent> {
    await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const head = await this.head(tx.manager);
    const fields: ChainedAuditFields = {
      ...event,
      seq: String(head ? BigInt(head.seq) + 1n : 1n),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const row = tx.manager.create(AuditEvent, { ...fields, hash: auditHash(fields) });
    await tx.manager.save(AuditEvent, row, { reload: false });
    return row;
  }

  /**
   * Queues an entry inside the caller's transaction: a plain insert, no lock, so concurrent
   * writers never wait for each other's commits. It reaches the chain when sealed.
   */
  async enqueue(tx: Tx, event: NewAuditEvent): Promise<void> {
    await tx.manager.query(
      `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_id, actor_label, action, object_type, object_id,
         outcome, ip, correlation_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.occurredAt,
        event.actorType,
        event.actorId,
        event.actorLabel,
        event.action,
        event.objectType,
        event.objectId,
        event.outcome,
        event.ip,
        event.correlationId,
        JSON.stringify(event.details),
      ],
    );
  }

  /**
   * Moves up to `limit` committed queued entries, oldest first, to the end of the chain in one
   * transaction: under the chain's lock (as `append`), hashed in queue order, inserted into
   * `audit_event` and deleted from the queue (the queue's trigger lets only the lock holder
   * delete). Returns how many were sealed; fewer than `limit` means the queue was empty.
   */
  async sealQueued(limit: number): Promise<number> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      // After the lock, in a new snapshot: every entry committed before this point is seen.
      const queued = await manager.query<QueuedRow[]>(
        `SELECT id, occurred_at, actor_type, actor_id, actor_label, action, object_type, object_id, outcome, ip,
                correlation_id, details
         FROM audit_event_queue ORDER BY id LIMIT $1`,
        [limit],
      );
      if (!queued.length) return 0;
      const head = await this.head(manager);
      let seq = head ? BigInt(head.seq) : 0n;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const chained = queued.map((q) => {
        seq += 1n;
        const fields: ChainedAuditFields = {
          seq: String(seq),
          occurredAt: q.occurred_at,
          actorType: q.actor_type,
          actorId: q.actor_id,
          actorLabel: q.actor_label,
          action: q.action,
          objectType: q.object_type,
          objectId: q.object_id,
          outcome: q.outcome,
          ip: q.ip,
          correlationId: q.correlation_id,
          details: q.details,
          prevHash,
        };
        prevHash = auditHash(fields);
        return { ...fields, occurredAt: fields.occurredAt.toISOString(), hash: prevHash };
      });
      // Into the chain and out of the queue in one statement (the queue's DELETE trigger checks
      // that this transaction holds the chain's lock).
      await manager.query(
        `WITH sealed AS (DELETE FROM audit_event_queue WHERE id = ANY($2::bigint[]))
         INSERT INTO audit_event (seq, occurred_at, actor_type, actor_id, actor_label, action, object_type, object_id,
           outcome, ip, correlation_id, details, prev_hash, hash)
         SELECT e."seq", e."occurredAt", e."actorType", e."actorId", e."actorLabel", e."action", e."objectType",
                e."objectId", e."outcome", e."ip", e."correlationId", e."details", e."prevHash", e."hash"
         FROM jsonb_to_recordset($1::jsonb) AS e("seq" bigint, "occurredAt" timestamptz, "actorType" varchar,
           "actorId" varchar, "actorLabel" varchar, "action" varchar, "objectType" varchar, "objectId" varchar,
           "outcome" varchar, "ip" varchar, "correlationId" varchar, "details" jsonb, "prevHash" char(64),
           "hash" char(64))
         ORDER BY e."seq"`,
        [JSON.stringify(chained), queued.map((q) => q.id)],
      );
      return queued.length;
    });
  }

  /** The last event of the chain (seq and hash), or null while the chain is empty. */
  async head(manager: EntityManager = this.dataSource.manager): Promise<ChainHead | null> {
    const [row] = await manager.query<ChainHead[]>(
      'SELECT seq::text AS seq, hash FROM audit_event ORDER BY audit_event.seq DESC LIMIT 1',
    );
    return row ?? null;
  }

  /** Pages of events in chain order, for verification and exports. */
  async *pagesInOrder(pageSize = 2000): AsyncGenerator<AuditEvent[]> {
    let after = '0';
    for (;;) {
      const page = await this.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.seq > :after', { after })
        .orderBy('e.seq', 'ASC')
        .limit(pageSize)
        .getMany();
      if (!page.length) return;
      yield page;
      after = page[page.length - 1].seq;
    }
  }

  findRecent(q: AuditQuery): Promise<AuditEvent[]> {
    const qb = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .orderBy('e.seq', 'DESC')
      .limit(Math.min(q.limit ?? 100, 1000));
    if (q.objectType) qb.andWhere('e.object_type = :ot', { ot: q.objectType });
    if (q.objectId) qb.andWhere('e.object_id = :oid', { oid: q.objectId });
    if (q.action) qb.andWhere('e.action = :a', { a: q.action });
    return qb.getMany();
  }
}

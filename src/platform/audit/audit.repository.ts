import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transaction-runner.js';
import { auditHash, type ChainedAuditFields, GENESIS_HASH } from './audit-chain.js';
import { AuditEvent } from './audit-event.entity.js';

/** Arbitrary constant: the advisory lock that keeps audit writers in one linear chain. */
const AUDIT_CHAIN_LOCK = 7_243_110;

export type NewAuditEvent = Omit<ChainedAuditFields, 'seq' | 'prevHash'>;

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
    const [head] = await tx.manager.query<{ seq: string; hash: string }[]>(
      'SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1',
    );
    const fields: ChainedAuditFields = {
      ...event,
      seq: String(head ? BigInt(head.seq) + 1n : 1n),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const row = tx.manager.create(AuditEvent, { ...fields, hash: auditHash(fields) });
    await tx.manager.save(AuditEvent, row, { reload: false });
    return row;
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

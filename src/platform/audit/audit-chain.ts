import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** The fields of an audit event that its hash covers (everything but the hash). */
export interface ChainedAuditFields {
  seq: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  objectType: string;
  objectId: string | null;
  outcome: string;
  ip: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

export function auditHash(e: ChainedAuditFields): string {
  const body = canonicalJson({
    seq: e.seq,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    outcome: e.outcome,
    ip: e.ip,
    correlationId: e.correlationId,
    details: e.details,
  });
  return createHash('sha256').update(e.prevHash).update('\n').update(body).digest('hex');
}

export interface ChainReport {
  ok: boolean;
  events: number;
  headSeq: string | null;
  headHash: string;
  firstBroken?: {
    seq: string;
    reason: 'gap' | 'prev_hash_mismatch' | 'hash_mismatch';
    expected: string;
    found: string;
  };
}

/** Walks events in seq order and reports the first broken link. */
export async function verifyChain(
  pages: AsyncIterable<(ChainedAuditFields & { hash: string })[]>,
): Promise<ChainReport> {
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let events = 0;
  let headSeq: string | null = null;
  for await (const page of pages) {
    for (const e of page) {
      if (BigInt(e.seq) !== expectedSeq) {
        return {
          ok: false,
          events,
          headSeq,
          headHash: prevHash,
          firstBroken: { seq: e.seq, reason: 'gap', expected: String(expectedSeq), found: e.seq },
        };
      }
      if (e.prevHash !== prevHash) {
        return {
          ok: false,
          events,
          headSeq,
          headHash: prevHash,
          firstBroken: {
            seq: e.seq,
            reason: 'prev_hash_mismatch',
            expected: prevHash,
            found: e.prevHash,
          },
        };
      }
      const recomputed = auditHash(e);
      if (recomputed !== e.hash) {
        return {
          ok: false,
          events,
          headSeq,
          headHash: prevHash,
          firstBroken: { seq: e.seq, reason: 'hash_mismatch', expected: recomputed, found: e.hash },
        };
      }
      prevHash = e.hash;
      headSeq = e.seq;
      expectedSeq += 1n;
      events += 1;
    }
  }
  return { ok: true, events, headSeq, headHash: prevHash };
}

import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { TransactionRunner, type Tx } from '../../../platform/database/transaction-runner.js';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { canTransition, type TransactionStatus } from '../domain/channels.js';
import { rollupDeltasForStatusChange } from '../domain/rollup-key.js';
import { type TransactionInput, validateBatch } from '../domain/transaction-input.js';
import { PaymentsErrors } from '../errors/payments.errors.js';
import {
  PaymentFactsRepository,
  transactionFingerprint,
} from '../repositories/payment-facts.repository.js';
import { ServiceCatalog } from './service-catalog.js';

export interface IngestAnswer {
  status: number;
  body: IngestResult;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export interface IngestResult {
  [k: string]: unknown;
  received: number;
  inserted: number;
  /** Transactions already reported with the same values (a resend): counted once. */
  duplicates: number;
  duplicateRefs: string[];
}

export interface StatusChangeResult {
  externalRef: string;
  previousStatus: TransactionStatus;
  status: TransactionStatus;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * What "the same body" means for an Idempotency-Key: the same validated transactions in the
 * same order (key order and spelling of the JSON do not matter). Cheaper than hashing the
 * canonical JSON of the raw body, and only valid batches ever claim a key.
 */
export function batchHash(items: TransactionInput[]): string {
  const h = createHash('sha256');
  for (const t of items)
    h.update(
      `${t.externalRef}\u0000${t.occurredAtText}\u0000${t.serviceCode}\u0000${t.agencyCode}\u0000${t.channel}\u0000${t.kind}\u0000${t.status}\u0000${t.amountFils}\u0000${t.feeFils}\u0000${t.originalRef ?? ''}\n`,
    );
  return h.digest('hex');
}

/**
 * Writes facts: API batches and status changes. Facts and their rollup deltas go in one
 * transaction; the idempotency row is claimed in that same transaction, so a retry sees
 * either nothing (and does the work) or the committed answer.
 */
@Injectable()
export class PaymentIngestService {
  constructor(
    private readonly facts: PaymentFactsRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly agencies: AgencyService,
    private readonly catalog: ServiceCatalog,
    private readonly clock: Clock,
  ) {}

  /** The agency code an actor reports for; null for national actors (system, admin). */
  async reportingAgencyCode(actor: Actor): Promise<string | null> {
    if (actor.type === 'api_client') return (await this.agencies.getById(actor.agencyId)).code;
    if (actor.type === 'staff' && actor.role === 'admin') return null;
    if (actor.type === 'system') return null;
    throw new DomainException(PlatformErrors.FORBIDDEN, 'Only e-services report transactions');
  }

  async ingest(
    actor: Actor,
    idempotencyKey: string | undefined,
    body: unknown,
  ): Promise<IngestAnswer> {
    if (actor.type !== 'api_client') throw new DomainException(PlatformErrors.UNAUTHENTICATED);
    if (idempotencyKey === undefined || !KEY_PATTERN.test(idempotencyKey))
      throw new DomainException(PaymentsErrors.IDEMPOTENCY_KEY_REQUIRED);
    const items = await this.validate(actor, body);
    const requestHash = batchHash(items);

    return this.tx.run(async (tx) => {
      const claimed = await this.facts.claimIdempotencyKey(
        tx,
        actor.id,
        idempotencyKey,
        requestHash,
      );
      if (!claimed) {
        // Another request with this key committed first (we waited for it on the unique index).
        const first = await this.facts.findIngestRequest(tx, actor.id, idempotencyKey);
        if (!first) throw new DomainException(PlatformErrors.CONFLICT, 'Retry the request');
        if (first.requestHash !== requestHash)
          throw new DomainException(
            PlatformErrors.IDEMPOTENCY_KEY_REUSED,
            'This Idempotency-Key was used with a different batch; use a new key for a new batch',
          );
        return { status: first.status, body: first.body as IngestResult, replayed: true };
      }
      const result = await this.store(tx, actor, items, 'api', (r) =>
        this.facts.storeIngestResponse(tx, actor.id, idempotencyKey, 201, r),
      );
      return { status: 201, body: result, replayed: false };
    });
  }

  /** Shape, agency and registry checks; every problem named by item index and field. */
  private async validate(actor: Actor, body: unknown): Promise<TransactionInput[]> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DomainException(
        PaymentsErrors.INVALID_BATCH,
        'The body must be { "items": [...] }',
        [{ field: 'body', reason: 'type', message: 'must be an object with an items array' }],
      );
    const extra = Object.keys(body).filter((k) => k !== 'items');
    const checked = validateBatch((body as { items?: unknown }).items, { now: this.clock.now() });
    const errors: FieldError[] = extra.map((k) => ({
      field: k,
      reason: 'unknown',
      message: 'is not a field of a batch',
    }));
    if ('errors' in checked) errors.push(...checked.errors);
    if (errors.length) throw new DomainException(PaymentsErrors.INVALID_BATCH, undefined, errors);
    const items = 'ok' in checked ? checked.ok : [];
    const own = await this.reportingAgencyCode(actor);
    if (own !== null) {
      const other = items.flatMap((t, i) =>
        t.agencyCode === own
          ? []
          : [
              {
                field: `items[${i}].agencyCode`,
                reason: 'other_agency',
                message: `must be ${own}, the agency of this API client`,
              },
            ],
      );
      if (other.length)
        throw new DomainException(
          PlatformErrors.OTHER_AGENCY,
          'An e-service reports only for its own agency',
          other,
        );
    }
    await this.checkServices(items, (i) => `items[${i}].serviceCode`);
    return items;
  }

  /** Registry check through RegistryService.findPublishedByCode, when the registry is wired. */
  async checkServices(items: TransactionInput[], path: (i: number) => string): Promise<void> {
    const published = await this.catalog.lookup(items.map((t) => t.serviceCode));
    if (!published) return;
    const unknown: FieldError[] = [];
    const foreign: FieldError[] = [];
    items.forEach((t, i) => {
      const s = published.get(t.serviceCode);
      if (!s)
        unknown.push({ field: path(i), reason: 'unknown', message: 'is not a published service' });
      else if (s.agencyCode !== t.agencyCode)
        foreign.push({
          field: path(i),
          reason: 'other_agency',
          message: `belongs to ${s.agencyCode}`,
        });
    });
    if (unknown.length)
      throw new DomainException(PaymentsErrors.UNKNOWN_SERVICE, undefined, unknown);
    if (foreign.length)
      throw new DomainException(PaymentsErrors.SERVICE_OF_OTHER_AGENCY, undefined, foreign);
  }

  /**
   * Stores validated transactions (all of one call share the transaction): originals must
   * exist, a resend with the same values is a duplicate, with other values a conflict.
   */
  async store(
    tx: Tx,
    actor: Actor,
    items: TransactionInput[],
    source: 'api' | 'csv' = 'api',
    /** Runs once the result is known, before the audit entry (the API stores its answer). */
    beforeAudit?: (result: IngestResult) => Promise<void>,
  ): Promise<IngestResult> {
    const index = new Map(items.map((t, i) => [`${t.agencyCode}|${t.externalRef}`, i]));
    const byAgency = new Map<string, string[]>();
    for (const t of items)
      if (t.originalRef !== undefined && !index.has(`${t.agencyCode}|${t.originalRef}`))
        byAgency.set(t.agencyCode, [...(byAgency.get(t.agencyCode) ?? []), t.originalRef]);
    const missing: FieldError[] = [];
    for (const [agency, refs] of byAgency) {
      const known = await this.facts.findFingerprints(tx, agency, refs);
      items.forEach((t, i) => {
        if (
          t.agencyCode === agency &&
          t.originalRef !== undefined &&
          !index.has(`${agency}|${t.originalRef}`) &&
          !known.has(t.originalRef)
        )
          missing.push({
            field: `items[${i}].originalRef`,
            reason: 'not_found',
            message: 'names a payment that was not reported',
          });
      });
    }
    if (missing.length)
      throw new DomainException(PaymentsErrors.ORIGINAL_NOT_FOUND, undefined, missing);

    // One statement: claim the references, insert the claimed facts, add their rollups.
    const claimed = await this.facts.storeBatch(tx, items, source);
    const resent = items.filter((t) => !claimed.has(`${t.agencyCode}|${t.externalRef}`));
    const conflicts: FieldError[] = [];
    for (const agency of new Set(resent.map((t) => t.agencyCode))) {
      const mine = resent.filter((t) => t.agencyCode === agency);
      const stored = await this.facts.findFingerprints(
        tx,
        agency,
        mine.map((t) => t.externalRef),
      );
      for (const t of mine)
        if (stored.get(t.externalRef) !== transactionFingerprint(t))
          conflicts.push({
            field: `items[${index.get(`${agency}|${t.externalRef}`)}].externalRef`,
            reason: 'conflict',
            message: 'was already reported with different values',
          });
    }
    if (conflicts.length)
      throw new DomainException(PaymentsErrors.DUPLICATE_EXTERNAL_REF, undefined, conflicts);
    const result: IngestResult = {
      received: items.length,
      inserted: items.length - resent.length,
      duplicates: resent.length,
      duplicateRefs: resent.map((t) => t.externalRef),
    };
    await beforeAudit?.(result);
    // Queued, not chained in this transaction: the chain's lock would make every concurrent
    // batch wait for this one's commit (sealed right after it; see AuditService.recordQueued).
    await this.audit.recordQueued(tx, {
      actor,
      action: 'payments.transactions.report',
      objectType: 'payment_batch',
      details: {
        received: result.received,
        inserted: result.inserted,
        duplicates: result.duplicates,
        source,
      },
    });
    return result;
  }

  /** Pending → succeeded/failed/cancelled, moving the amounts between rollup buckets. */
  async changeStatus(
    actor: Actor,
    externalRef: string,
    status: TransactionStatus,
    agencyCode?: string,
  ): Promise<StatusChangeResult> {
    const own = await this.reportingAgencyCode(actor);
    const agency = own ?? agencyCode;
    if (!agency)
      throw new DomainException(
        PaymentsErrors.TRANSACTION_NOT_FOUND,
        'Name the agency of the transaction',
      );
    if (own !== null && agencyCode !== undefined && agencyCode !== own)
      throw new DomainException(PlatformErrors.OTHER_AGENCY);
    return this.tx.run(async (tx) => {
      const current = await this.facts.findForUpdate(tx, agency, externalRef);
      if (!current)
        throw new DomainException(
          PaymentsErrors.TRANSACTION_NOT_FOUND,
          `No transaction ${externalRef} of ${agency}`,
        );
      if (!canTransition(current.status, status))
        throw new DomainException(
          PaymentsErrors.STATUS_TRANSITION_NOT_ALLOWED,
          `The transaction is ${current.status}; it cannot become ${status}`,
          [],
          { currentStatus: current.status },
        );
      await this.facts.updateStatus(tx, current, status, this.clock.now());
      await this.facts.applyRollupDeltas(tx, rollupDeltasForStatusChange(current, status));
      await this.audit.recordQueued(tx, {
        actor,
        action: 'payments.transaction.status',
        objectType: 'payment_transaction',
        objectId: `${agency}:${externalRef}`.slice(0, 120),
        details: { from: current.status, to: status },
      });
      return { externalRef, previousStatus: current.status, status };
    });
  }
}

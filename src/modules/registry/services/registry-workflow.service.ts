import { Injectable } from '@nestjs/common';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { agencyOf, hasRole, hasScope, requireSameAgency } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { type Tx, TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { normalizeForSearch } from '../../../platform/text/arabic.js';
import { editionColumns } from '../domain/edition-columns.js';
import {
  type EditionContentDraft,
  malformedFields,
  missingRequiredFields,
} from '../domain/edition-content.js';
import { EDITABLE_STATUSES } from '../domain/edition-status.js';
import { isServiceCode } from '../domain/service-code.js';
import type { ServiceEdition } from '../entities/service-edition.entity.js';
import type { Service } from '../entities/service.entity.js';
import { RegistryErrors } from '../errors/registry.errors.js';
import { CatalogueRepository } from '../repositories/catalogue.repository.js';
import { EditionRepository } from '../repositories/edition.repository.js';
import { CatalogueService } from './catalogue.service.js';

export interface DraftInput {
  content: EditionContentDraft;
  changeNote?: string | null;
}

export interface AgencyCompleteness {
  agencyCode: string;
  services: number;
  complete: number;
  /** Field path → number of services where it is missing or malformed. */
  lacking: Record<string, number>;
}

export interface EditionRef {
  service: Service;
  edition: ServiceEdition;
}

/**
 * The registry's rules: who may write which agency's services, the edition workflow
 * (draft → in_review → published, amends_needed back to draft, archived, scheduled
 * publication), four eyes, optimistic locking, and the audit of every transition in the
 * same transaction.
 */
@Injectable()
export class RegistryWorkflowService {
  constructor(
    private readonly editions: EditionRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly agencies: AgencyService,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly publicCatalogue: CatalogueService,
  ) {}

  // ── Who may do what ──

  /** Editors, admins and API clients with registry:write write drafts (their own agency's). */
  private requireEditor(actor: Actor, agencyId: string): void {
    const allowed = hasRole(actor, 'admin', 'agency_editor') || hasScope(actor, 'registry:write');
    if (!allowed)
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        'Editing the registry needs the agency_editor role or the registry:write scope',
      );
    requireSameAgency(actor, agencyId);
  }

  /** Approvers of the agency (or admins) review and publish. */
  private requireApprover(actor: Actor, agencyId: string): void {
    if (!hasRole(actor, 'admin', 'agency_approver'))
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        'Reviewing and publishing needs the agency_approver role',
      );
    requireSameAgency(actor, agencyId);
  }

  private requireFourEyes(actor: Actor, edition: ServiceEdition): void {
    if (actor.id !== null && actor.id === edition.authorId)
      throw new DomainException(
        RegistryErrors.FOUR_EYES,
        'Another approver of the agency must approve this edition',
      );
  }

  private static checkVersion(edition: ServiceEdition, expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && edition.version !== expectedVersion)
      throw new DomainException(
        PlatformErrors.VERSION_CONFLICT,
        `The edition is at version ${edition.version}, not ${expectedVersion}`,
        [],
        { currentVersion: edition.version },
      );
  }

  // ── Loading ──

  async getService(code: string, tx?: Tx): Promise<Service> {
    if (!isServiceCode(code))
      throw new DomainException(RegistryErrors.INVALID_CODE, `"${code}" is not a service code`);
    const service = await this.editions.findServiceByCode(code, tx);
    if (!service) throw new DomainException(RegistryErrors.SERVICE_NOT_FOUND, `No service ${code}`);
    return service;
  }

  private async lockEditionAndService(tx: Tx, editionId: string): Promise<EditionRef> {
    const found = await this.editions.findEditionById(editionId, tx);
    if (!found) throw new DomainException(RegistryErrors.EDITION_NOT_FOUND);
    // Service first, then edition: every writer locks in this order.
    const service = (await this.editions.lockService(tx, found.serviceId))!;
    const edition = (await this.editions.lockEdition(tx, editionId))!;
    return { service, edition };
  }

  /** The working copy (draft, in review or sent back) of a service, as its agency sees it. */
  async getDraft(actor: Actor, code: string): Promise<EditionRef> {
    const service = await this.getService(code);
    if (!(
      hasRole(actor, 'admin', 'agency_editor', 'agency_approver') ||
      hasScope(actor, 'registry:write')
    ))
      throw new DomainException(PlatformErrors.FORBIDDEN);
    requireSameAgency(actor, service.agencyId);
    const edition = await this.editions.findWorkingEdition(service.id);
    if (!edition) throw new DomainException(RegistryErrors.NO_DRAFT, `${code} has no draft`);
    return { service, edition };
  }

  // ── Drafts ──

  /** A new service of the actor's agency (admins name the agency) and its first draft. */
  async createService(
    actor: Actor,
    input: DraftInput & { agencyCode?: string },
  ): Promise<EditionRef> {
    const agencyId = input.agencyCode
      ? (await this.agencies.findByCode(input.agencyCode))?.id
      : (agencyOf(actor) ?? undefined);
    if (!agencyId)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'Unknown agency', [
        { field: 'agencyCode', message: 'unknown or missing agency', reason: 'unknown' },
      ]);
    this.requireEditor(actor, agencyId);
    const agency = await this.agencies.getById(agencyId);
    return this.tx.run(async (tx) => {
      // One writer at a time per agency picks the next number (transaction-scoped lock).
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `registry:code:${agency.code}`,
      ]);
      const number = await this.editions.nextServiceNumber(tx, agency.code);
      const code = `${agency.code}-${String(number).padStart(4, '0')}`;
      const service = await this.editions.insertService(tx, {
        code,
        agencyId,
        popularity: 0,
        firstPublishedAt: null,
        archivedAt: null,
      });
      const edition = await this.insertDraft(tx, actor, service, 1, input);
      await this.audit.record(tx, {
        actor,
        action: 'registry.service.create',
        objectType: 'service',
        objectId: code,
        details: { editionId: edition.id },
      });
      return { service, edition };
    });
  }

  private async insertDraft(
    tx: Tx,
    actor: Actor,
    service: Service,
    editionNumber: number,
    input: DraftInput,
  ): Promise<ServiceEdition> {
    return this.editions.insertEdition(tx, {
      serviceId: service.id,
      agencyId: service.agencyId,
      editionNumber,
      status: 'draft',
      content: input.content,
      changeNote: input.changeNote ?? null,
      ...editionColumns(input.content),
      authorType: actor.type,
      authorId: actor.id ?? 'anonymous',
      authorLabel: actor.label,
      approverId: null,
      approverLabel: null,
    });
  }

  /** A new draft for an existing service, starting from the published content unless given. */
  async startDraft(actor: Actor, code: string, input?: Partial<DraftInput>): Promise<EditionRef> {
    const found = await this.getService(code);
    this.requireEditor(actor, found.agencyId);
    return this.tx.run(async (tx) => {
      const service = (await this.editions.lockService(tx, found.id))!;
      if (await this.editions.findWorkingEdition(service.id, tx))
        throw new DomainException(RegistryErrors.DRAFT_EXISTS, `${code} already has a draft`);
      const published = await this.editions.findPublishedEdition(service.id, tx);
      const content = input?.content ?? published?.content ?? {};
      const number = (await this.editions.lastEditionNumber(tx, service.id)) + 1;
      const edition = await this.insertDraft(tx, actor, service, number, {
        content,
        changeNote: input?.changeNote ?? null,
      });
      await this.audit.record(tx, {
        actor,
        action: 'registry.edition.create',
        objectType: 'service_edition',
        objectId: edition.id,
        details: { code, edition: number },
      });
      return { service, edition };
    });
  }

  /**
   * Replaces the draft's content. `expectedVersion` is the version the writer read; another
   * write in between gives 409. An edition sent back for amends becomes a draft again.
   */
  async updateDraft(
    actor: Actor,
    editionId: string,
    input: DraftInput,
    expectedVersion: number | undefined,
  ): Promise<EditionRef> {
    if (expectedVersion === undefined)
      throw new DomainException(RegistryErrors.EXPECTED_VERSION_REQUIRED);
    return this.tx.run(async (tx) => {
      const { service, edition } = await this.lockEditionAndService(tx, editionId);
      this.requireEditor(actor, service.agencyId);
      if (!EDITABLE_STATUSES.includes(edition.status))
        throw new DomainException(
          RegistryErrors.EDITION_NOT_EDITABLE,
          `The edition is ${edition.status}`,
        );
      RegistryWorkflowService.checkVersion(edition, expectedVersion);
      const from = edition.status;
      Object.assign(edition, {
        content: input.content,
        changeNote: input.changeNote === undefined ? edition.changeNote : input.changeNote,
        ...editionColumns(input.content),
        status: 'draft',
      });
      const saved = await this.editions.saveEdition(tx, edition);
      await this.audit.record(tx, {
        actor,
        action: 'registry.edition.update',
        objectType: 'service_edition',
        objectId: edition.id,
        details: { code: service.code, edition: edition.editionNumber, from, to: 'draft' },
      });
      return { service, edition: saved };
    });
  }

  // ── Transitions ──

  /** draft → in_review. What is still missing is reported, not refused, until approval. */
  async submit(actor: Actor, editionId: string, expectedVersion?: number): Promise<EditionRef> {
    return this.transition(actor, editionId, expectedVersion, 'submit', (service, edition) => {
      this.requireEditor(actor, service.agencyId);
      if (edition.status !== 'draft')
        throw new DomainException(
          RegistryErrors.EDITION_NOT_DRAFT,
          `The edition is ${edition.status}`,
        );
      edition.status = 'in_review';
      edition.submittedAt = this.clock.now();
      edition.reviewNote = null;
    });
  }

  /** in_review → amends_needed, with the approver's note. */
  async requestChanges(
    actor: Actor,
    editionId: string,
    note: string,
    expectedVersion?: number,
  ): Promise<EditionRef> {
    return this.transition(
      actor,
      editionId,
      expectedVersion,
      'request_changes',
      (service, edition) => {
        this.requireApprover(actor, service.agencyId);
        if (edition.status !== 'in_review')
          throw new DomainException(
            RegistryErrors.EDITION_NOT_IN_REVIEW,
            `The edition is ${edition.status}`,
          );
        edition.status = 'amends_needed';
        edition.reviewNote = note.trim() || null;
        edition.scheduledAt = null;
        edition.approvedAt = null;
      },
    );
  }

  /**
   * Approves an edition in review: published now, or at `publishAt` (the scheduler
   * publishes it then). Refused to its author and while anything is missing or malformed.
   */
  async approve(
    actor: Actor,
    editionId: string,
    options: { publishAt?: Date; expectedVersion?: number } = {},
  ): Promise<EditionRef> {
    const now = this.clock.now();
    if (options.publishAt && options.publishAt.getTime() <= now.getTime())
      throw new DomainException(RegistryErrors.INVALID_SCHEDULE, undefined, [
        { field: 'publishAt', message: 'must be in the future', reason: 'range' },
      ]);
    return this.tx.run(async (tx) => {
      const { service, edition } = await this.lockEditionAndService(tx, editionId);
      this.requireApprover(actor, service.agencyId);
      if (edition.status !== 'in_review')
        throw new DomainException(
          RegistryErrors.EDITION_NOT_IN_REVIEW,
          `The edition is ${edition.status}`,
        );
      RegistryWorkflowService.checkVersion(edition, options.expectedVersion);
      this.requireFourEyes(actor, edition);
      RegistryWorkflowService.requireComplete(edition);
      edition.approverId = actor.id;
      edition.approverLabel = actor.label;
      edition.approvedAt = now;
      if (options.publishAt) {
        edition.scheduledAt = options.publishAt;
        const saved = await this.editions.saveEdition(tx, edition);
        await this.audit.record(tx, {
          actor,
          action: 'registry.edition.schedule',
          objectType: 'service_edition',
          objectId: edition.id,
          details: {
            code: service.code,
            edition: edition.editionNumber,
            publishAt: options.publishAt.toISOString(),
          },
        });
        return { service, edition: saved };
      }
      return this.publishLocked(tx, actor, service, edition, now);
    });
  }

  /** Publishes an approved, scheduled edition now (or approves and publishes one in review). */
  async publish(actor: Actor, editionId: string, expectedVersion?: number): Promise<EditionRef> {
    return this.approve(actor, editionId, { expectedVersion });
  }

  /** The scheduler's task: publishes every approved edition whose time has come. */
  async publishDue(): Promise<number> {
    const now = this.clock.now();
    let published = 0;
    for (const id of await this.editions.findDueEditionIds(now)) {
      const done = await this.tx.run(async (tx) => {
        const { service, edition } = await this.lockEditionAndService(tx, id);
        if (edition.status !== 'in_review' || !edition.scheduledAt || edition.scheduledAt > now)
          return false;
        RegistryWorkflowService.requireComplete(edition);
        await this.publishLocked(
          tx,
          { type: 'system', id: 'registry-scheduler', label: 'Registry scheduler' },
          service,
          edition,
          now,
        );
        return true;
      });
      if (done) published += 1;
    }
    return published;
  }

  /** Withdraws a published service: its edition becomes archived and leaves the catalogue. */
  async archive(actor: Actor, editionId: string, expectedVersion?: number): Promise<EditionRef> {
    return this.transition(actor, editionId, expectedVersion, 'archive', (service, edition) => {
      this.requireApprover(actor, service.agencyId);
      if (edition.status !== 'published')
        throw new DomainException(
          RegistryErrors.EDITION_NOT_PUBLISHED,
          `The edition is ${edition.status}`,
        );
      const now = this.clock.now();
      edition.status = 'archived';
      edition.archivedAt = now;
      service.archivedAt = now;
    });
  }

  private static requireComplete(edition: ServiceEdition): void {
    const missing = missingRequiredFields(edition.content);
    const malformed = malformedFields(edition.content);
    if (missing.length || malformed.length)
      throw new DomainException(
        RegistryErrors.INCOMPLETE_EDITION,
        `${missing.length} field(s) missing, ${malformed.length} malformed`,
        [
          ...missing.map((field) => ({
            field,
            message: 'required in both languages',
            reason: 'required',
          })),
          ...malformed.map((field) => ({ field, message: 'malformed', reason: 'format' })),
        ],
        { missing, malformed },
      );
  }

  private async publishLocked(
    tx: Tx,
    actor: Actor,
    service: Service,
    edition: ServiceEdition,
    now: Date,
  ): Promise<EditionRef> {
    const previous = await this.editions.findPublishedEdition(service.id, tx);
    if (previous) {
      previous.status = 'superseded';
      previous.supersededAt = now;
      await this.editions.saveEdition(tx, previous);
    }
    edition.status = 'published';
    edition.publishedAt = now;
    edition.scheduledAt = null;
    const saved = await this.editions.saveEdition(tx, edition);
    service.firstPublishedAt ??= now;
    service.archivedAt = null;
    await this.editions.saveService(tx, service);
    await this.audit.record(tx, {
      actor,
      action: 'registry.edition.publish',
      objectType: 'service_edition',
      objectId: edition.id,
      details: {
        code: service.code,
        edition: edition.editionNumber,
        supersedes: previous?.editionNumber ?? null,
        approver: edition.approverLabel,
      },
    });
    return { service, edition: saved };
  }

  private transition(
    actor: Actor,
    editionId: string,
    expectedVersion: number | undefined,
    verb: string,
    apply: (service: Service, edition: ServiceEdition) => void,
  ): Promise<EditionRef> {
    return this.tx.run(async (tx) => {
      const { service, edition } = await this.lockEditionAndService(tx, editionId);
      const from = edition.status;
      apply(service, edition);
      RegistryWorkflowService.checkVersion(edition, expectedVersion);
      const saved = await this.editions.saveEdition(tx, edition);
      if (verb === 'archive') await this.editions.saveService(tx, service);
      await this.audit.record(tx, {
        actor,
        action: `registry.edition.${verb}`,
        objectType: 'service_edition',
        objectId: edition.id,
        details: { code: service.code, edition: edition.editionNumber, from, to: edition.status },
      });
      return { service, edition: saved };
    });
  }

  // ── Back office ──

  /**
   * Per agency: how many services there are, how many are complete, and for each required
   * field (indices folded: `steps[].title.en`) how many services lack it. Agency-bound staff
   * see their own agency only.
   */
  async completeness(actor: Actor): Promise<AgencyCompleteness[]> {
    if (!hasRole(actor, 'admin', 'agency_editor', 'agency_approver', 'auditor'))
      throw new DomainException(PlatformErrors.FORBIDDEN);
    const own = actor.type === 'staff' && actor.role !== 'admin' && actor.role !== 'auditor';
    const agencyId = own ? agencyOf(actor) : null;
    if (own && !agencyId) throw new DomainException(PlatformErrors.FORBIDDEN);
    const [rows, agencies] = await Promise.all([
      this.editions.currentEditions(agencyId),
      this.agencies.list(),
    ]);
    const byAgency = new Map<string, AgencyCompleteness>();
    for (const row of rows) {
      const agency = agencies.find((a) => a.id === row.agencyId);
      let entry = byAgency.get(row.agencyId);
      if (!entry) {
        entry = { agencyCode: agency?.code ?? '?', services: 0, complete: 0, lacking: {} };
        byAgency.set(row.agencyId, entry);
      }
      entry.services += 1;
      const content = row.content as EditionContentDraft;
      const problems = [...missingRequiredFields(content), ...malformedFields(content)].map((f) =>
        f.replace(/\[\d+\]/g, '[]'),
      );
      if (!problems.length) entry.complete += 1;
      for (const field of new Set(problems)) entry.lacking[field] = (entry.lacking[field] ?? 0) + 1;
    }
    return [...byAgency.values()].sort((a, b) => a.agencyCode.localeCompare(b.agencyCode));
  }

  // ── Search synonyms (registry team) ──

  async setSynonym(actor: Actor, term: string, alternatives: string[]): Promise<void> {
    if (!hasRole(actor, 'admin'))
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        'Only the registry team (admins) edits synonyms',
      );
    const key = normalizeForSearch(term);
    const alts = [...new Set(alternatives.map(normalizeForSearch).filter(Boolean))];
    if (!key || !alts.length)
      throw new DomainException(
        PlatformErrors.VALIDATION_FAILED,
        'A term and at least one alternative are needed',
      );
    await this.tx.run(async (tx) => {
      await this.catalogue.upsertSynonym(tx, key, alts);
      await this.audit.record(tx, {
        actor,
        action: 'registry.synonym.set',
        objectType: 'search_synonym',
        objectId: key,
        details: { alternatives: alts },
      });
    });
    // This instance at once; others within the synonym cache's minute.
    this.publicCatalogue.forgetSynonyms();
  }

  /** The row id of a synonym term (for the back office's redirect after saving). */
  synonymId(term: string): Promise<string | null> {
    return this.catalogue.synonymId(normalizeForSearch(term));
  }

  /** Demand figure for ranking (seeded from portal statistics). */
  async setPopularity(actor: Actor, code: string, popularity: number): Promise<void> {
    const service = await this.getService(code);
    if (!(hasRole(actor, 'admin') || actor.type === 'system'))
      throw new DomainException(PlatformErrors.FORBIDDEN);
    await this.tx.run(async (tx) => {
      await this.editions.setPopularity(tx, service.id, Math.max(0, Math.trunc(popularity)));
      await this.audit.record(tx, {
        actor,
        action: 'registry.service.popularity',
        objectType: 'service',
        objectId: code,
        details: { popularity },
      });
    });
  }
}

import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { requireRole } from '../auth/access.js';
import type { Actor } from '../auth/roles.js';
import { type Tx, TransactionRunner } from '../database/transaction-runner.js';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import type { Agency } from './agency.entity.js';
import { AgencyRepository } from './agency.repository.js';

export interface AgencyInput {
  code: string;
  nameAr: string;
  nameEn: string;
  parentId?: string | null;
  website?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface AgencyNode {
  id: string;
  code: string;
  nameAr: string;
  nameEn: string;
  website: string | null;
  children: AgencyNode[];
}

/** Ministries, authorities and their sub-units: the one list every module shares. */
@Injectable()
export class AgencyService {
  constructor(
    private readonly repo: AgencyRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Agency[]> {
    return this.repo.findAll();
  }

  async getById(id: string): Promise<Agency> {
    const agency = await this.repo.findById(id);
    if (!agency) throw new DomainException(AuthErrors.AGENCY_NOT_FOUND, `No agency with id ${id}`);
    return agency;
  }

  findByCode(code: string): Promise<Agency | null> {
    return this.repo.findByCode(code);
  }

  async tree(): Promise<AgencyNode[]> {
    const all = await this.repo.findAll();
    const nodes = new Map<string, AgencyNode>(
      all.map((a) => [
        a.id,
        {
          id: a.id,
          code: a.code,
          nameAr: a.nameAr,
          nameEn: a.nameEn,
          website: a.website,
          children: [],
        },
      ]),
    );
    const roots: AgencyNode[] = [];
    for (const a of all) {
      const node = nodes.get(a.id)!;
      const parent = a.parentId ? nodes.get(a.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  async create(actor: Actor, input: AgencyInput): Promise<Agency> {
    requireRole(actor, 'admin');
    return this.tx.run(async (tx) => {
      const code = input.code.trim().toUpperCase();
      if (await this.repo.findByCode(code, tx))
        throw new DomainException(AuthErrors.AGENCY_CODE_TAKEN, `Agency code ${code} is taken`, [
          { field: 'code', message: 'already used', reason: 'unique' },
        ]);
      if (input.parentId) await this.requireExists(tx, input.parentId);
      const agency = await this.repo.insert(tx, {
        ...input,
        code,
        parentId: input.parentId ?? null,
      });
      await this.audit.record(tx, {
        actor,
        action: 'agency.create',
        objectType: 'agency',
        objectId: agency.id,
        details: { code },
      });
      return agency;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: Partial<AgencyInput>,
    expectedVersion?: number,
  ): Promise<Agency> {
    requireRole(actor, 'admin');
    return this.tx.run(async (tx) => {
      const agency = await this.requireExists(tx, id);
      if (expectedVersion !== undefined && agency.version !== expectedVersion)
        throw new DomainException(PlatformErrors.VERSION_CONFLICT);
      if (input.parentId) await this.assertNoCycle(tx, id, input.parentId);
      const changed = Object.keys(input).filter((k) => input[k as keyof AgencyInput] !== undefined);
      Object.assign(agency, {
        ...input,
        ...(input.code ? { code: input.code.trim().toUpperCase() } : {}),
      });
      const saved = await this.repo.save(tx, agency);
      await this.audit.record(tx, {
        actor,
        action: 'agency.update',
        objectType: 'agency',
        objectId: id,
        details: { changed },
      });
      return saved;
    });
  }

  private async requireExists(tx: Tx, id: string): Promise<Agency> {
    const agency = await this.repo.findById(id, tx);
    if (!agency)
      throw new DomainException(AuthErrors.AGENCY_NOT_FOUND, `No agency with id ${id}`, [
        { field: 'parentId', message: 'unknown agency' },
      ]);
    return agency;
  }

  private async assertNoCycle(tx: Tx, id: string, parentId: string): Promise<void> {
    let cursor: string | null = parentId;
    for (let depth = 0; cursor && depth < 50; depth++) {
      if (cursor === id)
        throw new DomainException(AuthErrors.AGENCY_CYCLE, undefined, [
          { field: 'parentId', message: 'would create a cycle' },
        ]);
      cursor = (await this.requireExists(tx, cursor)).parentId;
    }
  }
}

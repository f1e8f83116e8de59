import { Injectable } from '@nestjs/common';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DEMO_AGENCIES, DEMO_SERVICES, demoServiceCode } from '../demo/demo-services.js';
import { editionColumns } from '../domain/edition-columns.js';
import { normalizeForSearch } from '../../../platform/text/arabic.js';
import { CatalogueRepository } from '../repositories/catalogue.repository.js';
import { EditionRepository } from '../repositories/edition.repository.js';

const SEED_ACTOR: Actor = {
  type: 'staff',
  id: 'demo-seed',
  label: 'demo seed',
  role: 'admin',
  agencyId: null,
};

/** Synonyms people use for the demo services' words. */
const DEMO_SYNONYMS: [string, string[]][] = [
  ['هويه', ['بطاقه الهويه', 'البطاقه الذكيه']],
  ['باسبور', ['جواز']],
  ['id', ['identity']],
  ['cpr', ['identity']],
  ['licence', ['license']],
];

/**
 * The demo registry: agencies (through AgencyService) and the demo services as published
 * editions, first published on 5 January 2025. Running it twice adds nothing.
 */
@Injectable()
export class RegistryDemoSeeder {
  constructor(
    private readonly agencies: AgencyService,
    private readonly editions: EditionRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async seed(): Promise<void> {
    const ids = new Map<string, string>();
    for (const a of DEMO_AGENCIES) {
      const existing = await this.agencies.findByCode(a.code);
      const agency =
        existing ??
        (await this.agencies.create(SEED_ACTOR, {
          code: a.code,
          nameAr: a.nameAr,
          nameEn: a.nameEn,
          website: a.website,
          parentId: a.parentCode ? (ids.get(a.parentCode) ?? null) : null,
        }));
      ids.set(a.code, agency.id);
    }
    const publishedAt = new Date('2025-01-05T06:00:00Z');
    await this.tx.run(async (tx) => {
      let added = 0;
      for (const s of DEMO_SERVICES) {
        const code = demoServiceCode(s);
        if (await this.editions.findServiceByCode(code, tx)) continue;
        const service = await this.editions.insertService(tx, {
          code,
          agencyId: ids.get(s.agencyCode)!,
          popularity: s.popularity,
          firstPublishedAt: publishedAt,
          archivedAt: null,
        });
        await this.editions.insertEdition(tx, {
          serviceId: service.id,
          agencyId: service.agencyId,
          editionNumber: 1,
          status: 'published',
          content: s.content,
          changeNote: 'First publication',
          ...editionColumns(s.content),
          authorType: 'system',
          authorId: SEED_ACTOR.id!,
          authorLabel: SEED_ACTOR.label,
          approverId: SEED_ACTOR.id,
          approverLabel: SEED_ACTOR.label,
          submittedAt: publishedAt,
          approvedAt: publishedAt,
          publishedAt,
        });
        added += 1;
      }
      for (const [term, alternatives] of DEMO_SYNONYMS)
        await this.catalogue.upsertSynonym(
          tx,
          normalizeForSearch(term),
          alternatives.map(normalizeForSearch),
        );
      if (added)
        await this.audit.record(tx, {
          actor: SEED_ACTOR,
          action: 'registry.demo.seed',
          objectType: 'service',
          details: { services: added },
        });
    });
  }
}

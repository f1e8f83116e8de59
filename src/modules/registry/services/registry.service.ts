import { Injectable } from '@nestjs/common';
import { CatalogueRepository } from '../repositories/catalogue.repository.js';

export interface PublishedServiceSummary {
  code: string;
  agencyId: string;
  agencyCode: string;
  titleAr: string;
  titleEn: string;
}

/** What other modules may ask the registry (payments, strategy KPIs, notifications). */
@Injectable()
export class RegistryService {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async findPublishedByCode(code: string): Promise<PublishedServiceSummary | null> {
    const row = await this.catalogue.publishedByCode(code);
    return row
      ? {
          code: row.code,
          agencyId: row.agency_id,
          agencyCode: row.agency_code,
          titleAr: row.title_ar,
          titleEn: row.title_en,
        }
      : null;
  }

  /**
   * Code → agency code of every published service: for callers that must check many codes
   * inside a transaction of their own (a bulk import), where a query per code is not an option.
   */
  async publishedAgencyByCode(): Promise<Map<string, string>> {
    const rows = await this.catalogue.publishedCodesWithAgency();
    return new Map(rows.map((r) => [r.code, r.agency_code]));
  }

  listPublishedCodes(): Promise<string[]> {
    return this.catalogue.publishedCodes();
  }

  /** Published services with an online channel first published in `year` (Asia/Bahrain). */
  countOnlineServicesFirstPublishedIn(year: number): Promise<number> {
    return this.catalogue.countOnlineFirstPublishedIn(year);
  }
}

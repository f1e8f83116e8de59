import type { EditionContent } from '../domain/edition-content.js';

/** The agency responsible for a service (CPSV-AP competent authority). */
export interface PublishingAgency {
  code: string;
  nameAr: string;
  nameEn: string;
  website?: string;
}

/** The published edition of a service: what the open-data exports read. */
export interface PublishedService {
  /** Stable service code, e.g. `NPRA-001`. */
  code: string;
  /** Edition number of the content below. */
  version: number;
  publishedAt: Date;
  agency: PublishingAgency;
  content: EditionContent;
  /** The public page of the service on the national portal. */
  pageUrl: string;
}

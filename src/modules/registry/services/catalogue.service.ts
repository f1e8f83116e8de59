import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../platform/config/config.js';
import { APP_CONFIG } from '../../../platform/config/config.tokens.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { LIFE_EVENTS } from '../domain/code-lists.js';
import { buildSearchTerms } from '../domain/search-query.js';
import { RegistryErrors } from '../errors/registry.errors.js';
import { toCpsvApJsonLd, toCpsvApTurtle, type CpsvApExportOptions } from '../open-data/cpsv-ap.js';
import type { PublishedService } from '../open-data/published-service.js';
import { toSchemaOrgGovernmentService, type PageLanguage } from '../open-data/schema-org.js';
import type { CatalogueCursor, CatalogueFilter } from '../repositories/catalogue-sql.js';
import {
  CatalogueRepository,
  type PublishedRow,
  type ServicePageRow,
} from '../repositories/catalogue.repository.js';
import { isServiceCode } from '../domain/service-code.js';

/** A list item, as `searchPage` writes it (ServiceListItemResponse). */
export interface ServiceListItem {
  code: string;
  title: string;
  description: string;
  agency: { code: string; name: string };
  audience: string[];
  channels: string[];
  lifeEvents: string[];
  free: boolean;
  onlineOnly: boolean;
  version: number;
  publishedAt: string;
  url: string;
}

export interface ServicePage {
  items: ServiceListItem[];
  next: string | null;
  approximate?: true;
  facets?: SearchFacets;
}

/** Counts per facet value over everything a search matches. */
export interface SearchFacets {
  total: number;
  agency: Record<string, number>;
  audience: Record<string, number>;
  channel: Record<string, number>;
  lifeEvent: Record<string, number>;
  price: Record<string, number>;
  onlineOnly: Record<string, number>;
}

export interface SearchRequest extends CatalogueFilter {
  q?: string;
  lang: PageLanguage;
  limit: number;
  cursor?: string;
  facets?: boolean;
}

/**
 * schema.org markup kept per edition and language (an edition's content never changes), with
 * the agency fields it was built from. Bounded: the oldest entries go first.
 */
const SCHEMA_ORG_CACHE_MAX = 10_000;

/**
 * Encoded service pages kept by representation (see `CatalogueService.service`), up to this
 * many bytes in all (Buffers, outside the JavaScript heap): 5,000 services in one language are
 * ~45 MB. The oldest entries go first.
 */
const PAGE_CACHE_BYTES = 96 * 1024 * 1024;

/** How long synonyms are reused before being read again (they change rarely). */
const SYNONYM_TTL_MS = 60_000;
/** Publisher of the national catalogue in the open-data export. */
const CATALOGUE_PUBLISHER = {
  code: 'IGA',
  nameAr: 'هيئة المعلومات والحكومة الإلكترونية',
  nameEn: 'Information & eGovernment Authority',
  website: 'https://www.iga.gov.bh',
};

export function encodeCursor(c: CatalogueCursor): string {
  return Buffer.from(JSON.stringify([c.tier, c.popularity, c.code])).toString('base64url');
}

export function decodeCursor(text: string): CatalogueCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      Number.isInteger(v[0]) &&
      Number.isInteger(v[1]) &&
      typeof v[2] === 'string' &&
      isServiceCode(v[2])
    )
      return { tier: v[0] as number, popularity: v[1] as number, code: v[2] };
  } catch {
    // falls through to the 400
  }
  throw new DomainException(RegistryErrors.INVALID_CURSOR, undefined, [
    { field: 'query.cursor', message: 'not a cursor this API gave', reason: 'format' },
  ]);
}

/** The public catalogue: search, service pages, versions, change feed, open data. */
@Injectable()
export class CatalogueService {
  private synonymCache?: { at: number; map: Promise<Map<string, string[]>> };
  private readonly schemaOrgCache = new Map<string, { agency: string; json: string }>();
  private readonly pageCache = new Map<string, { key: string; body: Buffer }>();
  private pageCacheBytes = 0;

  constructor(
    private readonly repo: CatalogueRepository,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
  ) {}

  private synonyms(): Promise<Map<string, string[]>> {
    const now = Date.now();
    if (!this.synonymCache || now - this.synonymCache.at > SYNONYM_TTL_MS)
      this.synonymCache = { at: now, map: this.repo.synonyms() };
    return this.synonymCache.map;
  }

  /** Drops cached synonyms (after the registry team changes them). */
  forgetSynonyms(): void {
    this.synonymCache = undefined;
  }

  pageUrl(code: string): string {
    return `${this.app.publicUrl.replace(/\/$/, '')}/v1/services/${code}`;
  }

  /** A page of search results as the JSON text of ServicePageResponse (the items as built by the database). */
  async searchPage(req: SearchRequest): Promise<string> {
    const after = req.cursor ? decodeCursor(req.cursor) : undefined;
    const q = req.q?.trim();
    const terms = q ? buildSearchTerms(q, await this.synonyms()) : null;
    const searchable = terms && (terms.arabic || terms.english) ? terms : null;
    const view = { lang: req.lang, pageUrlPrefix: this.pageUrl('') };
    let rows = await this.repo.search(searchable, req, req.limit, view, after);
    let fuzzy = false;
    if (!rows.length && terms?.text && !after) {
      rows = await this.repo.similarTitles(terms.text, req, req.limit, view);
      fuzzy = rows.length > 0;
    }
    const more = rows.length > req.limit;
    const page = rows.slice(0, req.limit);
    const last = page[page.length - 1];
    const facets = req.facets ? await this.facets(searchable, req) : undefined;
    const next =
      more && last && !fuzzy
        ? encodeCursor({ tier: Number(last.tier), popularity: last.popularity, code: last.code })
        : null;
    return `{"items":[${page.map((r) => r.item_json).join(',')}],"next":${JSON.stringify(next)}${
      fuzzy ? ',"approximate":true' : ''
    }${facets ? `,"facets":${JSON.stringify(facets)}` : ''}}`;
  }

  /** The same page as an object. */
  async search(req: SearchRequest): Promise<ServicePage> {
    return JSON.parse(await this.searchPage(req)) as ServicePage;
  }

  private async facets(
    terms: ReturnType<typeof buildSearchTerms> | null,
    filter: CatalogueFilter,
  ): Promise<SearchFacets> {
    const rows = await this.repo.facets(terms, filter);
    const out: { total: number } & Record<string, Record<string, number> | number> = { total: 0 };
    for (const name of ['agency', 'audience', 'channel', 'lifeEvent', 'price', 'onlineOnly'])
      out[name] = {};
    for (const r of rows) {
      if (r.facet === 'total') out.total = r.count;
      else (out[r.facet] as Record<string, number>)[r.value] = r.count;
    }
    return out as unknown as SearchFacets;
  }

  /** The page's schema.org markup as JSON text, built once per edition, language and agency. */
  private schemaOrgJson(row: ServicePageRow, lang: PageLanguage): string {
    const key = `${row.edition_id}.${lang}`;
    const agency = `${row.agency_name_ar}\u0000${row.agency_name_en}\u0000${row.agency_website ?? ''}`;
    const hit = this.schemaOrgCache.get(key);
    if (hit?.agency === agency) return hit.json;
    const content = JSON.parse(row.content_json) as PublishedRow['content'];
    const json = JSON.stringify(
      toSchemaOrgGovernmentService(this.toPublished({ ...row, content }), lang),
    );
    if (this.schemaOrgCache.size >= SCHEMA_ORG_CACHE_MAX)
      this.schemaOrgCache.delete(this.schemaOrgCache.keys().next().value!);
    this.schemaOrgCache.set(key, { agency, json });
    return json;
  }

  private toPublished(row: PublishedRow): PublishedService {
    return {
      code: row.code,
      version: row.version,
      publishedAt: new Date(row.published_at),
      agency: {
        code: row.agency_code,
        nameAr: row.agency_name_ar,
        nameEn: row.agency_name_en,
        ...(row.agency_website ? { website: row.agency_website } : {}),
      },
      content: row.content,
      pageUrl: this.pageUrl(row.code),
    };
  }

  /**
   * The service page (the published edition, or an older one) as UTF-8 JSON, and its ETag.
   * The edition is read on every request; the encoded body is reused while the row is the same.
   */
  async service(code: string, lang: PageLanguage, version?: number) {
    if (!isServiceCode(code))
      throw new DomainException(RegistryErrors.INVALID_CODE, `"${code}" is not a service code`, [
        { field: 'path.code', message: 'expected AGENCY-NNNN', reason: 'format' },
      ]);
    const row =
      version === undefined
        ? await this.repo.findPublished(code)
        : await this.repo.findVersion(code, version);
    if (!row)
      throw new DomainException(
        version === undefined ? RegistryErrors.SERVICE_NOT_FOUND : RegistryErrors.EDITION_NOT_FOUND,
        version === undefined
          ? `No published service ${code}`
          : `${code} has no public version ${version}`,
      );
    const etag = `"${row.edition_id}.${row.status}.${lang}.${row.figures_tag}"`;
    // The row is read on every request; only its encoding is reused. The ETag names the
    // edition (whose content never changes once submitted), its status, the language and the
    // figures (their tag changes with every refresh); the key adds every other column the body
    // is built from, so a hit is byte for byte the body this row would give.
    const key = `${row.code}\u0000${row.version}\u0000${new Date(row.published_at).getTime()}\u0000${row.change_note}\u0000${row.agency_code}\u0000${row.agency_name_ar}\u0000${row.agency_name_en}\u0000${row.agency_website ?? ''}`;
    const hit = this.pageCache.get(etag);
    if (hit?.key === key) return { etag, body: hit.body };
    const head = JSON.stringify({
      code: row.code,
      version: row.version,
      status: row.status,
      publishedAt: new Date(row.published_at).toISOString(),
      changeNote: row.change_note,
      language: lang,
      agency: {
        code: row.agency_code,
        nameAr: row.agency_name_ar,
        nameEn: row.agency_name_en,
        ...(row.agency_website ? { website: row.agency_website } : {}),
      },
    });
    // The JSON text of ServiceDetailResponse: content and figures are embedded as the database
    // returned them (valid JSON), the markup as cached.
    const text = `${head.slice(0, -1)},"content":${row.content_json},"schemaOrg":${this.schemaOrgJson(row, lang)},"figures":${row.figures_json ?? '[]'}}`;
    // A Buffer of its own (not a slice of Node's shared pool), so the cache holds what it counts.
    const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    body.write(text);
    this.keepPage(etag, key, body);
    return { etag, body };
  }

  private keepPage(etag: string, key: string, body: Buffer): void {
    const old = this.pageCache.get(etag);
    if (old) {
      this.pageCache.delete(etag);
      this.pageCacheBytes -= old.body.length;
    }
    this.pageCache.set(etag, { key, body });
    this.pageCacheBytes += body.length;
    for (const [oldest, entry] of this.pageCache) {
      if (this.pageCacheBytes <= PAGE_CACHE_BYTES) break;
      this.pageCache.delete(oldest);
      this.pageCacheBytes -= entry.body.length;
    }
  }

  async versions(code: string) {
    if (!isServiceCode(code))
      throw new DomainException(RegistryErrors.INVALID_CODE, `"${code}" is not a service code`);
    const rows = await this.repo.versions(code);
    if (!rows.length)
      throw new DomainException(RegistryErrors.SERVICE_NOT_FOUND, `No service ${code}`);
    return rows.map((r) => ({
      version: r.version,
      status: r.status,
      publishedAt: new Date(r.published_at).toISOString(),
      supersededAt: r.superseded_at ? new Date(r.superseded_at).toISOString() : null,
      archivedAt: r.archived_at ? new Date(r.archived_at).toISOString() : null,
      changeNote: r.change_note,
    }));
  }

  async changes(since: Date, limit: number) {
    if (Number.isNaN(since.getTime()))
      throw new DomainException(
        PlatformErrors.INVALID_PARAMETER,
        'since must be an ISO 8601 time',
        [{ field: 'query.since', message: 'not a date-time', reason: 'format' }],
      );
    const rows = await this.repo.changes(since, limit);
    const items = rows.map((r) => ({
      code: r.code,
      version: r.version,
      event: r.event,
      at: new Date(r.at).toISOString(),
      changeNote: r.change_note,
      titleAr: r.title_ar,
      titleEn: r.title_en,
      agencyCode: r.agency_code,
    }));
    return { items, next: items.length ? items[items.length - 1].at : since.toISOString() };
  }

  async lifeEvents(lang: PageLanguage) {
    const counts = await this.repo.lifeEventCounts();
    return LIFE_EVENTS.map((e) => ({
      code: e.code,
      name: e[lang],
      nameAr: e.ar,
      nameEn: e.en,
      services: counts.get(e.code) ?? 0,
    }));
  }

  private exportOptions(): CpsvApExportOptions {
    const base = this.app.publicUrl.replace(/\/$/, '');
    return {
      baseIri: `${base}/v1/open-data/`,
      publisher: CATALOGUE_PUBLISHER,
      landingPage: `${base}/v1/services`,
    };
  }

  async openDataJsonLd() {
    const rows = await this.repo.allPublished();
    return toCpsvApJsonLd(
      rows.map((r) => this.toPublished(r)),
      this.exportOptions(),
    );
  }

  async openDataTurtle(): Promise<string> {
    const rows = await this.repo.allPublished();
    return toCpsvApTurtle(
      rows.map((r) => this.toPublished(r)),
      this.exportOptions(),
    );
  }
}

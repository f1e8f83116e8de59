import type { ServerResponse } from 'node:http';
import { Controller, Get, Header, Headers, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createValidationPipe } from '../../../platform/errors/validation.js';
import { sendJsonText } from '../../../platform/http/send-json.js';
import type { PageLanguage } from '../open-data/schema-org.js';
import {
  ChangeFeedResponse,
  ChangesQuery,
  LifeEventResponse,
  SearchServicesQuery,
  ServiceDetailResponse,
  ServicePageResponse,
  ServiceVersionQuery,
  ServiceVersionResponse,
} from '../dto/catalogue.dto.js';
import { CatalogueService } from '../services/catalogue.service.js';

/** Arabic first: English only when the caller prefers it over Arabic. */
export function pickLanguage(header: string | undefined): PageLanguage {
  if (!header) return 'ar';
  let best: { lang: PageLanguage; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = Number(
      params
        .find((p) => p.trim().startsWith('q='))
        ?.trim()
        .slice(2) ?? '1',
    );
    const lang = tag.startsWith('ar') ? 'ar' : tag.startsWith('en') ? 'en' : null;
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'ar';
}

const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=300';
/**
 * The service page is the hottest public route and almost never has a query string: its
 * query is validated (same pipe, same errors) only when there is one.
 */
const PAGE_QUERY_PIPE = createValidationPipe();

/**
 * A search page: the JSON text of ServicePageResponse (its items as the database wrote them)
 * and its headers. The controller and the lean route (`catalogue-fast-routes.ts`) both answer
 * with it, so their responses are the same byte for byte. Nothing is written before the
 * search has succeeded (an error leaves the response untouched).
 */
export async function sendSearchPage(
  catalogue: CatalogueService,
  res: ServerResponse,
  query: SearchServicesQuery,
  lang: PageLanguage,
): Promise<void> {
  const body = await catalogue.searchPage({
    q: query.q,
    agency: query.agency,
    audience: query.audience,
    channel: query.channel,
    lifeEvent: query.lifeEvent,
    free: query.price === undefined ? undefined : query.price === 'free',
    onlineOnly: query.onlineOnly === 'true' ? true : undefined,
    facets: query.facets === 'true',
    limit: query.limit ?? 20,
    cursor: query.cursor,
    lang,
  });
  // As the controller's @Header decorators set them (they also cover its error responses).
  res.setHeader('Cache-Control', PUBLIC_CACHE);
  res.setHeader('Vary', 'Accept-Language');
  res.setHeader('Content-Language', lang);
  sendJsonText(res, body);
}

/**
 * A service page (the published edition, or `version`), with its ETag, or 304 when the
 * client's copy is current. Shared by the controller and the lean route, as `sendSearchPage`;
 * throws (not found) before writing anything.
 */
export async function sendServicePage(
  catalogue: CatalogueService,
  res: ServerResponse,
  code: string,
  lang: PageLanguage,
  version: number | undefined,
  ifNoneMatch: string | undefined,
): Promise<void> {
  const { etag, body } = await catalogue.service(code, lang, version);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', PUBLIC_CACHE);
  res.setHeader('Vary', 'Accept-Language');
  res.setHeader('Content-Language', lang);
  const tags = ifNoneMatch?.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags?.includes(etag) || ifNoneMatch?.trim() === '*') {
    res.statusCode = 304;
    res.end();
    return;
  }
  sendJsonText(res, body);
}

@ApiTags('public')
@Controller('v1')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get('services')
  @Header('Cache-Control', PUBLIC_CACHE)
  @Header('Vary', 'Accept-Language')
  @ApiOperation({
    summary: 'Search the published services (full text, filters, facets, cursor pages)',
  })
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'ar (default) or en' })
  @ApiOkResponse({ type: ServicePageResponse })
  async search(
    @Query() query: SearchServicesQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await sendSearchPage(this.catalogue, res, query, pickLanguage(acceptLanguage));
  }

  @Get('services/:code')
  @ApiOperation({
    summary: 'A service page: the published edition (or ?version=n), with schema.org markup',
  })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiQuery({
    name: 'version',
    required: false,
    description: 'An older public edition',
    schema: { minimum: 1, type: 'number' },
  })
  @ApiOkResponse({ type: ServiceDetailResponse })
  @ApiNotModifiedResponse({ description: 'The ETag still matches' })
  async service(
    @Param('code') code: string,
    @Req() req: Request,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const query: ServiceVersionQuery = req.url.includes('?')
      ? ((await PAGE_QUERY_PIPE.transform(req.query, {
          type: 'query',
          metatype: ServiceVersionQuery,
        })) as ServiceVersionQuery)
      : {};
    await sendServicePage(
      this.catalogue,
      res,
      code,
      pickLanguage(acceptLanguage),
      query.version,
      ifNoneMatch,
    );
  }

  @Get('services/:code/versions')
  @Header('Cache-Control', PUBLIC_CACHE)
  @ApiOperation({ summary: 'The public editions of a service, newest first, with change notes' })
  @ApiOkResponse({ type: [ServiceVersionResponse] })
  versions(@Param('code') code: string): Promise<ServiceVersionResponse[]> {
    return this.catalogue.versions(code);
  }

  @Get('changes')
  @Header('Cache-Control', 'public, max-age=30')
  @ApiOperation({
    summary: 'Publications and withdrawals after a time, oldest first (a feed for other systems)',
  })
  @ApiOkResponse({ type: ChangeFeedResponse })
  changes(@Query() query: ChangesQuery): Promise<ChangeFeedResponse> {
    return this.catalogue.changes(new Date(query.since), query.limit ?? 500);
  }

  @Get('life-events')
  @Header('Cache-Control', PUBLIC_CACHE)
  @Header('Vary', 'Accept-Language')
  @ApiOperation({ summary: 'Life events, with how many published services each has' })
  @ApiOkResponse({ type: [LifeEventResponse] })
  lifeEvents(
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<LifeEventResponse[]> {
    return this.catalogue.lifeEvents(pickLanguage(acceptLanguage));
  }

  @Get('open-data/cpsv-ap.jsonld')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Content-Type', 'application/ld+json; charset=utf-8')
  @ApiOperation({ summary: 'Every published service as CPSV-AP 3.2.0 JSON-LD (@ar/@en)' })
  @ApiProduces('application/ld+json')
  @ApiOkResponse({ description: 'JSON-LD document', schema: { type: 'object' } })
  async openDataJsonLd(@Res() res: Response): Promise<void> {
    res
      .type('application/ld+json; charset=utf-8')
      .send(JSON.stringify(await this.catalogue.openDataJsonLd()));
  }

  @Get('open-data/cpsv-ap.ttl')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Every published service as CPSV-AP 3.2.0 Turtle' })
  @ApiProduces('text/turtle')
  @ApiOkResponse({ description: 'Turtle document', schema: { type: 'string' } })
  async openDataTurtle(@Res() res: Response): Promise<void> {
    res.type('text/turtle; charset=utf-8').send(await this.catalogue.openDataTurtle());
  }
}

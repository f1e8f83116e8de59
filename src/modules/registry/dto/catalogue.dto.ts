import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AUDIENCES, CHANNEL_TYPES, LIFE_EVENTS } from '../domain/code-lists.js';

const codes = (list: readonly { code: string }[]) => list.map((e) => e.code);

const AUDIENCE_CODES = new Set(codes(AUDIENCES));
const CHANNEL_CODES = new Set(codes(CHANNEL_TYPES));
const LIFE_EVENT_CODES = new Set(codes(LIFE_EVENTS));
const AGENCY_CODE = /^[A-Z][A-Z0-9]{1,15}$/;
const TRUE_FALSE = new Set(['true', 'false']);
/** What each search parameter may be, when given (a strict subset of the decorators below). */
const SEARCH_PARAMETERS: Record<string, (v: string) => boolean> = {
  q: (v) => v.length <= 200,
  agency: (v) => AGENCY_CODE.test(v),
  audience: (v) => AUDIENCE_CODES.has(v),
  channel: (v) => CHANNEL_CODES.has(v),
  lifeEvent: (v) => LIFE_EVENT_CODES.has(v),
  price: (v) => v === 'free' || v === 'paid',
  onlineOnly: (v) => TRUE_FALSE.has(v),
  facets: (v) => TRUE_FALSE.has(v),
  limit: (v) => /^[1-9][0-9]?$|^100$/.test(v),
  cursor: (v) => v.length <= 300,
};

export class SearchServicesQuery {
  /**
   * The search is the busiest public route: a query string that is certainly valid (known
   * parameters, one string each, within the rules below) skips class-validator. Anything
   * else goes through it, and gets its errors. `catalogue.dto.spec.ts` checks both agree.
   */
  static fromValidInput(value: unknown): SearchServicesQuery | undefined {
    if (
      typeof value !== 'object' ||
      value === null ||
      (Object.getPrototypeOf(value) !== null && Object.getPrototypeOf(value) !== Object.prototype)
    )
      return undefined;
    const query = new SearchServicesQuery();
    for (const [key, v] of Object.entries(value)) {
      const check = Object.hasOwn(SEARCH_PARAMETERS, key) ? SEARCH_PARAMETERS[key] : undefined;
      if (!check || typeof v !== 'string' || !check(v)) return undefined;
      (query as Record<string, unknown>)[key] = key === 'limit' ? Number(v) : v;
    }
    return query;
  }

  @ApiPropertyOptional({
    description: 'Full-text query, Arabic or English',
    example: 'تجديد جواز السفر',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Agency code', example: 'NPRA' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9]{1,15}$/)
  agency?: string;

  @ApiPropertyOptional({ enum: codes(AUDIENCES) })
  @IsOptional()
  @IsIn(codes(AUDIENCES))
  audience?: string;

  @ApiPropertyOptional({ enum: codes(CHANNEL_TYPES) })
  @IsOptional()
  @IsIn(codes(CHANNEL_TYPES))
  channel?: string;

  @ApiPropertyOptional({ enum: codes(LIFE_EVENTS) })
  @IsOptional()
  @IsIn(codes(LIFE_EVENTS))
  lifeEvent?: string;

  @ApiPropertyOptional({ enum: ['free', 'paid'] })
  @IsOptional()
  @IsIn(['free', 'paid'])
  price?: 'free' | 'paid';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only services needing no visit' })
  @IsOptional()
  @IsIn(['true', 'false'])
  onlineOnly?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Add counts per facet value' })
  @IsOptional()
  @IsIn(['true', 'false'])
  facets?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}

export class ServiceVersionQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'An older public edition' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;
}

export class ChangesQuery {
  @ApiProperty({
    description: 'ISO 8601 time; publications strictly after it',
    example: '2025-01-01T00:00:00Z',
  })
  @IsISO8601({ strict: true })
  since: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AgencyRefResponse {
  @ApiProperty({ example: 'NPRA' })
  code: string;
  @ApiProperty({ description: 'Name in the language of the response' })
  name: string;
}

export class ServiceListItemResponse {
  @ApiProperty({ example: 'NPRA-0001' })
  code: string;
  @ApiProperty()
  title: string;
  @ApiProperty()
  description: string;
  @ApiProperty({ type: AgencyRefResponse })
  agency: AgencyRefResponse;
  @ApiProperty({ type: [String] })
  audience: string[];
  @ApiProperty({ type: [String] })
  channels: string[];
  @ApiProperty({ type: [String] })
  lifeEvents: string[];
  @ApiProperty()
  free: boolean;
  @ApiProperty()
  onlineOnly: boolean;
  @ApiProperty()
  version: number;
  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
  @ApiProperty()
  url: string;
}

export class FacetsResponse {
  @ApiProperty()
  total: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  agency: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  audience: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  channel: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  lifeEvent: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  price: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  onlineOnly: Record<string, number>;
}

export class ServicePageResponse {
  @ApiProperty({ type: [ServiceListItemResponse] })
  items: ServiceListItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page' })
  next: string | null;
  @ApiPropertyOptional({ description: 'Nothing matched exactly; these titles are close (typos)' })
  approximate?: boolean;
  @ApiPropertyOptional({ type: FacetsResponse })
  facets?: FacetsResponse;
}

export class PublishingAgencyResponse {
  @ApiProperty()
  code: string;
  @ApiProperty()
  nameAr: string;
  @ApiProperty()
  nameEn: string;
  @ApiPropertyOptional()
  website?: string;
}

export class ServiceChannelFiguresResponse {
  @ApiProperty({ example: 'web', description: 'Payment channel' })
  channel: string;
  @ApiProperty({ description: 'Paid without a person at a government desk' })
  electronic: boolean;
  @ApiProperty({ description: 'Succeeded payments' })
  count: number;
  @ApiProperty({ example: '1250000', description: 'Their value in fils' })
  grossFils: string;
  @ApiProperty({ example: '1249000', description: 'Value net of refunds and reversals, in fils' })
  netFils: string;
}

export class ElectronicShareResponse {
  @ApiProperty({ example: 0.41, description: 'Electronic share of the net count, 0–1' })
  byCount: number;
  @ApiProperty({ example: 0.41, description: 'Electronic share of the net value, 0–1' })
  byValue: number;
}

export class ServiceYearFiguresResponse {
  @ApiProperty({ example: 2017, description: 'Calendar year, Asia/Bahrain' })
  year: number;
  @ApiProperty({ type: [ServiceChannelFiguresResponse] })
  channels: ServiceChannelFiguresResponse[];
  @ApiProperty({ type: ElectronicShareResponse })
  electronicShare: ElectronicShareResponse;
}

export class ServiceDetailResponse {
  @ApiProperty({ example: 'NPRA-0001' })
  code: string;
  @ApiProperty()
  version: number;
  @ApiProperty({ enum: ['published', 'superseded', 'archived'] })
  status: string;
  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
  @ApiProperty({ type: String, nullable: true })
  changeNote: string | null;
  @ApiProperty({ enum: ['ar', 'en'] })
  language: string;
  @ApiProperty({ type: PublishingAgencyResponse })
  agency: PublishingAgencyResponse;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Bilingual edition content (CPSV-AP model)',
  })
  content: object;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'schema.org GovernmentService markup',
  })
  schemaOrg: object;
  @ApiProperty({
    type: [ServiceYearFiguresResponse],
    description:
      'Payments for the service per year by channel, and the electronic share (refreshed from payment statistics every few minutes)',
  })
  figures: ServiceYearFiguresResponse[];
}

export class ServiceVersionResponse {
  @ApiProperty()
  version: number;
  @ApiProperty()
  status: string;
  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  supersededAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  archivedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  changeNote: string | null;
}

export class ChangeResponse {
  @ApiProperty()
  code: string;
  @ApiProperty()
  version: number;
  @ApiProperty({ enum: ['published', 'archived'] })
  event: string;
  @ApiProperty({ format: 'date-time' })
  at: string;
  @ApiProperty({ type: String, nullable: true })
  changeNote: string | null;
  @ApiProperty()
  titleAr: string;
  @ApiProperty()
  titleEn: string;
  @ApiProperty()
  agencyCode: string;
}

export class ChangeFeedResponse {
  @ApiProperty({ type: [ChangeResponse] })
  items: ChangeResponse[];
  @ApiProperty({ description: 'Pass as `since` to get what follows' })
  next: string;
}

export class LifeEventResponse {
  @ApiProperty()
  code: string;
  @ApiProperty()
  name: string;
  @ApiProperty()
  nameAr: string;
  @ApiProperty()
  nameEn: string;
  @ApiProperty({ description: 'Published services for this life event' })
  services: number;
}

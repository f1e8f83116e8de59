import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import type { EditionContentDraft } from '../domain/edition-content.js';

export class CreateServiceDto {
  @ApiPropertyOptional({
    description: 'Only admins name an agency; API clients act for their own',
    example: 'NPRA',
  })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9]{1,15}$/)
  agencyCode?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Edition content (may be incomplete while a draft)',
  })
  @IsObject()
  content: EditionContentDraft;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeNote?: string;
}

export class StartDraftDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Default: the published content',
  })
  @IsOptional()
  @IsObject()
  content?: EditionContentDraft;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeNote?: string;
}

export class UpdateDraftDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  content: EditionContentDraft;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeNote?: string;

  @ApiPropertyOptional({ description: 'The version you edited (or send If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class SubmitDraftDto {
  @ApiPropertyOptional({ description: 'The version you reviewed (or send If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class EditionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'NPRA-0001' })
  code: string;
  @ApiProperty()
  editionNumber: number;
  @ApiProperty({
    enum: ['draft', 'in_review', 'amends_needed', 'published', 'superseded', 'archived'],
  })
  status: string;
  @ApiProperty({ description: 'Optimistic-lock version; send it back as If-Match' })
  version: number;
  @ApiProperty({ type: String, nullable: true })
  changeNote: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewNote: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  content: object;
  @ApiProperty({
    type: [String],
    description: 'Required fields still missing (publishing is refused)',
  })
  missing: string[];
  @ApiProperty({ type: [String], description: 'Fields present but malformed' })
  malformed: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  submittedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  publishedAt: string | null;
}

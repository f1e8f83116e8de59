import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportFormat,
  type ExportKind,
} from '../entities/export-job.entity.js';

export class ExportFiltersDto {
  @ApiPropertyOptional({ example: '2017-01-01', description: 'First Bahrain day, inclusive' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;
  @ApiPropertyOptional({ example: '2017-12-31', description: 'Last Bahrain day, inclusive' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  to?: string;
  @ApiPropertyOptional({ example: '2017', description: 'KPI values: the period' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  serviceCode?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(16)
  agencyCode?: string;
}

export class CreateExportDto {
  @ApiProperty({ enum: EXPORT_KINDS })
  @IsIn(EXPORT_KINDS)
  kind: ExportKind;
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
  @ApiPropertyOptional({ type: ExportFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExportFiltersDto)
  filters?: ExportFiltersDto;
}

export class ExportJobDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: EXPORT_KINDS })
  kind: string;
  @ApiProperty({ enum: EXPORT_FORMATS })
  format: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  filters: Record<string, string>;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] })
  status: string;
  @ApiProperty({ description: 'Rows written so far (progress)', example: '50000' })
  rowsWritten: string;
  @ApiProperty({ type: String, nullable: true })
  sha256: string | null;
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The signed manifest once delivered',
  })
  manifest: Record<string, unknown> | null;
}

export class VerifyExportDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The exported file' })
  file: unknown;
  @ApiProperty({ type: 'string', format: 'binary', description: 'Its manifest (JSON)' })
  manifest: unknown;
}

export class VerifyResultDto {
  @ApiProperty()
  valid: boolean;
  @ApiProperty()
  signatureValid: boolean;
  @ApiProperty()
  sha256Matches: boolean;
  @ApiProperty()
  sizeMatches: boolean;
  @ApiProperty({ description: 'SHA-256 of the uploaded file' })
  sha256: string;
  @ApiProperty()
  keyId: string;
  @ApiProperty({ type: String, nullable: true })
  exportId: string | null;
  @ApiProperty({ type: [String] })
  problems: string[];
}

export class ExportKeyDto {
  @ApiProperty({ example: 'Ed25519' })
  algorithm: string;
  @ApiProperty()
  keyId: string;
  @ApiProperty({ description: 'SPKI PEM' })
  publicKeyPem: string;
}

export class AuditChainDto {
  @ApiProperty()
  ok: boolean;
  @ApiProperty()
  events: number;
  @ApiProperty({ type: String, nullable: true })
  headSeq: string | null;
  @ApiProperty()
  headHash: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The first broken link',
  })
  firstBroken?: Record<string, string>;
}

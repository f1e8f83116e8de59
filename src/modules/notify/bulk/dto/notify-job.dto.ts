import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBooleanString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { JOB_STATUSES } from '../entities/notify-job.entity.js';

/** One row of a JSON job (checked by hand against the template: see domain/bulk-rows.ts). */
export class JobRowDto {
  @ApiPropertyOptional({
    example: '+97333123456',
    description: 'Mobile number (SMS) or email address; or give ekeyAccountId',
  })
  to?: string;
  @ApiPropertyOptional({ description: 'eKey account to reach with its verified contact' })
  ekeyAccountId?: string;
  @ApiPropertyOptional({
    example: { name: 'فاطمة', date: '2026-12-01' },
    description: 'A value for every placeholder of the template, and nothing else',
  })
  personalisation?: Record<string, string>;
}

const OPTIONS = {
  templateId: { description: 'Template of the agency of the API client' },
  lang: { enum: ['ar', 'en'], description: 'Language of every row (Arabic when absent)' },
  scheduledFor: {
    example: '2026-12-01T08:00:00+03:00',
    description: 'Start at this minute (seconds are dropped); future, within the horizon',
  },
  reference: { maxLength: 200, description: 'Your reference, copied to every notification' },
} as const;

export class CreateJobDto {
  @ApiProperty(OPTIONS.templateId)
  templateId: string;
  @ApiProperty({ type: [JobRowDto], minItems: 1, maxItems: 100_000 })
  rows: JobRowDto[];
  @ApiPropertyOptional(OPTIONS.lang)
  lang?: 'ar' | 'en';
  @ApiPropertyOptional(OPTIONS.scheduledFor)
  scheduledFor?: string;
  @ApiPropertyOptional(OPTIONS.reference)
  reference?: string;
  @ApiPropertyOptional({ description: 'A legal notice citizens cannot opt out of' })
  critical?: boolean;
  @ApiPropertyOptional({ description: 'Each notice replaces a paper letter (statistics)' })
  replacesPaperLetter?: boolean;
}

/** The form fields that come with an uploaded CSV file (multipart/form-data). */
export class CreateCsvJobDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The CSV file (UTF-8)' })
  @IsOptional()
  file?: unknown;
  @ApiProperty(OPTIONS.templateId)
  @IsString()
  @MaxLength(36)
  templateId: string;
  @ApiPropertyOptional(OPTIONS.lang)
  @IsOptional()
  @IsIn(['ar', 'en'])
  lang?: string;
  @ApiPropertyOptional(OPTIONS.scheduledFor)
  @IsOptional()
  @IsString()
  scheduledFor?: string;
  @ApiPropertyOptional(OPTIONS.reference)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsBooleanString()
  critical?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsBooleanString()
  replacesPaperLetter?: string;
}

export class JobCountsDto {
  @ApiProperty({ description: 'Rows not yet handed to the send path' })
  pending: number;
  @ApiProperty({ description: 'Rows a worker is handing over now' })
  sending: number;
  @ApiProperty({ description: 'Rows that became a notification (see its own status)' })
  sent: number;
  @ApiProperty({ description: 'Rows the send path refused (e.g. the citizen opted out)' })
  failed: number;
  @ApiProperty({ description: 'Rows not sent because the job was cancelled' })
  cancelled: number;
}

export class JobDiwanStatusCountsDto {
  @ApiProperty() accepted: number;
  @ApiProperty() queued: number;
  @ApiProperty() sending: number;
  @ApiProperty({ description: 'Handed to the provider, no receipt yet' }) sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty({ description: 'Retried while the provider allows, final after an expiry receipt' })
  temporary_failure: number;
  @ApiProperty() permanent_failure: number;
  @ApiProperty() technical_failure: number;
  @ApiProperty() cancelled: number;
}

export class JobNotifyStatusCountsDto {
  @ApiProperty() created: number;
  @ApiProperty({ description: 'Includes temporary failures that will be retried' })
  sending: number;
  @ApiProperty() delivered: number;
  @ApiProperty() 'permanent-failure': number;
  @ApiProperty() 'temporary-failure': number;
  @ApiProperty() 'technical-failure': number;
  @ApiProperty() cancelled: number;
}

export class JobDeliveryCountsDto {
  @ApiProperty({ type: JobDiwanStatusCountsDto, description: 'Per Diwan status (as in /v1)' })
  byStatus: JobDiwanStatusCountsDto;
  @ApiProperty({
    type: JobNotifyStatusCountsDto,
    description: "Per status in GOV.UK Notify's words (as in /v2 and callbacks)",
  })
  byNotifyStatus: JobNotifyStatusCountsDto;
}

export class JobDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  templateId: string;
  @ApiProperty({ enum: ['sms', 'email'] })
  channel: 'sms' | 'email';
  @ApiProperty({ enum: ['ar', 'en'], nullable: true, type: String })
  lang: 'ar' | 'en' | null;
  @ApiProperty({ enum: JOB_STATUSES })
  status: (typeof JOB_STATUSES)[number];
  @ApiProperty()
  rowCount: number;
  @ApiProperty({ nullable: true, type: String })
  originalFileName: string | null;
  @ApiProperty({ nullable: true, type: String })
  reference: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  scheduledFor: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  startedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  finishedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  cancelledAt: string | null;
  @ApiProperty({ type: JobCountsDto, description: 'Rows per state' })
  counts: JobCountsDto;
  @ApiProperty({
    type: JobDeliveryCountsDto,
    nullable: true,
    description:
      "The job's notifications (its sent rows) per delivery status; given when one job is read, created or cancelled, null in lists",
  })
  delivery: JobDeliveryCountsDto | null;
}

export class JobListQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'createdAt of the last job of the previous page',
  })
  @IsOptional()
  @IsString()
  before?: string;
}

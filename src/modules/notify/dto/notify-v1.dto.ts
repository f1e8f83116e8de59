import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PUBLIC_STATUSES } from '../../notifications/services/notification-query.service.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SendNotificationDto {
  @ApiProperty({ enum: ['sms', 'email'] })
  @IsIn(['sms', 'email'])
  channel: 'sms' | 'email';

  @ApiPropertyOptional({
    description:
      'Mobile number (E.164 or local) or email address; exactly one of to and ekeyAccountId',
    example: '+97336001234',
  })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;

  @ApiPropertyOptional({
    description:
      'An eKey account: Diwan uses its verified contact for the channel and its preferred language; the e-service never learns the contact',
  })
  @IsOptional()
  @IsUUID()
  ekeyAccountId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  templateId: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { name: 'Fatima', ref: 'LIC-2026-0042' },
  })
  @IsOptional()
  @IsObject()
  personalisation?: Record<string, string | number | boolean>;

  @ApiPropertyOptional({
    enum: ['ar', 'en'],
    description: "Default: the eKey account's language, else Arabic",
  })
  @IsOptional()
  @IsIn(['ar', 'en'])
  lang?: 'ar' | 'en';

  @ApiPropertyOptional({ description: 'A legal notice: sent even if the recipient opted out' })
  @IsOptional()
  @IsBoolean()
  critical?: boolean;

  @ApiPropertyOptional({ description: 'Sent instead of a paper letter (counted in statistics)' })
  @IsOptional()
  @IsBoolean()
  replacesPaperLetter?: boolean;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class NotificationContentDto {
  @ApiProperty()
  body: string;
  @ApiProperty({ nullable: true, type: String })
  subject: string | null;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({
    enum: [
      'accepted',
      'queued',
      'sending',
      'sent',
      'delivered',
      'temporary_failure',
      'permanent_failure',
      'technical_failure',
      'cancelled',
    ],
  })
  status: string;
  @ApiProperty({ enum: PUBLIC_STATUSES, description: "GOV.UK Notify's name for the status" })
  notifyStatus: string;
  @ApiProperty({ enum: ['sms', 'email'] })
  channel: string;
  @ApiProperty({ enum: ['ar', 'en'] })
  lang: string;
  @ApiProperty({
    description: 'Masked, e.g. +973****34 or f***@example.bh',
    nullable: true,
    type: String,
  })
  recipient: string | null;
  @ApiProperty({ nullable: true, type: String })
  templateId: string | null;
  @ApiProperty({ nullable: true, type: Number })
  templateVersion: number | null;
  @ApiProperty({ nullable: true, type: String })
  reference: string | null;
  @ApiProperty()
  replacesPaperLetter: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'SMS parts' })
  segments: number | null;
  @ApiProperty()
  acceptedAt: string;
  @ApiProperty({ nullable: true, type: String })
  sentAt: string | null;
  @ApiProperty({ nullable: true, type: String })
  completedAt: string | null;
  @ApiPropertyOptional({ type: NotificationContentDto })
  content?: NotificationContentDto;
}

export class NotificationListQueryDto {
  @ApiPropertyOptional({ enum: PUBLIC_STATUSES })
  @IsOptional()
  @IsIn(PUBLIC_STATUSES)
  status?: (typeof PUBLIC_STATUSES)[number];

  @ApiPropertyOptional({ enum: ['sms', 'email'] })
  @IsOptional()
  @IsIn(['sms', 'email'])
  channel?: 'sms' | 'email';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only notifications accepted before this one',
  })
  @IsOptional()
  @IsUUID()
  olderThan?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] })
  notifications: NotificationDto[];
  @ApiPropertyOptional({ description: 'The next page, when there is one' })
  next?: string;
}

export class PaperLetterQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First Bahrain day (YYYY-MM-DD)' })
  @Matches(DAY)
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last Bahrain day (YYYY-MM-DD)' })
  @Matches(DAY)
  to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'With reports:read only: one agency' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class PaperLetterRowDto {
  @ApiProperty({ nullable: true, type: String })
  agencyId: string | null;
  @ApiProperty({ example: '2026-03' })
  month: string;
  @ApiProperty({ description: 'Notices sent instead of a paper letter (handed to a provider)' })
  lettersReplaced: number;
  @ApiProperty({ description: 'Handed to a provider (sent or delivered)' })
  sent: number;
  @ApiProperty()
  delivered: number;
  @ApiProperty({ description: 'Failed for good' })
  failed: number;
  @ApiProperty({ description: 'SMS parts of what was sent' })
  smsSegments: number;
}

export class PaperLetterReportDto {
  @ApiProperty()
  from: string;
  @ApiProperty()
  to: string;
  @ApiProperty({ type: [PaperLetterRowDto] })
  rows: PaperLetterRowDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import {
  PAYMENT_CHANNEL_CODES,
  TRANSACTION_KIND_CODES,
  TRANSACTION_STATUS_CODES,
} from '../domain/channels.js';

/** Documentation of one reported transaction (checked by hand: see transaction-input.ts). */
export class TransactionItemDto {
  @ApiProperty({ example: 'PAY-2026-000123', maxLength: 100 })
  externalRef: string;
  @ApiProperty({ example: '2026-03-01T09:30:00+03:00', description: 'ISO 8601 with offset' })
  occurredAt: string;
  @ApiProperty({ example: 'NPRA-0001' })
  serviceCode: string;
  @ApiProperty({ example: 'NPRA', description: 'Must be the agency of the API client' })
  agencyCode: string;
  @ApiProperty({ enum: PAYMENT_CHANNEL_CODES })
  channel: string;
  @ApiProperty({ enum: TRANSACTION_KIND_CODES })
  kind: string;
  @ApiProperty({ enum: TRANSACTION_STATUS_CODES })
  status: string;
  @ApiProperty({
    example: '12500',
    description: 'Integer fils as a string of digits (1 BHD = 1000 fils)',
  })
  amountFils: string;
  @ApiProperty({ example: '0', description: 'Integer fils as a string of digits' })
  feeFils: string;
  @ApiProperty({ enum: ['BHD'] })
  currency: string;
  @ApiPropertyOptional({ description: 'For a refund or reversal: the payment it undoes' })
  originalRef?: string;
}

export class TransactionBatchDto {
  @ApiProperty({ type: [TransactionItemDto], minItems: 1, maxItems: 1000 })
  items: TransactionItemDto[];
}

export class IngestResultDto {
  @ApiProperty({ description: 'Transactions in the batch' })
  received: number;
  @ApiProperty({ description: 'Newly stored' })
  inserted: number;
  @ApiProperty({ description: 'Already reported with the same values (counted once)' })
  duplicates: number;
  @ApiProperty({ type: [String] })
  duplicateRefs: string[];
}

export class StatusChangeDto {
  @ApiProperty({ enum: ['succeeded', 'failed', 'cancelled'] })
  @IsIn(['succeeded', 'failed', 'cancelled'])
  status: 'succeeded' | 'failed' | 'cancelled';
}

export class StatusChangeResultDto {
  @ApiProperty()
  externalRef: string;
  @ApiProperty({ enum: TRANSACTION_STATUS_CODES })
  previousStatus: string;
  @ApiProperty({ enum: TRANSACTION_STATUS_CODES })
  status: string;
}

export class ImportLineErrorDto {
  @ApiProperty()
  line: number;
  @ApiProperty()
  field: string;
  @ApiProperty()
  reason: string;
  @ApiProperty()
  message: string;
}

export class ImportReportDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  importId: string | null;
  @ApiProperty({ enum: ['merged', 'rejected'] })
  outcome: string;
  @ApiProperty()
  rows: number;
  @ApiProperty()
  inserted: number;
  @ApiProperty()
  duplicates: number;
  @ApiProperty()
  errorCount: number;
  @ApiProperty({ type: [ImportLineErrorDto] })
  errors: ImportLineErrorDto[];
}

/** Query strings are checked by resolvePeriod and the stats service (problem+json paths). */
export class StatsQueryDto {
  @ApiProperty({ enum: ['day', 'month', 'quarter', 'year', 'custom'] })
  @IsOptional()
  @IsString()
  period?: string;
  @ApiPropertyOptional({
    description: 'YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY by period; default: the current one',
  })
  @IsOptional()
  @IsString()
  date?: string;
  @ApiPropertyOptional({ description: 'Custom period: first Bahrain day, inclusive' })
  @IsOptional()
  @IsString()
  from?: string;
  @ApiPropertyOptional({ description: 'Custom period: last Bahrain day, inclusive' })
  @IsOptional()
  @IsString()
  to?: string;
  @ApiPropertyOptional({ enum: ['channel', 'electronic', 'service', 'agency', 'kind'] })
  @IsOptional()
  @IsString()
  groupBy?: string;
  @ApiPropertyOptional({ example: 'NPRA' })
  @IsOptional()
  @IsString()
  agency?: string;
  @ApiPropertyOptional({ example: 'NPRA-0001' })
  @IsOptional()
  @IsString()
  service?: string;
}

class CountsDto {
  @ApiProperty({ example: '1025000' }) payments: string;
  @ApiProperty() refunds: string;
  @ApiProperty() reversals: string;
  @ApiProperty({ description: 'payments − reversals' }) net: string;
}
class ElectronicDto {
  @ApiProperty() netCount: string;
  @ApiProperty() netFils: string;
  @ApiProperty({ example: '74000000.000' }) netBhd: string;
}
export class TotalsDto {
  @ApiProperty({ type: CountsDto }) count: CountsDto;
  @ApiProperty({ description: 'Payments, fils' }) grossFils: string;
  @ApiProperty({ description: 'Refunds and reversals, fils' }) refundsFils: string;
  @ApiProperty({ description: 'gross − refunds, fils' }) netFils: string;
  @ApiProperty() feeFils: string;
  @ApiProperty({ example: '180487804.878' }) netBhd: string;
  @ApiProperty({ type: ElectronicDto }) electronic: ElectronicDto;
  @ApiProperty({ example: 0.41 }) electronicShareByCount: number;
  @ApiProperty({ example: 0.41 }) electronicShareByValue: number;
}
export class GroupTotalsDto extends TotalsDto {
  @ApiProperty() key: string;
  @ApiProperty() labelEn: string;
  @ApiProperty() labelAr: string;
}
class PeriodDto {
  @ApiProperty() kind: string;
  @ApiProperty() label: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}
class FiltersDto {
  @ApiProperty({ nullable: true, type: String }) agency: string | null;
  @ApiProperty({ nullable: true, type: String }) service: string | null;
}
class PreviousDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
}
export class StatsReportDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: FiltersDto }) filters: FiltersDto;
  @ApiProperty({ nullable: true, type: String }) groupBy: string | null;
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
  @ApiProperty({ type: [GroupTotalsDto] }) groups: GroupTotalsDto[];
  @ApiProperty({ type: PreviousDto }) previous: PreviousDto;
}

export class ReconcileDto {
  @ApiProperty({ example: '2026-03-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from: string;
  @ApiProperty({ example: '2026-03-31' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to: string;
  @ApiPropertyOptional({ description: 'Staff only' })
  @IsOptional()
  @IsBoolean()
  repair?: boolean;
}

class RollupDifferenceDto {
  @ApiProperty() table: string;
  @ApiProperty() day: string;
  @ApiProperty() serviceCode: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty() channel: string;
  @ApiProperty() kind: string;
  @ApiProperty() status: string;
  @ApiProperty() countDiff: string;
  @ApiProperty() amountFilsDiff: string;
  @ApiProperty() feeFilsDiff: string;
}
export class ReconciliationReportDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() rollupRowsChecked: number;
  @ApiProperty({ type: [RollupDifferenceDto] }) differences: RollupDifferenceDto[];
  @ApiProperty() repaired: boolean;
}

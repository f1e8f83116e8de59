import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BilingualText {
  @ApiProperty({ example: '٧٥٬٠٠٠' })
  ar: string;
  @ApiProperty({ example: '75,000' })
  en: string;
}

export class ReportKpiDto {
  @ApiProperty({ example: 'EKEY_REGISTRATIONS' })
  code: string;
  @ApiProperty()
  nameAr: string;
  @ApiProperty()
  nameEn: string;
  @ApiProperty({ enum: ['count', 'percent', 'fils'] })
  unit: string;
  @ApiProperty({ enum: ['higher', 'lower'] })
  direction: string;
  @ApiProperty({ example: 'computed:ekey.registrations' })
  source: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'In the target unit: count, fils, or basis points for percent KPIs (3500 = 35 %)',
    example: '50000',
  })
  target: string | null;
  @ApiProperty({ type: BilingualText, nullable: true })
  targetText: BilingualText | null;
  @ApiProperty({ type: String, nullable: true })
  baseline: string | null;
  @ApiProperty({ type: String, nullable: true, example: '75000' })
  numerator: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Percent KPIs only' })
  denominator: string | null;
  @ApiProperty({ type: BilingualText, nullable: true })
  valueText: BilingualText | null;
  @ApiProperty({ description: 'Share of the data the source covered (0 = unavailable)' })
  coveragePercent: number;
  @ApiProperty({ enum: ['approved', 'provisional', 'live', 'unavailable', 'missing'] })
  status: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  computedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  approvedBy: string | null;
  @ApiProperty({ type: String, nullable: true })
  evidenceRef: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'actual ÷ target, percent, one decimal',
    example: '150.0',
  })
  achievementPercent: string | null;
  @ApiProperty({ type: BilingualText, nullable: true })
  achievementText: BilingualText | null;
  @ApiProperty({ type: Boolean, nullable: true })
  met: boolean | null;
  @ApiProperty({ type: String, nullable: true })
  unavailableReason: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: 'Figures behind a share: electronicCount, totalCount, electronicFils, totalFils',
  })
  details: Record<string, string> | null;
}

export class ReportGoalDto {
  @ApiProperty()
  code: string;
  @ApiProperty()
  nameAr: string;
  @ApiProperty()
  nameEn: string;
  @ApiProperty({ type: [String], example: ['government_action_plan'] })
  alignment: string[];
  @ApiProperty()
  priority: number;
  @ApiProperty({ type: [ReportKpiDto] })
  kpis: ReportKpiDto[];
}

export class StrategyReportDto {
  @ApiProperty({ example: 2017 })
  year: number;
  @ApiProperty({ format: 'date-time' })
  generatedAt: string;
  @ApiProperty({ type: [ReportGoalDto] })
  goals: ReportGoalDto[];
  @ApiProperty()
  kpisMet: number;
  @ApiProperty()
  kpisAssessed: number;
  @ApiProperty()
  approvedCount: number;
  @ApiProperty()
  kpiCount: number;
}

import { Controller, Get, Header, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequireScopes } from '../../../platform/auth/guards.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { StrategyReportDto } from '../dto/strategy-report.dto.js';
import { StrategyErrors } from '../errors/strategy.errors.js';
import { StrategyReportService } from '../services/strategy-report.service.js';

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text))
    throw new DomainException(StrategyErrors.INVALID_YEAR, `"${text}" is not a year`);
  return Number(text);
}

@ApiTags('reports')
@Controller('v1/reports/strategy')
export class StrategyReportController {
  constructor(private readonly reports: StrategyReportService) {}

  @Get(':year.pdf')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'The committee report as a bilingual PDF (Arabic pages first)' })
  @ApiParam({ name: 'year', example: '2017' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF', schema: { type: 'string', format: 'binary' } })
  @Header('Cache-Control', 'no-store')
  async pdf(
    @Param('year') year: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.reports.pdfDocument(actor, parseYear(year));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="diwan-strategy-${year}.pdf"`);
    return new StreamableFile(pdf);
  }

  @Get(':year')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: "The supreme committee's yearly KPI report" })
  @ApiParam({ name: 'year', example: '2017' })
  @ApiOkResponse({ type: StrategyReportDto })
  @Header('Cache-Control', 'no-store')
  async json(
    @Param('year') year: string,
    @CurrentActor() actor: Actor,
  ): Promise<StrategyReportDto> {
    return this.reports.json(actor, parseYear(year));
  }
}

import type { Request, Response } from 'express';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, RequireScopes } from '../../../platform/auth/guards.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PaymentsErrors } from '../errors/payments.errors.js';
import {
  ImportReportDto,
  IngestResultDto,
  ReconcileDto,
  ReconciliationReportDto,
  StatsQueryDto,
  StatsReportDto,
  StatusChangeDto,
  StatusChangeResultDto,
  TransactionBatchDto,
} from '../dto/payments.dto.js';
import { PaymentImportService } from '../services/payment-import.service.js';
import { PaymentIngestService } from '../services/payment-ingest.service.js';
import { PaymentReconciliationService } from '../services/payment-reconciliation.service.js';
import { PaymentStatsService } from '../services/payment-stats.service.js';

@ApiTags('payments')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly ingest: PaymentIngestService,
    private readonly imports: PaymentImportService,
    private readonly stats: PaymentStatsService,
    private readonly reconciliation: PaymentReconciliationService,
  ) {}

  @Post('transactions')
  @RequireScopes('payments:write')
  @ApiOperation({
    summary: 'Report a batch of 1 to 1000 transactions (all-or-nothing, idempotent by key)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'One key per batch; a retry reuses it',
  })
  @ApiBody({ type: TransactionBatchDto })
  @ApiCreatedResponse({ type: IngestResultDto })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED or PAYMENTS_DUPLICATE_EXTERNAL_REF' })
  async report(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestResultDto> {
    const answer = await this.ingest.ingest(actor, key, body);
    res.status(answer.status);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }

  @Patch('transactions/:ref')
  @RequireScopes('payments:write')
  @ApiOperation({ summary: 'Settle a pending transaction: succeeded, failed or cancelled' })
  @ApiOkResponse({ type: StatusChangeResultDto })
  @ApiConflictResponse({ description: 'PAYMENTS_STATUS_TRANSITION_NOT_ALLOWED' })
  changeStatus(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body() body: StatusChangeDto,
  ): Promise<StatusChangeResultDto> {
    return this.ingest.changeStatus(actor, ref, body.status);
  }

  @Post('imports')
  @RequireScopes('payments:write')
  @ApiOperation({
    summary:
      'Import historic transactions from a CSV file (text/csv, header = item fields); all-or-nothing',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: ImportReportDto })
  async importCsv(@CurrentActor() actor: Actor, @Req() req: Request): Promise<ImportReportDto> {
    if (!/^text\/csv\b/i.test(req.headers['content-type'] ?? ''))
      throw new DomainException(PaymentsErrors.CSV_UNSUPPORTED_MEDIA_TYPE);
    return this.imports.importCsv(actor, req);
  }

  @Get('stats')
  @RequireScopes()
  @ApiOperation({
    summary:
      'Counts, gross, refunds, net and electronic share (by count and by value) for a period, from the rollups. Scope payments:read (own agency) or reports:read (all agencies).',
  })
  @ApiOkResponse({ type: StatsReportDto })
  statistics(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto): Promise<StatsReportDto> {
    return this.stats.report(actor, query);
  }

  @Post('reconciliations')
  @RequireScopes('reports:read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute the rollups of a period from the facts and list differences',
  })
  @ApiOkResponse({ type: ReconciliationReportDto })
  reconcile(
    @CurrentActor() actor: Actor,
    @Body() body: ReconcileDto,
  ): Promise<ReconciliationReportDto> {
    return this.reconciliation.reconcile(actor, body.from, body.to, { repair: body.repair });
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditChainController, ExportController } from './controllers/export.controller.js';
import { StrategyReportController } from './controllers/strategy-report.controller.js';
import { StrategyDemoSeeder } from './demo/strategy-demo.seeder.js';
import { ExportJob } from './entities/export-job.entity.js';
import { KpiDefinition } from './entities/kpi-definition.entity.js';
import { KpiTarget } from './entities/kpi-target.entity.js';
import { KpiValue } from './entities/kpi-value.entity.js';
import { StrategicGoal } from './entities/strategic-goal.entity.js';
import { ExportSources } from './exports/export-sources.js';
import { SourceResolver } from './ports/source-resolver.js';
import { StrategySources } from './ports/sources.js';
import { ExportProcessor } from './processors/export.processor.js';
import { PdfRenderer } from './report/pdf-renderer.js';
import { ExportRepository } from './repositories/export.repository.js';
import { StrategyRepository } from './repositories/strategy.repository.js';
import { ExportService } from './services/export.service.js';
import { KpiCalculator } from './services/kpi-calculator.js';
import { KpiComputationSchedule } from './services/kpi-computation-schedule.js';
import { StrategyReportService } from './services/strategy-report.service.js';
import { StrategyService } from './services/strategy.service.js';

/**
 * Strategy KPIs, the committee's yearly report and auditor exports. Reads the other modules
 * only through their exported services, found at call time (see ports/), so it runs (with
 * those KPIs unavailable) when a module is absent.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([StrategicGoal, KpiDefinition, KpiTarget, KpiValue, ExportJob]),
  ],
  controllers: [StrategyReportController, ExportController, AuditChainController],
  providers: [
    SourceResolver,
    StrategySources,
    StrategyRepository,
    ExportRepository,
    KpiCalculator,
    StrategyService,
    StrategyReportService,
    PdfRenderer,
    ExportSources,
    ExportService,
    ExportProcessor,
    KpiComputationSchedule,
    StrategyDemoSeeder,
  ],
  exports: [
    StrategyService,
    StrategyReportService,
    ExportService,
    KpiComputationSchedule,
    StrategyDemoSeeder,
  ],
})
export class StrategyModule {}

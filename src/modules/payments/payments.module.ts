import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsController } from './controllers/payments.controller.js';
import { PaymentsFastRoutes } from './controllers/payments-fast-routes.js';
import { PaymentsDemoSeeder } from './demo/payments-demo.seeder.js';
import { PaymentImport } from './entities/payment-import.entity.js';
import { PaymentIngestRequest } from './entities/payment-ingest-request.entity.js';
import { PaymentTransactionRecord } from './entities/payment-transaction-record.entity.js';
import { PaymentFactsRepository } from './repositories/payment-facts.repository.js';
import { PaymentRollupRepository } from './repositories/payment-rollup.repository.js';
import { PaymentImportService } from './services/payment-import.service.js';
import { PaymentIngestService } from './services/payment-ingest.service.js';
import { PaymentMaintenanceService } from './services/payment-maintenance.service.js';
import { PaymentReconciliationService } from './services/payment-reconciliation.service.js';
import { PaymentStatsService } from './services/payment-stats.service.js';
import { ServiceCatalog } from './services/service-catalog.js';
import { ServiceFiguresRepository } from './repositories/service-figures.repository.js';
import { ServiceFiguresService } from './services/service-figures.service.js';
import { PaymentBrowseRepository } from './repositories/payment-browse.repository.js';
import { PaymentTransactionBrowser } from './services/payment-browser.js';

/** Payments statistics: facts, rollups, ingest, CSV import, statistics and reconciliation. */
@Module({
  imports: [
    TypeOrmModule.forFeature([PaymentIngestRequest, PaymentImport, PaymentTransactionRecord]),
  ],
  controllers: [PaymentsController],
  providers: [
    PaymentFactsRepository,
    PaymentRollupRepository,
    ServiceCatalog,
    PaymentIngestService,
    PaymentImportService,
    PaymentStatsService,
    PaymentsFastRoutes,
    PaymentReconciliationService,
    PaymentMaintenanceService,
    PaymentsDemoSeeder,
    ServiceFiguresRepository,
    ServiceFiguresService,
    PaymentBrowseRepository,
    PaymentTransactionBrowser,
  ],
  exports: [
    PaymentStatsService,
    PaymentIngestService,
    PaymentImportService,
    PaymentReconciliationService,
    PaymentsDemoSeeder,
    ServiceFiguresService,
    PaymentTransactionBrowser,
  ],
})
export class PaymentsModule {}

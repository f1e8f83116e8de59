import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Scheduler } from '../../platform/queue/scheduler.js';
import { CatalogueFastRoutes } from './controllers/catalogue-fast-routes.js';
import { CatalogueController } from './controllers/catalogue.controller.js';
import { RegistryApiController } from './controllers/registry-api.controller.js';
import { SearchSynonym } from './entities/search-synonym.entity.js';
import { ServiceEdition } from './entities/service-edition.entity.js';
import { ServicePaymentFigures } from './entities/service-payment-figures.entity.js';
import { Service } from './entities/service.entity.js';
import { CatalogueRepository } from './repositories/catalogue.repository.js';
import { EditionRepository } from './repositories/edition.repository.js';
import { ServiceFiguresRepository } from './repositories/service-figures.repository.js';
import { CatalogueService } from './services/catalogue.service.js';
import { RegistryDemoSeeder } from './services/registry-demo.seeder.js';
import { RegistryWorkflowService } from './services/registry-workflow.service.js';
import { RegistryService } from './services/registry.service.js';
import { RegistryFiguresService } from './services/registry-figures.service.js';

/** How often due scheduled publications are looked for. */
const PUBLISH_DUE_EVERY_MS = 60_000;
/** How often each service's payment figures are copied from payments (issue #8). */
const REFRESH_FIGURES_EVERY_MS = 5 * 60_000;

/** The national catalogue of government services (issue #3). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Service, ServiceEdition, SearchSynonym, ServicePaymentFigures]),
  ],
  controllers: [CatalogueController, RegistryApiController],
  providers: [
    EditionRepository,
    CatalogueRepository,
    RegistryWorkflowService,
    CatalogueService,
    CatalogueFastRoutes,
    RegistryService,
    RegistryDemoSeeder,
    ServiceFiguresRepository,
    RegistryFiguresService,
  ],
  exports: [
    RegistryService,
    RegistryWorkflowService,
    CatalogueService,
    RegistryDemoSeeder,
    RegistryFiguresService,
  ],
})
export class RegistryModule implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly workflow: RegistryWorkflowService,
    private readonly figures: RegistryFiguresService,
  ) {}

  onModuleInit(): void {
    this.scheduler.every({
      name: 'registry.publish-due',
      everyMs: PUBLISH_DUE_EVERY_MS,
      leaseMs: 5 * 60_000,
      run: async () => {
        await this.workflow.publishDue();
      },
    });
    if (this.figures.available)
      this.scheduler.every({
        name: 'registry.refresh-figures',
        everyMs: REFRESH_FIGURES_EVERY_MS,
        leaseMs: 10 * 60_000,
        run: async () => {
          await this.figures.refresh();
        },
      });
  }
}

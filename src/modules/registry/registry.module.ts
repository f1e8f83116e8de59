import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Scheduler } from '../../platform/queue/scheduler.js';
import { CatalogueController } from './controllers/catalogue.controller.js';
import { RegistryApiController } from './controllers/registry-api.controller.js';
import { SearchSynonym } from './entities/search-synonym.entity.js';
import { ServiceEdition } from './entities/service-edition.entity.js';
import { Service } from './entities/service.entity.js';
import { CatalogueRepository } from './repositories/catalogue.repository.js';
import { EditionRepository } from './repositories/edition.repository.js';
import { CatalogueService } from './services/catalogue.service.js';
import { RegistryDemoSeeder } from './services/registry-demo.seeder.js';
import { RegistryWorkflowService } from './services/registry-workflow.service.js';
import { RegistryService } from './services/registry.service.js';

/** How often due scheduled publications are looked for. */
const PUBLISH_DUE_EVERY_MS = 60_000;

/** The national catalogue of government services (issue #3). */
@Module({
  imports: [TypeOrmModule.forFeature([Service, ServiceEdition, SearchSynonym])],
  controllers: [CatalogueController, RegistryApiController],
  providers: [
    EditionRepository,
    CatalogueRepository,
    RegistryWorkflowService,
    CatalogueService,
    RegistryService,
    RegistryDemoSeeder,
  ],
  exports: [RegistryService, RegistryWorkflowService, CatalogueService, RegistryDemoSeeder],
})
export class RegistryModule implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly workflow: RegistryWorkflowService,
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
  }
}

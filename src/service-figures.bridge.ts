import { Global, Module } from '@nestjs/common';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { ServiceFiguresService } from './modules/payments/services/service-figures.service.js';
import { SERVICE_FIGURES_SOURCE } from './modules/registry/ports/service-figures.port.js';

/**
 * Binds the registry's port for per-service payment figures to the payments module's exported
 * service. It lives here, outside both modules, because only the application may know both:
 * payments already looks the registry up, so the registry must not import payments.
 */
@Global()
@Module({
  imports: [PaymentsModule],
  providers: [{ provide: SERVICE_FIGURES_SOURCE, useExisting: ServiceFiguresService }],
  exports: [SERVICE_FIGURES_SOURCE],
})
export class ServiceFiguresBridgeModule {}

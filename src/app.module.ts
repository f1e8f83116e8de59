import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AdminPanelModule } from './admin/admin-panel.module.js';
import { NotifyModule } from './modules/notify/notify.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import type { DiwanConfig } from './platform/config/config.js';
import { EkeyModule } from './modules/ekey/ekey.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { RegistryModule } from './modules/registry/registry.module.js';
import { ServiceFiguresBridgeModule } from './service-figures.bridge.js';
import { StrategyModule } from './modules/strategy/strategy.module.js';

/** Diwan: the platform plus one module per domain. */
@Module({})
export class AppModule {
  static forRoot(
    config: DiwanConfig & { database: { url: string } },
    logger: Logger,
  ): DynamicModule {
    const http = config.app.role !== 'worker';
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger),
        RegistryModule,
        PaymentsModule,
        ServiceFiguresBridgeModule,
        NotificationsModule,
        EkeyModule,
        NotifyModule,
        StrategyModule,
        ...(http && config.admin.enabled ? [AdminPanelModule.forRoot(config)] : []),
      ],
    };
  }
}

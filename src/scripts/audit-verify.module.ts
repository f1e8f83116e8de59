import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DiwanConfig } from '../platform/config/config.js';
import { PlatformModule } from '../platform/platform.module.js';

/** Just the platform: enough to read and verify the audit chain. */
@Module({})
export class AuditVerifyModule {
  static forRoot(
    config: DiwanConfig & { database: { url: string } },
    logger: Logger,
  ): DynamicModule {
    return {
      module: AuditVerifyModule,
      imports: [PlatformModule.forRoot({ ...config, app: { ...config.app, role: 'api' } }, logger)],
    };
  }
}

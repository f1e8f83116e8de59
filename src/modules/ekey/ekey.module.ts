import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DiwanConfig } from '../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../platform/config/config.tokens.js';
import { EkeyAccountController } from './controllers/ekey-account.controller.js';
import { EkeyInteractionController } from './controllers/ekey-interaction.controller.js';
import { EkeyPagesController } from './controllers/ekey-pages.controller.js';
import { EKEY_SETTINGS, EkeyPasswordHasher, ekeyPepper, ekeySettings } from './ekey.tokens.js';
import { EkeyAccount } from './entities/ekey-account.entity.js';
import { EkeyActivity } from './entities/ekey-activity.entity.js';
import { EkeyBackupCode } from './entities/ekey-backup-code.entity.js';
import { EkeyChallenge } from './entities/ekey-challenge.entity.js';
import { EkeyOidcClient } from './entities/ekey-oidc-client.entity.js';
import { EkeyOidcKey } from './entities/ekey-oidc-key.entity.js';
import { EkeyOidcPayload } from './entities/ekey-oidc-payload.entity.js';
import { EkeyPasskey } from './entities/ekey-passkey.entity.js';
import { EkeyRegistrationYear } from './entities/ekey-registration-year.entity.js';
import { EkeySession } from './entities/ekey-session.entity.js';
import { EkeyThrottle } from './entities/ekey-throttle.entity.js';
import { ACCESS_TOKEN_VERIFIER } from '../../platform/auth/access-token-verifier.js';
import { EkeyAccessTokenVerifier } from './oidc/ekey-access-token-verifier.js';
import { EkeyOidcProvider } from './oidc/ekey-oidc-provider.js';
import { EkeyAccountRepository } from './repositories/ekey-account.repository.js';
import { EkeyOidcRepository } from './repositories/ekey-oidc.repository.js';
import { EkeyPasskeyRepository } from './repositories/ekey-passkey.repository.js';
import { EkeySessionRepository } from './repositories/ekey-session.repository.js';
import { EkeyStatsRepository } from './repositories/ekey-stats.repository.js';
import { EkeyThrottleRepository } from './repositories/ekey-throttle.repository.js';
import { EkeyAccountService } from './services/ekey-account.service.js';
import { EkeyDemoSeeder } from './services/ekey-demo-seeder.js';
import { EkeyDirectory } from './services/ekey-directory.js';
import { EkeyMessenger } from './services/ekey-messenger.js';
import { EkeyOidcClientService } from './services/ekey-oidc-client.service.js';
import { EkeyPasskeyService } from './services/ekey-passkey.service.js';
import { EkeySessionService } from './services/ekey-session.service.js';
import { EkeySignInService } from './services/ekey-sign-in.service.js';
import { EkeyStatsService } from './services/ekey-stats.service.js';

export const EKEY_ENTITIES = [
  EkeyAccount,
  EkeyActivity,
  EkeyBackupCode,
  EkeyChallenge,
  EkeyOidcClient,
  EkeyOidcKey,
  EkeyOidcPayload,
  EkeyPasskey,
  EkeyRegistrationYear,
  EkeySession,
  EkeyThrottle,
];

/** eKey: national digital identity. Exports the contracts other modules build on. */
@Module({
  imports: [TypeOrmModule.forFeature(EKEY_ENTITIES), DiscoveryModule],
  controllers: [EkeyAccountController, EkeyInteractionController, EkeyPagesController],
  providers: [
    {
      provide: EkeyPasswordHasher,
      inject: [DIWAN_CONFIG],
      useFactory: (config: DiwanConfig) =>
        new EkeyPasswordHasher({
          memoryCost: config.ekey.argon2MemoryKib,
          timeCost: config.ekey.argon2TimeCost,
          pepper: ekeyPepper(config),
        }),
    },
    { provide: EKEY_SETTINGS, inject: [DIWAN_CONFIG], useFactory: ekeySettings },
    EkeyAccountRepository,
    EkeySessionRepository,
    EkeyStatsRepository,
    EkeyThrottleRepository,
    EkeyOidcRepository,
    EkeyPasskeyRepository,
    EkeyPasskeyService,
    EkeyOidcProvider,
    EkeyAccessTokenVerifier,
    // Diwan's API guard accepts eKey client-credentials tokens (platform port).
    { provide: ACCESS_TOKEN_VERIFIER, useExisting: EkeyAccessTokenVerifier },
    EkeyOidcClientService,
    EkeyMessenger,
    EkeyAccountService,
    EkeySessionService,
    EkeySignInService,
    EkeyStatsService,
    EkeyDirectory,
    EkeyDemoSeeder,
  ],
  exports: [
    EkeyStatsService,
    EkeyDirectory,
    EkeyDemoSeeder,
    EkeyAccountService,
    EkeyMessenger,
    EkeyOidcProvider,
    EkeyOidcClientService,
  ],
})
export class EkeyModule {}

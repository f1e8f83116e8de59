import { Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { renderBodyErrorsUnder } from '../../platform/http/http-setup.js';
import { ROOT_LOGGER } from '../../platform/logging/logger.tokens.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbackEndpoint } from './entities/callback-endpoint.entity.js';
import { DeliveryCallback } from './entities/delivery-callback.entity.js';
import { NotificationOptOut } from './entities/notification-opt-out.entity.js';
import { UnsubscribeController } from './controllers/unsubscribe.controller.js';
import { OptOutRepository } from './repositories/opt-out.repository.js';
import { PreferenceService } from './services/preference.service.js';
import { SendLimitsService } from './services/send-limits.service.js';
import { NotifyApiKey } from './entities/notify-api-key.entity.js';
import { NotifyAuthGuard } from './guards/notify-auth.guard.js';
import { NotifyExceptionFilter, sendNotifyError } from './guards/notify-exception.filter.js';
import { CallbackRepository } from './repositories/callback.repository.js';
import { NotifyApiKeyRepository } from './repositories/notify-api-key.repository.js';
import { StatusCallbackService } from './services/status-callback.service.js';
import { NotifyApiKeyService } from './services/notify-api-key.service.js';
import { NotifyJobsController } from './bulk/controllers/notify-jobs.controller.js';
import { NotifyJobRow } from './bulk/entities/notify-job-row.entity.js';
import { NotifyJob } from './bulk/entities/notify-job.entity.js';
import { BulkJobProcessor } from './bulk/processors/bulk-job.processor.js';
import { NotifyJobRepository } from './bulk/repositories/notify-job.repository.js';
import { BulkJobService } from './bulk/services/bulk-job.service.js';
import { BulkRowSender } from './bulk/services/bulk-row-sender.js';
import { NotifySendService } from './services/notify-send.service.js';
import { CallbackFeedService } from './services/callback-feed.service.js';
import { NotifyV2Service } from './services/notify-v2.service.js';
import { NotifyV2Controller } from './controllers/notify-v2.controller.js';
import { NotifyV1Controller } from './controllers/notify-v1.controller.js';
import { NotifyV1Service } from './services/notify-v1.service.js';
import { EkeyAddressedNotification } from './entities/ekey-addressed-notification.entity.js';
import {
  EkeyAddressedRepository,
  SendRequestRepository,
} from './repositories/send-request.repository.js';
import { NotifySendRequest } from './entities/notify-send-request.entity.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { EkeyModule } from '../ekey/ekey.module.js';

/**
 * The notification interfaces e-services use (issue 6): a GOV.UK Notify-compatible `/v2`
 * API on top of the notifications core. This part holds Notify authentication and errors.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NotifyApiKey,
      CallbackEndpoint,
      DeliveryCallback,
      NotificationOptOut,
      NotifySendRequest,
      EkeyAddressedNotification,
      NotifyJob,
      NotifyJobRow,
    ]),
    NotificationsModule,
    EkeyModule,
  ],
  // NotifyV1Controller last: its GET /v1/notifications/:id must not shadow /v1/notifications/jobs.
  controllers: [
    UnsubscribeController,
    NotifyV2Controller,
    NotifyJobsController,
    NotifyV1Controller,
  ],
  providers: [
    OptOutRepository,
    PreferenceService,
    SendLimitsService,
    NotifyApiKeyRepository,
    NotifyApiKeyService,
    NotifyAuthGuard,
    NotifyExceptionFilter,
    CallbackRepository,
    NotifyJobRepository,
    BulkRowSender,
    BulkJobService,
    BulkJobProcessor,
    StatusCallbackService,
    NotifySendService,
    CallbackFeedService,
    NotifyV2Service,
    NotifyV1Service,
    SendRequestRepository,
    EkeyAddressedRepository,
  ],
  exports: [
    BulkJobService,
    NotifySendService,
    NotifyApiKeyService,
    NotifyAuthGuard,
    NotifyExceptionFilter,
    StatusCallbackService,
    PreferenceService,
    SendLimitsService,
  ],
})
export class NotifyModule {
  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    // Malformed or oversized JSON on /v2 is refused before any route: in Notify's body too.
    renderBodyErrorsUnder('/v2', (err, _req, res) => sendNotifyError(res, err, logger));
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsHealthController } from './controllers/notifications-health.controller.js';
import { NotificationAttempt } from './entities/notification-attempt.entity.js';
import { NotificationTemplateVersion } from './entities/notification-template-version.entity.js';
import { NotificationTemplate } from './entities/notification-template.entity.js';
import { Notification } from './entities/notification.entity.js';
import { DeliveryProcessor } from './processors/delivery.processor.js';
import { NotificationQueryRepository } from './repositories/notification-query.repository.js';
import { NotificationQueryService } from './services/notification-query.service.js';
import { NotificationStatsRepository } from './repositories/notification-stats.repository.js';
import { NotificationRepository } from './repositories/notification.repository.js';
import { TemplateRepository } from './repositories/template.repository.js';
import { DeliveryProviders } from './services/delivery-providers.js';
import { DeliveryService } from './services/delivery.service.js';
import { NotificationDispatcher } from './services/notification-dispatcher.js';
import { NotificationSender } from './services/notification-sender.js';
import { NotificationStatsService } from './services/notification-stats.service.js';
import { NotificationSweeper } from './services/notification-sweeper.js';
import { PlaintextHandoff } from './services/plaintext-handoff.js';
import { TemplateService } from './services/template.service.js';

/**
 * Government notices by SMS (SMPP) and email (SMTP), accepted durably and delivered by
 * workers. Other modules use `NotificationSender`, `NotificationStatsService` and
 * `TemplateService`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NotificationTemplate,
      NotificationTemplateVersion,
      Notification,
      NotificationAttempt,
    ]),
  ],
  controllers: [NotificationsHealthController],
  providers: [
    TemplateRepository,
    NotificationRepository,
    NotificationStatsRepository,
    NotificationQueryRepository,
    NotificationQueryService,
    DeliveryProviders,
    NotificationDispatcher,
    PlaintextHandoff,
    TemplateService,
    NotificationSender,
    DeliveryService,
    NotificationSweeper,
    NotificationStatsService,
    DeliveryProcessor,
  ],
  exports: [
    NotificationSender,
    NotificationStatsService,
    TemplateService,
    NotificationQueryService,
  ],
})
export class NotificationsModule {}

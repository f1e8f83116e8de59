import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import { SkipRateLimit } from '../../../platform/rate-limit/rate-limit.guard.js';
import { ChannelHealth, NotificationsHealthReport } from '../dto/notifications-health.dto.js';
import { DeliveryProviders } from '../services/delivery-providers.js';
import { NOTIFICATION_QUEUES } from '../services/notification-dispatcher.js';

/** Whether SMS and email can go out from here, and how much is waiting. */
@ApiTags('operations')
@SkipRateLimit()
@Controller('health')
export class NotificationsHealthController {
  constructor(
    private readonly providers: DeliveryProviders,
    private readonly queues: JobQueues,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
  ) {}

  @Get('notifications')
  @ApiOkResponse({ type: NotificationsHealthReport })
  async notifications(): Promise<NotificationsHealthReport> {
    const health = this.providers.health();
    const waiting = async (queue: string) => {
      const c = await this.queues.counts(queue).catch(() => undefined);
      return c ? c.waiting + c.delayed : -1;
    };
    const smsConfigured = !!this.config.notifications.smppConnections?.length;
    const smscs = health.sms.smscs.map((s) => ({
      id: s.id,
      state: s.state,
      throttledUntil: s.throttledUntil?.toISOString(),
      lastError: s.lastError,
    }));
    const bound = smscs.filter((s) => s.state === 'bound').length;
    const sms: ChannelHealth = {
      status: !smsConfigured
        ? 'not-configured'
        : !health.sms.configured
          ? 'not-in-this-process'
          : bound === smscs.length
            ? 'up'
            : bound > 0
              ? 'degraded'
              : 'down',
      waiting: await waiting(NOTIFICATION_QUEUES.sms),
      smscs,
    };
    const email: ChannelHealth = {
      status: !this.config.notifications.smtpUrl
        ? 'not-configured'
        : health.email.configured
          ? 'up'
          : 'not-in-this-process',
      waiting: await waiting(NOTIFICATION_QUEUES.email),
      smscs: [],
    };
    return { sms, email };
  }
}

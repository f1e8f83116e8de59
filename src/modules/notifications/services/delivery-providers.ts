import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type {
  AppConfig,
  DiwanConfig,
  NotificationsConfig,
} from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import type { NotificationChannel } from '../domain/notification-status.js';
import { SmppGateway, type SmscStatus } from '../providers/smpp-gateway.js';
import { SmtpMailer } from '../providers/smtp-mailer.js';

export interface ProviderHealth {
  sms: { configured: boolean; smscs: SmscStatus[] };
  email: { configured: boolean };
}

/**
 * The SMS and email providers built from config, in processes that run workers. A channel
 * with no provider configured keeps its notifications queued: nothing is faked.
 */
@Injectable()
export class DeliveryProviders implements OnModuleInit, OnApplicationShutdown {
  readonly sms?: SmppGateway;
  readonly email?: SmtpMailer;
  private readonly config: NotificationsConfig;
  private readonly app: AppConfig;

  constructor(
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.config = config.notifications;
    this.app = config.app;
    if (this.app.role === 'api') return;
    const connections = this.config.smppConnections;
    if (connections?.length)
      this.sms = new SmppGateway({
        connections: [...connections],
        logger: logger.child({ component: 'smpp' }),
      });
    if (this.config.smtpUrl) this.email = new SmtpMailer(smtpOptions(this.config));
  }

  configured(channel: NotificationChannel): boolean {
    return channel === 'sms' ? this.sms !== undefined : this.email !== undefined;
  }

  health(): ProviderHealth {
    return {
      sms: { configured: !!this.sms, smscs: this.sms?.status() ?? [] },
      email: { configured: !!this.email },
    };
  }

  async onModuleInit(): Promise<void> {
    if (this.sms) await this.sms.start();
    for (const channel of ['sms', 'email'] as const)
      if (!this.configured(channel) && this.app.role !== 'api')
        this.logger.warn(
          { channel },
          `notifications: no ${channel} provider configured; messages stay queued`,
        );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sms?.close();
    this.email?.close();
  }
}

function smtpOptions(c: NotificationsConfig) {
  const url = new URL(c.smtpUrl!);
  const secure = url.protocol === 'smtps:';
  const dkim =
    c.dkimDomain && c.dkimSelector && c.dkimPrivateKey
      ? { domainName: c.dkimDomain, keySelector: c.dkimSelector, privateKey: c.dkimPrivateKey }
      : undefined;
  return {
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    maxConnections: c.smtpMaxConnections,
    dkim,
    timeoutMs: 30_000,
  };
}

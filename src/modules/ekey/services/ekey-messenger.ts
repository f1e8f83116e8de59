import { Inject, Injectable, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Logger } from 'pino';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';

/** A system message of eKey (one-time code or security alert), already rendered. */
export interface EkeyMessage {
  channel: 'sms' | 'email';
  to: string;
  lang: 'ar' | 'en';
  subject?: string;
  body: string;
  priority: 'otp' | 'transactional';
  /** What the message is about, for the delivery record: `ekey.otp.verify_mobile`, `ekey.alert.new_device`. */
  reference: string;
  actor?: Actor;
}

/** Where messages go: the notifications module's sender, or a recorder. */
export interface EkeyTransport {
  deliver(message: EkeyMessage): Promise<{ id: string }>;
}

/** The notifications module's contract, as far as eKey uses it. */
interface NotificationSenderLike {
  sendDirect(req: {
    channel: 'sms' | 'email';
    to: string;
    lang: 'ar' | 'en';
    subject?: string;
    body: string;
    priority: 'otp' | 'transactional' | 'bulk';
    reference?: string;
    agencyId?: string | null;
    actor: Actor;
  }): Promise<{ id: string }>;
}

/**
 * Keeps the last messages in memory when no notifications module is loaded (development,
 * tests). Bounded, and never logged: the bodies hold one-time codes.
 */
export class RecordingEkeyTransport implements EkeyTransport {
  readonly messages: EkeyMessage[] = [];
  private seq = 0;
  constructor(private readonly keep = 200) {}
  deliver(message: EkeyMessage): Promise<{ id: string }> {
    this.messages.push(message);
    if (this.messages.length > this.keep) this.messages.shift();
    this.seq += 1;
    return Promise.resolve({ id: `recorded-${this.seq}` });
  }
  /** The most recent message to `to` (tests read codes from it). */
  lastTo(to: string): EkeyMessage | undefined {
    return this.messages.findLast((m) => m.to === to);
  }
  /** The 6-digit code of the last message to `to`. */
  lastCodeTo(to: string): string {
    const code = /\b(\d{6})\b/.exec(this.lastTo(to)?.body ?? '')?.[1];
    if (!code) throw new Error('no code was sent to that recipient');
    return code;
  }
}

class NotificationsTransport implements EkeyTransport {
  constructor(private readonly sender: NotificationSenderLike) {}
  deliver(m: EkeyMessage): Promise<{ id: string }> {
    return this.sender.sendDirect({
      channel: m.channel,
      to: m.to,
      lang: m.lang,
      subject: m.subject,
      body: m.body,
      priority: m.priority,
      reference: m.reference,
      agencyId: null,
      actor: m.actor ?? SYSTEM_ACTOR,
    });
  }
}

/**
 * eKey's one door to the outside for codes and alerts. The notifications module is built
 * in parallel and is optional here: its `NotificationSender` is found by name at first use
 * (no import, so eKey builds and runs without it); when absent, messages are recorded.
 */
@Injectable()
export class EkeyMessenger {
  private transport: EkeyTransport | undefined;

  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Optional() private readonly discovery?: DiscoveryService,
  ) {}

  /** Replace where messages go (tests, or a deployment without SMS). */
  useTransport(transport: EkeyTransport): void {
    this.transport = transport;
  }

  async send(message: EkeyMessage): Promise<{ id: string }> {
    this.transport ??= this.resolveTransport();
    try {
      return await this.transport.deliver(message);
    } catch (e) {
      // The reference and channel only: the body may hold a code.
      this.logger.error(
        { reference: message.reference, channel: message.channel, err: (e as Error).name },
        'ekey: message could not be handed to notifications',
      );
      throw e;
    }
  }

  private resolveTransport(): EkeyTransport {
    const wrapper = this.discovery
      ?.getProviders()
      .find(
        (w) =>
          w.metatype?.name === 'NotificationSender' &&
          typeof (w.instance as Partial<NotificationSenderLike> | undefined)?.sendDirect ===
            'function',
      );
    if (wrapper) return new NotificationsTransport(wrapper.instance as NotificationSenderLike);
    this.logger.warn('ekey: notifications module absent; codes and alerts are only recorded');
    return new RecordingEkeyTransport();
  }
}

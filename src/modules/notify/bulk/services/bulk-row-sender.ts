import { Injectable } from '@nestjs/common';
import type { NotifyKeyType } from '../../entities/notify-api-key.entity.js';
import { type ApiClientActor, NotifySendService } from '../../services/notify-send.service.js';

export interface BulkSendInput {
  actor: ApiClientActor;
  keyType: NotifyKeyType;
  channel: 'sms' | 'email';
  to?: string;
  ekeyAccountId?: string;
  templateId: string;
  personalisation: Record<string, string>;
  /** Null: the eKey account's own language, else Arabic. */
  lang: 'ar' | 'en' | null;
  reference?: string;
  critical: boolean;
  replacesPaperLetter: boolean;
  jobId: string;
  jobRow: number;
}

/**
 * Hands a bulk row to the one send path (NotifySendService: eKey addressing, opt-outs,
 * daily caps, the core). The (job, row) pair fixes the notification id there, so sending a
 * row a second time returns the first notification: `idempotentPerRow`, which lets the
 * sweeper send again a row whose worker died mid-send.
 */
@Injectable()
export class BulkRowSender {
  readonly idempotentPerRow = true;

  constructor(private readonly send$: NotifySendService) {}

  async send(input: BulkSendInput): Promise<{ id: string }> {
    const { id } = await this.send$.send({
      actor: input.actor,
      keyType: input.keyType,
      channel: input.channel,
      to: input.to,
      ekeyAccountId: input.ekeyAccountId,
      templateId: input.templateId,
      personalisation: input.personalisation,
      lang: input.lang ?? undefined,
      reference: input.reference,
      critical: input.critical,
      replacesPaperLetter: input.replacesPaperLetter,
      priority: 'bulk',
      jobId: input.jobId,
      jobRow: input.jobRow,
    });
    return { id };
  }
}

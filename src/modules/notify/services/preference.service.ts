import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { type Actor, SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import type { AppConfig, SecurityConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import { OptOutRepository } from '../repositories/opt-out.repository.js';

export type PreferenceChannel = 'sms' | 'email';

/** Who a preference is about: an eKey account, or a raw phone number or email address. */
export type PreferenceSubject = { ekeyAccountId: string } | { sms: string } | { email: string };

interface UnsubscribePayload {
  /** subject hash */
  s: string;
  /** agency id */
  a: string;
  /** channel */
  c: PreferenceChannel;
}

/**
 * Citizens' preferences: opting out of an agency's non-critical notices per channel.
 * Critical legal notices are sent whatever the preference says.
 */
@Injectable()
export class PreferenceService {
  private readonly tokenKey: Buffer;
  private readonly app: AppConfig;

  constructor(
    private readonly repo: OptOutRepository,
    private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    @Inject(DIWAN_CONFIG) config: { security: SecurityConfig; app: AppConfig },
  ) {
    this.tokenKey = createHmac('sha256', config.security.encryptionKey)
      .update('diwan:unsubscribe-token')
      .digest();
    this.app = config.app;
  }

  /** The keyed hash a subject is stored under (no contact data in the table). */
  subjectHash(subject: PreferenceSubject): string {
    if ('ekeyAccountId' in subject)
      return this.cipher.lookupHash(`ekey:${subject.ekeyAccountId}`, 'notify-subject');
    if ('sms' in subject)
      return this.cipher.lookupHash(`sms:${subject.sms.replace(/[\s-]/g, '')}`, 'notify-subject');
    return this.cipher.lookupHash(`email:${subject.email.trim().toLowerCase()}`, 'notify-subject');
  }

  /** Whether a notice may go out: critical ones always; others unless any subject opted out. */
  async mayReceive(
    subjects: PreferenceSubject[],
    agencyId: string,
    channel: PreferenceChannel,
    critical: boolean,
  ): Promise<boolean> {
    if (critical) return true;
    return !(await this.repo.existsForAny(
      subjects.map((s) => this.subjectHash(s)),
      agencyId,
      channel,
    ));
  }

  async optOut(
    actor: Actor,
    subject: PreferenceSubject,
    agencyId: string,
    channel: PreferenceChannel,
    source: string,
  ): Promise<void> {
    await this.optOutByHash(actor, this.subjectHash(subject), agencyId, channel, source);
  }

  async optIn(
    actor: Actor,
    subject: PreferenceSubject,
    agencyId: string,
    channel: PreferenceChannel,
  ): Promise<void> {
    const subjectHash = this.subjectHash(subject);
    await this.tx.run(async (tx) => {
      await this.repo.delete(tx, subjectHash, agencyId, channel);
      await this.audit.record(tx, {
        actor,
        action: 'notify_preference.opt_in',
        objectType: 'agency',
        objectId: agencyId,
        details: { channel },
      });
    });
  }

  /** A link for `List-Unsubscribe`: signed, so nobody can opt someone else out. */
  unsubscribeUrl(subject: PreferenceSubject, agencyId: string, channel: PreferenceChannel): string {
    const payload = Buffer.from(
      JSON.stringify({
        s: this.subjectHash(subject),
        a: agencyId,
        c: channel,
      } satisfies UnsubscribePayload),
    ).toString('base64url');
    return `${this.app.publicUrl}/v1/notifications/unsubscribe/${payload}.${this.sign(payload)}`;
  }

  /** Applies an unsubscribe link (idempotent). */
  async unsubscribe(token: string): Promise<{ agencyId: string; channel: PreferenceChannel }> {
    const payload = this.verify(token);
    await this.optOutByHash(SYSTEM_ACTOR, payload.s, payload.a, payload.c, 'unsubscribe_link');
    return { agencyId: payload.a, channel: payload.c };
  }

  /** Checks a link without applying it (for the confirmation page). */
  verify(token: string): UnsubscribePayload {
    const [payload, signature] = token.split('.');
    const expected = payload ? Buffer.from(this.sign(payload)) : Buffer.alloc(0);
    if (
      !payload ||
      !signature ||
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), expected)
    ) {
      throw new DomainException(NotifyErrors.UNSUBSCRIBE_LINK_INVALID);
    }
    const parsed = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as UnsubscribePayload;
    return parsed;
  }

  private async optOutByHash(
    actor: Actor,
    subjectHash: string,
    agencyId: string,
    channel: PreferenceChannel,
    source: string,
  ): Promise<void> {
    await this.tx.run(async (tx) => {
      const created = await this.repo.insertIfAbsent(tx, {
        subjectHash,
        agencyId,
        channel,
        source,
      });
      if (created)
        await this.audit.record(tx, {
          actor,
          action: 'notify_preference.opt_out',
          objectType: 'agency',
          objectId: agencyId,
          details: { channel, source },
        });
    });
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.tokenKey).update(payload).digest('base64url');
  }
}

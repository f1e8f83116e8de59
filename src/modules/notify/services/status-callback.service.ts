import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { requireRole } from '../../../platform/auth/access.js';
import { ApiClientService } from '../../../platform/auth/api-client.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import type { AppConfig, NotifyConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { type Tx, TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import { Scheduler } from '../../../platform/queue/scheduler.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import { CallbackRepository, type ClaimedCallback } from '../repositories/callback.repository.js';

export const CALLBACK_QUEUE = 'notify-callbacks';
const MAX_DELAY_MS = 3_600_000;

/** `X-Diwan-Signature` of a callback body: HMAC-SHA256 over `<timestamp>.<body>`. */
export function signCallback(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Delivery-status callbacks to e-services: an outbox row written with the status change,
 * sent signed, retried with doubling delays for a day, then kept for replay.
 */
@Injectable()
export class StatusCallbackService implements OnModuleInit {
  private readonly notify: NotifyConfig;
  private readonly app: AppConfig;

  constructor(
    private readonly repo: CallbackRepository,
    private readonly clients: ApiClientService,
    private readonly cipher: FieldCipher,
    private readonly queues: JobQueues,
    private readonly scheduler: Scheduler,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) config: { notify: NotifyConfig; app: AppConfig },
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.notify = config.notify;
    this.app = config.app;
  }

  onModuleInit(): void {
    this.queues.process<{ callbackId: string }>({
      queue: CALLBACK_QUEUE,
      concurrency: 8,
      attempts: 1, // the schedule lives in the row, not in the queue
      backoffMs: 1000,
      handle: (job) => this.deliver(job.data.callbackId),
    });
    this.scheduler.every({
      name: 'notify.callback-sweep',
      everyMs: 15_000,
      leaseMs: 60_000,
      run: async () => void (await this.sweep()),
    });
  }

  /** Sets where an e-service's callbacks go; returns the new secrets once. */
  async configureEndpoint(
    actor: Actor,
    apiClientId: string,
    url: string,
  ): Promise<{ signingSecret: string; bearerToken: string }> {
    requireRole(actor, 'admin');
    this.checkUrl(url);
    if (!(await this.clients.actorFor(apiClientId)))
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No active API client with this id');
    const signingSecret = randomBytes(32).toString('base64url');
    const bearerToken = randomBytes(32).toString('base64url');
    await this.tx.run(async (tx) => {
      await this.repo.upsertEndpoint(tx, {
        apiClientId,
        url,
        signingSecretCiphertext: this.cipher.encrypt(signingSecret, `callback:${apiClientId}`),
        bearerTokenCiphertext: this.cipher.encrypt(bearerToken, `callback-bearer:${apiClientId}`),
      });
      await this.audit.record(tx, {
        actor,
        action: 'notify_callback.configure',
        objectType: 'api_client',
        objectId: apiClientId,
        details: { url },
      });
    });
    return { signingSecret, bearerToken };
  }

  /**
   * Owes the e-service a status message, inside the caller's transaction. Returns the
   * callback id to `kick` after commit, or null when the e-service has no endpoint.
   */
  async enqueue(
    tx: Tx,
    apiClientId: string,
    notificationId: string,
    payload: Record<string, unknown>,
  ): Promise<string | null> {
    if (!(await this.repo.findEndpoint(apiClientId, tx))) return null;
    return this.repo.insertPending(tx, {
      apiClientId,
      notificationId,
      payload,
      nextAttemptAt: this.clock.now(),
    });
  }

  /** After commit: hand the callback to a worker now rather than at the next sweep. */
  async kick(callbackId: string, delayMs = 0, occasion = 'first'): Promise<void> {
    // The occasion keeps a retry scheduled from inside the running job from being taken
    // for that same job; sending twice is prevented by the claim, not by the job id.
    await this.queues.add(
      CALLBACK_QUEUE,
      { callbackId },
      { jobId: `callback:${callbackId}:${occasion}`, delayMs, priority: 5 },
    );
  }

  /** One attempt. Idempotent: a callback not due, or claimed elsewhere, is left alone. */
  async deliver(callbackId: string): Promise<void> {
    const claimed = await this.repo.claim(callbackId, this.notify.callbackTimeoutMs * 2);
    if (!claimed) return;
    const outcome = await this.post(claimed);
    if (outcome.ok) {
      await this.repo.markDelivered(claimed.id, outcome.statusCode);
      return;
    }
    const elapsed = this.clock.now().getTime() - new Date(claimed.createdAt).getTime();
    const delay = Math.min(this.notify.callbackRetryBaseMs * 2 ** claimed.attempts, MAX_DELAY_MS);
    const giveUp = elapsed + delay > this.notify.callbackGiveUpHours * 3_600_000;
    const nextAttemptAt = giveUp ? null : new Date(this.clock.now().getTime() + delay);
    await this.repo.markFailedAttempt(claimed.id, {
      statusCode: outcome.statusCode,
      error: outcome.error,
      nextAttemptAt,
    });
    if (nextAttemptAt) await this.kick(claimed.id, delay, `retry-${claimed.attempts + 1}`);
    else
      this.logger.warn(
        { callbackId, apiClientId: claimed.apiClientId },
        'callback given up after a day; kept for replay',
      );
  }

  /** Sends a failed (or any) callback again, e.g. after the e-service fixed its endpoint. */
  async replay(actor: Actor, callbackId: string): Promise<void> {
    requireRole(actor, 'admin', 'operator');
    await this.tx.run(async (tx) => {
      const row = await this.repo.findById(callbackId, tx);
      if (!row) throw new DomainException(PlatformErrors.NOT_FOUND, 'No such callback');
      await this.repo.resetForReplay(tx, callbackId);
      await this.audit.record(tx, {
        actor,
        action: 'notify_callback.replay',
        objectType: 'delivery_callback',
        objectId: callbackId,
      });
    });
    await this.kick(callbackId, 0, `replay-${Date.now()}`);
  }

  async sweep(): Promise<number> {
    const due = await this.repo.findDue(500);
    for (const id of due) await this.kick(id, 0, `sweep-${Date.now()}`);
    return due.length;
  }

  private checkUrl(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DomainException(NotifyErrors.CALLBACK_URL_INVALID, undefined, [
        { field: 'url', message: 'not a URL', reason: 'format' },
      ]);
    }
    const allowed =
      this.notify.callbackAllowHttp && this.app.env !== 'production'
        ? ['https:', 'http:']
        : ['https:'];
    if (!allowed.includes(parsed.protocol) || parsed.username || parsed.password) {
      throw new DomainException(NotifyErrors.CALLBACK_URL_INVALID, undefined, [
        { field: 'url', message: 'must be an https URL without credentials', reason: 'format' },
      ]);
    }
  }

  private async post(
    c: ClaimedCallback,
  ): Promise<
    { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string }
  > {
    const body = JSON.stringify(c.payload);
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const secret = this.cipher.decrypt(c.signingSecretCiphertext, `callback:${c.apiClientId}`);
    const bearer = this.cipher.decrypt(c.bearerTokenCiphertext, `callback-bearer:${c.apiClientId}`);
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${bearer}`,
          'X-Diwan-Timestamp': timestamp,
          'X-Diwan-Signature': signCallback(secret, timestamp, body),
          'X-Diwan-Callback-Id': c.id,
        },
        body,
        redirect: 'manual', // a redirect could point the request anywhere
        signal: AbortSignal.timeout(this.notify.callbackTimeoutMs),
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300
        ? { ok: true, statusCode: res.status }
        : { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
    } catch (e) {
      return {
        ok: false,
        statusCode: null,
        error:
          (e as Error).name === 'TimeoutError'
            ? 'timeout'
            : ((e as Error).message ?? 'network error'),
      };
    }
  }
}

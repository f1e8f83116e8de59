import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock.js';
import type { SecurityConfig } from '../config/config.js';
import { SECURITY_CONFIG } from '../config/config.tokens.js';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import { requireRole } from './access.js';
import type { ApiClient } from './api-client.entity.js';
import { ApiClientRepository, type PresentedKeyRecord } from './api-client.repository.js';
import { AuthErrors } from './auth.errors.js';
import { type Actor, API_SCOPES, type ApiScope } from './roles.js';

export interface ApiClientInput {
  name: string;
  agencyId: string;
  scopes: string[];
  expiresAt?: Date | null;
}

const KEY_PATTERN = /^dwn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is written at most this often per client: one write per request would be waste. */
const TOUCH_EVERY_MS = 60_000;
/**
 * A presented key's record is reused this long without reading it again, and only while
 * `diwan_api_client` notifications are heard (a revocation anywhere drops it at once); the
 * limit bounds what a lost notification could cost.
 */
const KEY_CACHE_MS = 60_000;
/** More distinct live keys than this in a minute: start again rather than grow without bound. */
const KEY_CACHE_MAX = 10_000;

/** Per-agency keys for e-services: shown once, stored as an HMAC, revocable, scoped. */
@Injectable()
export class ApiClientService {
  private readonly hmacKey: Buffer;
  private readonly lastTouched = new Map<string, number>();
  /**
   * Records of recently presented keys, by key id: an API request then authenticates without a
   * database round trip (a third of a statistics request's latency). The secret is still
   * checked against the stored HMAC on every request, and revocation and expiry are read from
   * the record each time.
   */
  private readonly keys = new Map<string, { record: PresentedKeyRecord; at: number }>();
  /** Moves on every invalidation: a read that overlapped one is not cached. */
  private generation = 0;

  constructor(
    private readonly repo: ApiClientRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: DatabaseNotifications,
    @Inject(SECURITY_CONFIG) security: SecurityConfig,
  ) {
    this.hmacKey = createHmac('sha256', security.encryptionKey)
      .update('diwan:api-client-secret')
      .digest();
    notifications.subscribe('diwan_api_client', {
      onNotification: (keyId) => this.forget(keyId),
      onReset: () => this.forget(null),
    });
  }

  /** Creates the client and returns its key; the key cannot be shown again. */
  async create(
    actor: Actor,
    input: ApiClientInput,
  ): Promise<{ client: ApiClient; apiKey: string }> {
    requireRole(actor, 'admin');
    const unknown = input.scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
    if (unknown.length) {
      throw new DomainException(
        AuthErrors.API_CLIENT_SCOPE_UNKNOWN,
        `Unknown scope(s): ${unknown.join(', ')}`,
        unknown.map((s) => ({ field: 'scopes', message: `unknown scope ${s}`, reason: 'enum' })),
      );
    }
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    return this.tx.run(async (tx) => {
      const client = await this.repo.insert(tx, {
        name: input.name,
        agencyId: input.agencyId,
        scopes: [...new Set(input.scopes)] as ApiScope[],
        keyId,
        secretHash: this.hashSecret(secret),
        createdBy: actor.id,
        expiresAt: input.expiresAt ?? null,
      });
      await this.audit.record(tx, {
        actor,
        action: 'api_client.create',
        objectType: 'api_client',
        objectId: client.id,
        details: { name: client.name, agencyId: client.agencyId, scopes: client.scopes, keyId },
      });
      return { client, apiKey: `dwn_${keyId}_${secret}` };
    });
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    requireRole(actor, 'admin');
    const keyId = await this.tx.run(async (tx) => {
      const client = await this.repo.findById(id, tx);
      if (!client) throw new DomainException(PlatformErrors.NOT_FOUND, 'No such API client');
      if (client.revokedAt) return null;
      await this.repo.markRevoked(tx, id, this.clock.now());
      await this.audit.record(tx, {
        actor,
        action: 'api_client.revoke',
        objectType: 'api_client',
        objectId: id,
      });
      return client.keyId;
    });
    // After the commit: a read that overlapped it is not kept either (the generation moves).
    // Other instances drop it when the trigger's notification reaches them.
    if (keyId) this.forget(keyId);
  }

  /** The actor behind a presented key, or null when the key is unknown, wrong, revoked or expired. */
  async authenticate(apiKey: string, ip?: string): Promise<Actor | null> {
    const match = KEY_PATTERN.exec(apiKey);
    if (!match) return null;
    const [, keyId, secret] = match;
    const client = await this.presentedKey(keyId);
    const presented = Buffer.from(this.hashSecret(secret), 'hex');
    const stored = Buffer.from(client?.secretHash ?? '0'.repeat(64), 'hex');
    if (!client || !timingSafeEqual(presented, stored)) return null;
    const now = this.clock.now();
    if (client.revokedAt || (client.expiresAt && client.expiresAt <= now)) return null;
    this.touch(client.id, now);
    return {
      type: 'api_client',
      id: client.id,
      label: client.name,
      agencyId: client.agencyId,
      scopes: client.scopes,
      ip,
    };
  }

  /**
   * The actor of an API client that authenticated some other way (e.g. a Notify-style
   * signed token), or null when it is unknown, revoked or expired.
   */
  async actorFor(id: string, ip?: string): Promise<Actor | null> {
    const client = await this.repo.findById(id);
    const now = this.clock.now();
    if (!client || client.revokedAt || (client.expiresAt && client.expiresAt <= now)) return null;
    this.touch(client.id, now);
    return {
      type: 'api_client',
      id: client.id,
      label: client.name,
      agencyId: client.agencyId,
      scopes: client.scopes,
      ip,
    };
  }

  private async presentedKey(keyId: string): Promise<PresentedKeyRecord | null> {
    const hit = this.keys.get(keyId);
    const now = performance.now();
    if (hit && now - hit.at < KEY_CACHE_MS && this.notifications.listening) return hit.record;
    const generation = this.generation;
    const listening = this.notifications.listening;
    const record = await this.repo.findKeyForAuthentication(keyId);
    // Unknown keys are not kept: anyone can present those, as many as they like.
    if (record && listening && generation === this.generation) {
      if (this.keys.size >= KEY_CACHE_MAX) this.keys.clear();
      this.keys.set(keyId, { record, at: now });
    }
    return record;
  }

  /** Drops one key's cached record, or every one (null). */
  private forget(keyId: string | null): void {
    this.generation++;
    if (keyId === null) this.keys.clear();
    else this.keys.delete(keyId);
  }

  private touch(id: string, now: Date): void {
    const last = this.lastTouched.get(id) ?? 0;
    if (now.getTime() - last < TOUCH_EVERY_MS) return;
    this.lastTouched.set(id, now.getTime());
    void this.repo.touchLastUsed(id, now).catch(() => this.lastTouched.delete(id));
  }

  private hashSecret(secret: string): string {
    return createHmac('sha256', this.hmacKey).update(secret).digest('hex');
  }
}

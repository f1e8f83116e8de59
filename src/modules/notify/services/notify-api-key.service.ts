import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { requireRole } from '../../../platform/auth/access.js';
import { ApiClientService } from '../../../platform/auth/api-client.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import type { NotifyKeyType } from '../entities/notify-api-key.entity.js';
import { NotifyErrors } from '../errors/notify.errors.js';
import { NotifyApiKeyRepository } from '../repositories/notify-api-key.repository.js';

/** GOV.UK Notify accepts tokens issued up to 30 seconds either side of its clock. */
const CLOCK_SKEW_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_NAME = /^[\p{L}\p{N} ._-]{1,80}$/u;

export interface NotifyCaller {
  actor: Extract<Actor, { type: 'api_client' }>;
  keyId: string;
  keyType: NotifyKeyType;
}

/**
 * Notify-compatible API keys: `{name}-{service id}-{secret}`. The client signs each request
 * with an HS256 JWT (`iss` = service id, `iat` = now); we find the service's keys and check
 * the signature with each secret, as Notify does.
 */
@Injectable()
export class NotifyApiKeyService {
  constructor(
    private readonly repo: NotifyApiKeyRepository,
    private readonly clients: ApiClientService,
    private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Creates a key for a service (an API client) and returns it once, in Notify's format. */
  async create(
    actor: Actor,
    apiClientId: string,
    name: string,
    keyType: NotifyKeyType,
  ): Promise<{ id: string; apiKey: string }> {
    requireRole(actor, 'admin');
    if (!KEY_NAME.test(name))
      throw new DomainException(NotifyErrors.KEY_NAME_INVALID, undefined, [
        { field: 'name', message: NotifyErrors.KEY_NAME_INVALID.title, reason: 'format' },
      ]);
    const client = await this.clients.actorFor(apiClientId);
    if (!client)
      throw new DomainException(PlatformErrors.NOT_FOUND, 'No active API client with this id');
    const secret = randomUUID();
    return this.tx.run(async (tx) => {
      const key = await this.repo.insert(tx, {
        apiClientId,
        name,
        keyType,
        secretCiphertext: this.cipher.encrypt(secret, `notify-key:${apiClientId}`),
        createdBy: actor.id,
      });
      await this.audit.record(tx, {
        actor,
        action: 'notify_key.create',
        objectType: 'notify_api_key',
        objectId: key.id,
        details: { apiClientId, name, keyType },
      });
      const slug = name.trim().toLowerCase().replace(/\s+/g, '_');
      return { id: key.id, apiKey: `${slug}-${apiClientId}-${secret}` };
    });
  }

  async revoke(actor: Actor, keyId: string): Promise<void> {
    requireRole(actor, 'admin');
    await this.tx.run(async (tx) => {
      const key = await this.repo.findById(keyId, tx);
      if (!key) throw new DomainException(PlatformErrors.NOT_FOUND, 'No such key');
      if (key.revokedAt) return;
      await this.repo.markRevoked(tx, keyId, this.clock.now());
      await this.audit.record(tx, {
        actor,
        action: 'notify_key.revoke',
        objectType: 'notify_api_key',
        objectId: keyId,
      });
    });
  }

  /** Checks a bearer token as Notify does; throws the error Notify clients expect. */
  async authenticate(token: string | undefined, ip?: string): Promise<NotifyCaller> {
    if (!token) throw new DomainException(NotifyErrors.AUTH_MISSING);
    let iss: unknown;
    let iat: unknown;
    try {
      if (decodeProtectedHeader(token).alg !== 'HS256') throw new Error('alg');
      ({ iss, iat } = decodeJwt(token));
    } catch {
      throw new DomainException(NotifyErrors.AUTH_SIGNATURE);
    }
    if (typeof iss !== 'string' || !UUID.test(iss))
      throw new DomainException(NotifyErrors.AUTH_INVALID);
    const keys = await this.repo.findActiveWithSecretsByClient(iss);
    if (!keys.length) throw new DomainException(NotifyErrors.AUTH_INVALID);
    let matched: (typeof keys)[number] | undefined;
    for (const key of keys) {
      const secret = this.cipher.decrypt(key.secretCiphertext, `notify-key:${iss}`);
      try {
        await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
        matched = key;
        break;
      } catch {
        /* try the service's next key */
      }
    }
    if (!matched) throw new DomainException(NotifyErrors.AUTH_SIGNATURE);
    const now = this.clock.now().getTime() / 1000;
    if (typeof iat !== 'number' || Math.abs(now - iat) > CLOCK_SKEW_SECONDS)
      throw new DomainException(NotifyErrors.AUTH_CLOCK);
    const actor = await this.clients.actorFor(iss, ip);
    if (!actor || actor.type !== 'api_client') throw new DomainException(NotifyErrors.AUTH_REVOKED);
    if (!actor.scopes.includes('notifications:send'))
      throw new DomainException(NotifyErrors.AUTH_SCOPE);
    return { actor, keyId: matched.id, keyType: matched.keyType };
  }
}

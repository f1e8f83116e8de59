import { createHash, hkdfSync, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Adapter, errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { type Actor, API_SCOPES } from '../../../platform/auth/roles.js';
import { requireRole } from '../../../platform/auth/access.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { EkeyAccountRepository } from '../repositories/ekey-account.repository.js';
import { EkeyOidcRepository } from '../repositories/ekey-oidc.repository.js';
import { EkeyAccountService } from '../services/ekey-account.service.js';
import { EkeySessionService } from '../services/ekey-session.service.js';
import { logoutPage, messagePage, pickLang } from '../pages/ekey-pages.js';
import { ACR_VALUES } from './acr.js';

export const OIDC_MOUNT = '/oidc';
export const INTERACTION_PATH = '/ekey/interaction';
/** Published keys: the signing key and the one before it (tokens signed before a rotation still verify). */
const PUBLISHED_KEYS = 2;

const TTL = {
  AccessToken: 600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  IdToken: 600,
  Interaction: 600,
  Session: 12 * 3600,
  Grant: 30 * 24 * 3600,
  RefreshToken: 30 * 24 * 3600,
};

/**
 * Diwan's OpenID Provider (oidc-provider 9), mounted on Express at /oidc, with every
 * piece of state in PostgreSQL: adapter payloads, relying parties (registered by admins),
 * and signing keys (encrypted, rotated). Sign-in, second factor and consent are eKey's own
 * pages (EkeyInteractionController).
 */
@Injectable()
export class EkeyOidcProvider implements OnModuleInit {
  private current: Provider | undefined;
  readonly issuer: string;
  /**
   * The audience (resource indicator) of client-credentials tokens for Diwan's own APIs:
   * the only resource server this provider issues tokens for.
   */
  readonly apiAudience: string;

  constructor(
    private readonly repo: EkeyOidcRepository,
    private readonly accounts: EkeyAccountRepository,
    private readonly accountService: EkeyAccountService,
    private readonly sessions: EkeySessionService,
    private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.issuer = `${config.app.publicUrl.replace(/\/$/, '')}${OIDC_MOUNT}`;
    this.apiAudience = `${config.app.publicUrl.replace(/\/$/, '')}/v1`;
  }

  get provider(): Provider {
    if (!this.current) throw new Error('the OpenID provider is not started');
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.app.role === 'worker') return;
    await this.reload();
    const app = this.adapterHost.httpAdapter?.getInstance<Express>();
    if (!app) return;
    // Delegates to the current provider so a key rotation takes effect without a restart.
    app.use(OIDC_MOUNT, (req, res) => this.provider.callback()(req, res));
    this.logger.info({ issuer: this.issuer }, 'ekey: OpenID provider at /oidc');
  }

  /** Builds the provider from the keys in the database (a first key is made when none exists). */
  async reload(): Promise<void> {
    let keys = await this.repo.liveKeys();
    if (keys.length === 0) {
      await this.addKey();
      keys = await this.repo.liveKeys();
    }
    const jwks = keys.map(
      (k) => JSON.parse(this.cipher.decrypt(k.jwkEncrypted, `ekey_oidc_key:${k.kid}`)) as object,
    );
    const provider = new Provider(this.issuer, this.configuration(jwks));
    provider.proxy = this.config.app.trustProxy > 0;
    // RP-initiated logout ends the eKey session too, or the next request would sign in again silently.
    provider.on('end_session.success', (ctx) => {
      const header = (ctx as { req: { headers: { cookie?: string } } }).req.headers.cookie ?? '';
      const token = /(?:^|;\s*)__Host-ekey_session=([A-Za-z0-9_-]{1,100})/.exec(header)?.[1];
      if (token)
        void this.sessions
          .resolve(token, 'active')
          .then((s) => (s ? this.sessions.revoke(s.id) : false))
          .catch((e: unknown) =>
            this.logger.error({ err: (e as Error).message }, 'ekey: session not ended at logout'),
          );
    });
    provider.on('server_error', (_ctx, err) =>
      this.logger.error({ err: (err as Error).message }, 'ekey: OpenID provider error'),
    );
    this.current = provider;
  }

  /** A new signing key; the previous one stays published, older ones are retired. Audited. */
  async rotateSigningKey(actor: Actor): Promise<{ kid: string }> {
    if (actor.type !== 'system') requireRole(actor, 'admin');
    const kid = await this.addKey(actor);
    await this.reload();
    return { kid };
  }

  private async addKey(actor?: Actor): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const jwk = await exportJWK(privateKey);
    const kid = randomUUID();
    const now = this.clock.now();
    await this.tx.run(async (tx) => {
      await this.repo.insertKey(
        tx,
        kid,
        this.cipher.encrypt(
          JSON.stringify({ ...jwk, kid, alg: 'RS256', use: 'sig' }),
          `ekey_oidc_key:${kid}`,
        ),
        now,
      );
      await this.repo.retireAllBut(tx, PUBLISHED_KEYS, now);
      await this.audit.record(tx, {
        actor: actor ?? { type: 'system', id: 'ekey', label: 'eKey' },
        action: 'ekey.oidc.key.rotate',
        objectType: 'ekey_oidc_key',
        objectId: kid,
      });
    });
    return kid;
  }

  private configuration(jwks: object[]): Record<string, unknown> {
    const repo = this.repo;
    const cipher = this.cipher;
    const clientRows = async (id: string) => {
      const c = await repo.findClientWithSecret(id);
      if (!c) return undefined;
      return {
        ...c.metadata,
        client_id: c.clientId,
        client_name: c.name,
        ...(c.secretEncrypted
          ? { client_secret: cipher.decrypt(c.secretEncrypted, `ekey_oidc_client:${c.clientId}`) }
          : {}),
      };
    };
    class PgAdapter implements Adapter {
      constructor(private readonly kind: string) {}
      async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
        const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
        await repo.upsertPayload(this.kind, id, payload, expiresAt);
      }
      async find(id: string) {
        if (this.kind === 'Client') return clientRows(id);
        return this.unpack(await repo.findPayload(this.kind, 'id', id));
      }
      async findByUserCode(userCode: string) {
        return this.unpack(await repo.findPayload(this.kind, 'user_code', userCode));
      }
      async findByUid(uid: string) {
        return this.unpack(await repo.findPayload(this.kind, 'uid', uid));
      }
      async consume(id: string) {
        await repo.consumePayload(this.kind, id);
      }
      async destroy(id: string) {
        await repo.destroyPayload(this.kind, id);
      }
      async revokeByGrantId(grantId: string) {
        await repo.revokeByGrantId(grantId);
      }
      private unpack(row: Awaited<ReturnType<typeof repo.findPayload>>) {
        if (!row) return undefined;
        return row.consumed_at
          ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
          : row.payload;
      }
    }

    const cookieKey = Buffer.from(
      hkdfSync(
        'sha256',
        this.config.security.encryptionKey,
        Buffer.alloc(0),
        'diwan/ekey/oidc-cookies',
        32,
      ),
    ).toString('base64url');
    const pairwiseSalt = 'ekey.pairwise';
    const apiAudience = this.apiAudience;

    return {
      adapter: PgAdapter,
      clients: [],
      jwks: { keys: jwks },
      cookies: {
        keys: [cookieKey],
        long: { signed: true, httpOnly: true, sameSite: 'lax' },
        short: { signed: true, httpOnly: true, sameSite: 'lax' },
      },
      findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
        if (!/^[0-9a-f-]{36}$/.test(sub)) return undefined;
        const account = await this.accounts.findById(sub);
        if (!account || account.status !== 'active') return undefined;
        return {
          accountId: account.id,
          claims: () =>
            Promise.resolve({
              sub: account.id,
              name: account.nameEn,
              'name#ar': account.nameAr,
              'name#en': account.nameEn,
              birthdate: account.dateOfBirth,
              nationality: account.nationality,
              phone_number: account.mobileVerifiedAt
                ? this.accountService.mobileOf(account)
                : undefined,
              phone_number_verified: account.mobileVerifiedAt !== null,
              cpr: this.accountService.cprOf(account),
              ekey_level: account.level,
              residency: account.residency,
            }),
        };
      },
      claims: {
        sid: null,
        // acr and amr in every ID token, asked for or not: relying parties decide on them.
        openid: ['sub', 'acr', 'amr', 'auth_time'],
        profile: ['name', 'birthdate', 'nationality'],
        phone: ['phone_number', 'phone_number_verified'],
        cpr: ['cpr'],
        ekey: ['ekey_level', 'residency'],
      },
      // API scopes are listed too, so a relying party's `scope` metadata bounds what it may ask.
      scopes: ['openid', 'offline_access', 'profile', 'phone', 'cpr', 'ekey', ...API_SCOPES],
      acrValues: [...ACR_VALUES],
      subjectTypes: ['public', 'pairwise'],
      pairwiseIdentifier: (
        _ctx: unknown,
        accountId: string,
        client: { sectorIdentifier: string },
      ) =>
        Promise.resolve(
          createHash('sha256')
            .update(cipher.lookupHash(`${client.sectorIdentifier}|${accountId}`, pairwiseSalt))
            .digest('base64url'),
        ),
      clientDefaults: {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
        subject_type: 'pairwise',
      },
      clientAuthMethods: ['client_secret_basic', 'private_key_jwt'],
      enabledJWA: {
        clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'],
        idTokenSigningAlgValues: ['RS256'],
        requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256'],
        userinfoSigningAlgValues: ['RS256'],
        introspectionSigningAlgValues: ['RS256'],
        authorizationSigningAlgValues: ['RS256'],
      },
      responseTypes: ['code'],
      pkce: { required: () => true },
      rotateRefreshToken: true,
      allowOmittingSingleRegisteredRedirectUri: false,
      ttl: TTL,
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        // Client-credentials tokens are for Diwan's APIs (audience `apiAudience`), opaque so
        // that revocation takes effect at once; the API guard looks them up in-process
        // (EkeyAccessTokenVerifier). Other flows keep their tokens for userinfo.
        resourceIndicators: {
          enabled: true,
          defaultResource: (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: string) =>
            ctx.oidc.params?.grant_type === 'client_credentials' ? (oneOf ?? apiAudience) : oneOf,
          getResourceServerInfo: (
            _ctx: KoaContextWithOIDC,
            resource: string,
            client: { grantTypes?: string[] },
          ) => {
            if (resource !== apiAudience || !client.grantTypes?.includes('client_credentials'))
              throw new errors.InvalidTarget();
            return {
              scope: API_SCOPES.join(' '),
              audience: apiAudience,
              accessTokenFormat: 'opaque',
              accessTokenTTL: TTL.ClientCredentials,
            };
          },
          useGrantedResource: () => false,
        },
        introspection: { enabled: true },
        revocation: { enabled: true },
        userinfo: { enabled: true },
        backchannelLogout: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
            ctx.type = 'html';
            ctx.body = logoutPage(pickLang(ctx.oidc.params?.ui_locales), form);
            return Promise.resolve();
          },
          postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
            ctx.type = 'html';
            ctx.body = messagePage('ar', 'signedOut');
            return Promise.resolve();
          },
        },
      },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) =>
          `${INTERACTION_PATH}/${interaction.uid}`,
      },
      renderError: (
        ctx: KoaContextWithOIDC,
        out: { error: string; error_description?: string },
      ) => {
        ctx.type = 'html';
        ctx.body = messagePage('ar', 'error', `${out.error}: ${out.error_description ?? ''}`);
        return Promise.resolve();
      },
    };
  }
}

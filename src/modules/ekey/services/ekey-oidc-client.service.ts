import { Injectable } from '@nestjs/common';
import { requireRole } from '../../../platform/auth/access.js';
import { ApiClientService } from '../../../platform/auth/api-client.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { AuditService } from '../../../platform/audit/audit.service.js';
import { randomToken } from '../../../platform/crypto/digest.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { EkeyErrors } from '../errors/ekey.errors.js';
import { EkeyOidcProvider } from '../oidc/ekey-oidc-provider.js';
import { EkeyOidcRepository } from '../repositories/ekey-oidc.repository.js';

export interface RelyingPartyInput {
  name: string;
  agencyId?: string | null;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** `client_secret_basic` (a secret is generated and shown once) or `private_key_jwt` (give `jwks`). */
  authMethod: 'client_secret_basic' | 'private_key_jwt';
  jwks?: { keys: object[] };
  /** Adds the client-credentials grant (service-to-service calls). */
  serviceToService?: boolean;
  /** Only for e-services that may sign the user in; omit for pure service clients. */
  userSignIn?: boolean;
  scopes?: string[];
  backchannelLogoutUri?: string;
  subjectType?: 'pairwise' | 'public';
  /**
   * With `serviceToService`: the Diwan API client (agency, scopes) this relying party acts
   * as when it calls Diwan's APIs with a client-credentials token. Its API scopes (e.g.
   * `payments:write`) must also be listed in `scopes` for the token to carry them.
   */
  apiClientId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Relying parties (e-services) registered by admins; metadata checked by oidc-provider itself. */
@Injectable()
export class EkeyOidcClientService {
  constructor(
    private readonly repo: EkeyOidcRepository,
    private readonly oidc: EkeyOidcProvider,
    private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly apiClients: ApiClientService,
  ) {}

  async register(
    actor: Actor,
    input: RelyingPartyInput,
  ): Promise<{ clientId: string; clientSecret?: string }> {
    requireRole(actor, 'admin');
    if (
      input.apiClientId !== undefined &&
      (!input.serviceToService ||
        !UUID.test(input.apiClientId) ||
        !(await this.apiClients.actorFor(input.apiClientId)))
    ) {
      throw new DomainException(EkeyErrors.API_CLIENT_LINK_INVALID, undefined, [
        { field: 'apiClientId', message: 'unknown, revoked or expired API client', reason: 'link' },
      ]);
    }
    const clientId = `rp_${randomToken(16)}`;
    const userSignIn = input.userSignIn ?? true;
    const grantTypes = [
      ...(userSignIn ? ['authorization_code', 'refresh_token'] : []),
      ...(input.serviceToService ? ['client_credentials'] : []),
    ];
    const metadata: Record<string, unknown> = {
      redirect_uris: userSignIn ? input.redirectUris : [],
      post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
      grant_types: grantTypes,
      response_types: userSignIn ? ['code'] : [],
      token_endpoint_auth_method: input.authMethod,
      subject_type: input.subjectType ?? 'pairwise',
      ...(input.scopes?.length === 0
        ? {}
        : { scope: (input.scopes ?? ['openid', 'profile', 'offline_access']).join(' ') }),
      application_type: 'web',
      ...(input.authMethod === 'private_key_jwt'
        ? { jwks: input.jwks, token_endpoint_auth_signing_alg: 'RS256' }
        : {}),
      ...(input.backchannelLogoutUri
        ? {
            backchannel_logout_uri: input.backchannelLogoutUri,
            backchannel_logout_session_required: true,
          }
        : {}),
    };
    const clientSecret = input.authMethod === 'client_secret_basic' ? randomToken(32) : undefined;
    try {
      await this.oidc.provider.Client.validate({
        ...metadata,
        client_id: clientId,
        ...(clientSecret ? { client_secret: clientSecret } : {}),
      });
    } catch (e) {
      throw new DomainException(
        EkeyErrors.INVALID_CLIENT_METADATA,
        (e as { error_description?: string }).error_description ?? (e as Error).message,
      );
    }
    await this.tx.run(async (tx) => {
      if (await this.repo.existsClient(clientId, tx))
        throw new DomainException(EkeyErrors.CLIENT_EXISTS);
      await this.repo.insertClient(tx, {
        clientId,
        name: input.name,
        agencyId: input.agencyId ?? null,
        metadata,
        secretEncrypted: clientSecret
          ? this.cipher.encrypt(clientSecret, `ekey_oidc_client:${clientId}`)
          : null,
        active: true,
        apiClientId: input.apiClientId ?? null,
        createdBy: actor.id,
      });
      await this.audit.record(tx, {
        actor,
        action: 'ekey.oidc.client.register',
        objectType: 'ekey_oidc_client',
        objectId: clientId,
        details: {
          name: input.name,
          grantTypes,
          authMethod: input.authMethod,
          apiClientId: input.apiClientId ?? null,
        },
      });
    });
    return { clientId, ...(clientSecret ? { clientSecret } : {}) };
  }
}

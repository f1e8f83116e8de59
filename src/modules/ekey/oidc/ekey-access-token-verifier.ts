import { Injectable } from '@nestjs/common';
import type { AccessTokenVerifier } from '../../../platform/auth/access-token-verifier.js';
import { ApiClientService } from '../../../platform/auth/api-client.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { EkeyOidcRepository } from '../repositories/ekey-oidc.repository.js';
import { EkeyOidcProvider } from './ekey-oidc-provider.js';

/** oidc-provider's opaque token values (nanoid, 43 characters); anything else is not ours. */
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Lets Diwan's API guard accept eKey client-credentials access tokens
 * (`Authorization: Bearer <token>`) where it accepts `dwn_…` keys. The token is looked up
 * in-process through the provider (present, not expired, not revoked), must have been
 * issued for Diwan's APIs (audience), and its relying party must be active and linked to a
 * live API client: the request then acts as that API client, with the scopes both the
 * token and the API client hold.
 */
@Injectable()
export class EkeyAccessTokenVerifier implements AccessTokenVerifier {
  constructor(
    private readonly oidc: EkeyOidcProvider,
    private readonly repo: EkeyOidcRepository,
    private readonly apiClients: ApiClientService,
  ) {}

  async verify(token: string, ip?: string): Promise<Actor | null> {
    if (!OPAQUE_TOKEN.test(token)) return null;
    const found = await this.oidc.provider.ClientCredentials.find(token);
    if (!found) return null;
    const audiences = Array.isArray(found.aud) ? found.aud : [found.aud];
    if (audiences.length !== 1 || audiences[0] !== this.oidc.apiAudience) return null;
    const apiClientId = await this.repo.findApiClientOfActiveClient(found.clientId);
    if (!apiClientId) return null;
    const actor = await this.apiClients.actorFor(apiClientId, ip);
    if (actor?.type !== 'api_client') return null;
    const granted = new Set(found.scope?.split(' ') ?? []);
    return {
      ...actor,
      label: `${actor.label} (eKey client ${found.clientId})`,
      scopes: actor.scopes.filter((s) => granted.has(s)),
    };
  }
}

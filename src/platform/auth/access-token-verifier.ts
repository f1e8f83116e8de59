import type { Actor } from './roles.js';

/**
 * A port for OAuth 2 access tokens accepted by the API-client guard as an alternative to
 * `dwn_…` API keys (service-to-service calls with the client-credentials grant). The
 * platform defines it; a module that issues such tokens (eKey's OpenID Provider) provides
 * it under `ACCESS_TOKEN_VERIFIER`. Without a provider, only API keys are accepted.
 */
export interface AccessTokenVerifier {
  /**
   * The API-client actor the token stands for, or null when the token is unknown,
   * expired, revoked, issued for another audience, or its client is no longer allowed.
   */
  verify(token: string, ip?: string): Promise<Actor | null>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('diwan:access-token-verifier');

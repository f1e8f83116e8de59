import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import { ACCESS_TOKEN_VERIFIER, type AccessTokenVerifier } from './access-token-verifier.js';
import { ApiClientService } from './api-client.service.js';
import type { Actor } from './roles.js';

/** Reads `Authorization: Bearer dwn_…` (or `X-Api-Key`): an API key, or an OAuth access token. */
export function presentedApiKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/**
 * Resolves the API client behind `dwn_…` keys, and behind access tokens of the
 * client-credentials grant when a module provides an `AccessTokenVerifier` (eKey does).
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  private verifier: AccessTokenVerifier | null | undefined;

  constructor(
    private readonly clients: ApiClientService,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  /** Looked up once, at first use: the platform cannot import the module that provides it. */
  private tokenVerifier(): AccessTokenVerifier | null {
    if (this.verifier === undefined) {
      try {
        this.verifier = this.moduleRef.get<AccessTokenVerifier>(ACCESS_TOKEN_VERIFIER, {
          strict: false,
        });
      } catch {
        this.verifier = null;
      }
    }
    return this.verifier;
  }

  async validate(req: Request): Promise<Actor> {
    const key = presentedApiKey(req);
    if (!key)
      throw new DomainException(
        PlatformErrors.UNAUTHENTICATED,
        'Send the API key as "Authorization: Bearer <key>"',
      );
    const actor = key.startsWith('dwn_')
      ? await this.clients.authenticate(key, req.ip)
      : await this.tokenVerifier()?.verify(key, req.ip);
    if (!actor)
      throw new DomainException(
        PlatformErrors.INVALID_CREDENTIALS,
        'The API key or access token is unknown, revoked, expired or not meant for this API',
      );
    return actor;
  }
}

import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import { ApiClientService } from './api-client.service.js';
import type { Actor } from './roles.js';

/** Reads `Authorization: Bearer dwn_…` (or `X-Api-Key`) and resolves the API client. */
export function presentedApiKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly clients: ApiClientService) {
    super();
  }

  async validate(req: Request): Promise<Actor> {
    const key = presentedApiKey(req);
    if (!key)
      throw new DomainException(
        PlatformErrors.UNAUTHENTICATED,
        'Send the API key as "Authorization: Bearer <key>"',
      );
    const actor = await this.clients.authenticate(key, req.ip);
    if (!actor)
      throw new DomainException(
        PlatformErrors.INVALID_CREDENTIALS,
        'The API key is unknown, revoked or expired',
      );
    return actor;
  }
}

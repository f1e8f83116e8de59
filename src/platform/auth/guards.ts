import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import type { Actor, ApiScope } from './roles.js';

const SCOPES_KEY = 'diwan:scopes';

@Injectable()
export class ApiClientAuthGuard extends AuthGuard('api-key') {}

@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const needed =
      this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const actor = context.switchToHttp().getRequest<Request & { user?: Actor }>().user;
    if (!actor || actor.type !== 'api_client')
      throw new DomainException(PlatformErrors.UNAUTHENTICATED);
    const missing = needed.filter((s) => !actor.scopes.includes(s));
    if (missing.length)
      throw new DomainException(
        PlatformErrors.INSUFFICIENT_SCOPE,
        `Missing scope(s): ${missing.join(', ')}`,
        [],
        { requiredScopes: needed },
      );
    return true;
  }
}

/** An endpoint for API clients holding every listed scope. */
export function RequireScopes(...scopes: ApiScope[]) {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, scopes),
    UseGuards(ApiClientAuthGuard, ScopesGuard),
    ApiBearerAuth('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key (problem+json)' }),
    ApiForbiddenResponse({ description: `Needs scope(s): ${scopes.join(', ')} (problem+json)` }),
  );
}

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();
  return req.user ?? { type: 'anonymous', id: null, label: 'anonymous', ip: req.ip };
});

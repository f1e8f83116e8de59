import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../../platform/auth/roles.js';
import { type NotifyCaller, NotifyApiKeyService } from '../services/notify-api-key.service.js';
import { SendLimitsService } from '../services/send-limits.service.js';

export type NotifyRequest = Request & { user?: Actor; notifyCaller?: NotifyCaller };

/** Authenticates `/v2` requests exactly as GOV.UK Notify clients sign them, then counts them. */
@Injectable()
export class NotifyAuthGuard implements CanActivate {
  constructor(
    private readonly keys: NotifyApiKeyService,
    private readonly limits: SendLimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<NotifyRequest>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const caller = await this.keys.authenticate(token, req.ip);
    // The per-e-service request budget (429 RateLimitError with Retry-After), shared via Redis.
    await this.limits.checkRequest(caller.actor.id);
    req.user = caller.actor;
    req.notifyCaller = caller;
    return true;
  }
}

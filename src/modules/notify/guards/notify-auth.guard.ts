import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../../platform/auth/roles.js';
import { type NotifyCaller, NotifyApiKeyService } from '../services/notify-api-key.service.js';

export type NotifyRequest = Request & { user?: Actor; notifyCaller?: NotifyCaller };

/** Authenticates `/v2` requests exactly as GOV.UK Notify clients sign them. */
@Injectable()
export class NotifyAuthGuard implements CanActivate {
  constructor(private readonly keys: NotifyApiKeyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<NotifyRequest>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const caller = await this.keys.authenticate(token, req.ip);
    req.user = caller.actor;
    req.notifyCaller = caller;
    return true;
  }
}

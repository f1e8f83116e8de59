import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { SecurityConfig } from '../config/config.js';
import { SECURITY_CONFIG } from '../config/config.tokens.js';
import { DomainException } from '../errors/domain-exception.js';
import { PlatformErrors } from '../errors/platform.errors.js';
import { type RateDecision, RateLimiter } from './rate-limiter.js';

export interface RateLimitRule {
  /** Bucket name, so endpoints can have their own budget. */
  name: string;
  limit: number;
  windowSeconds: number;
}

const RULE_KEY = 'diwan:rate-limit';
const SKIP_KEY = 'diwan:rate-limit:skip';

/** A tighter (or looser) budget for one endpoint. */
export const RateLimit = (rule: RateLimitRule) => SetMetadata(RULE_KEY, rule);
export const SkipRateLimit = () => SetMetadata(SKIP_KEY, true);

/** Throws the 429 problem with Retry-After. */
export function rateLimited(
  retryAfter: number,
  detail = 'Too many requests; retry later',
): DomainException {
  return new DomainException(
    PlatformErrors.RATE_LIMITED,
    detail,
    [],
    { retryAfter },
    { 'Retry-After': String(retryAfter) },
  );
}

/** The budget of every endpoint without a rule of its own. */
export function defaultRateLimitRule(security: SecurityConfig): RateLimitRule {
  return { name: 'api', limit: security.rateLimitPerMinute, windowSeconds: 60 };
}

/** The decision already taken for a request, so a request is counted once per rule. */
const DECISION = Symbol('diwan:rate-limit-decision');
type Decided = IncomingMessage & { [DECISION]?: { rule: string; decision: RateDecision } };

/**
 * Counts a request against a rule's budget (by API key id when present, else by address:
 * Express's `req.ip`, or `ip` for a request served before Express) and sets the RateLimit-*
 * headers. A request counted already under the same rule (by a platform lean route that then
 * left it to Nest) reuses that decision instead of counting again.
 */
export async function applyRateLimit(
  limiter: RateLimiter,
  rule: RateLimitRule,
  req: IncomingMessage & { ip?: string },
  res: ServerResponse,
  ip: string | undefined = req.ip,
): Promise<RateDecision> {
  const decided = req as Decided;
  let decision = decided[DECISION]?.rule === rule.name ? decided[DECISION].decision : undefined;
  if (!decision) {
    const auth = req.headers.authorization;
    const keyId = /^Bearer dwn_([0-9a-f]{16})_/.exec(auth ?? '')?.[1];
    const who = keyId ? `key:${keyId}` : `ip:${ip ?? 'unknown'}`;
    decision = await limiter.hit(`${rule.name}:${who}`, rule.limit, rule.windowSeconds);
    decided[DECISION] = { rule: rule.name, decision };
  }
  res.setHeader('RateLimit-Limit', String(decision.limit));
  res.setHeader('RateLimit-Remaining', String(decision.remaining));
  res.setHeader('RateLimit-Reset', String(decision.retryAfter));
  return decision;
}

/** Global per-client request budget (by API key id when present, else by address). */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(SECURITY_CONFIG) private readonly security: SecurityConfig,
  ) {}

  /** Each controller method's rule (null: skipped), read from its decorators once. */
  private readonly rules = new WeakMap<object, Map<object, RateLimitRule | null>>();

  private ruleFor(context: ExecutionContext): RateLimitRule | null {
    const [handler, controller] = [context.getHandler(), context.getClass()];
    let byController = this.rules.get(handler);
    if (!byController) this.rules.set(handler, (byController = new Map()));
    let rule = byController.get(controller);
    if (rule === undefined) {
      const targets = [handler, controller];
      rule = this.reflector.getAllAndOverride<boolean>(SKIP_KEY, targets)
        ? null
        : (this.reflector.getAllAndOverride<RateLimitRule | undefined>(RULE_KEY, targets) ??
          defaultRateLimitRule(this.security));
      byController.set(controller, rule);
    }
    return rule;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.ruleFor(context);
    if (!rule) return true;
    const http = context.switchToHttp();
    const decision = await applyRateLimit(
      this.limiter,
      rule,
      http.getRequest<Request>(),
      http.getResponse<Response>(),
    );
    if (!decision.allowed) throw rateLimited(decision.retryAfter);
    return true;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SecurityConfig } from '../config/config.js';
import { SECURITY_CONFIG } from '../config/config.tokens.js';
import {
  applyRateLimit,
  defaultRateLimitRule,
  type RateLimitRule,
} from '../rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';

/**
 * Serves the plain happy path of a request, or returns `false` without writing anything to
 * the response: Nest's controller for the same route then answers it (problem+json errors,
 * unusual parameters, not found). Throwing counts as declining too.
 */
export type FastRouteHandler = (req: Request, res: Response) => Promise<boolean>;

/**
 * Lean routes for the hottest public GETs (the registry's service page and search), mounted
 * by the platform as an Express router before Nest's routes. Why: at 32 connections Nest's
 * per-request machinery (Express walking every route layer in order, the router execution
 * context, the global guard and the validation pipe on each parameter) cost the service page
 * as much CPU as the whole request of a plain node:http server running the same SQL.
 *
 * A module registers a handler for a path its own controller also serves; the handler shares
 * the controller's body-building function, so both answer byte for byte alike. What every
 * request gets still comes from the platform: the correlation id, security headers, access
 * log and metrics (its route label is this path, as Nest's would be) come from the middleware
 * that runs before this router; the rate limit is applied here with the global guard's default
 * rule and headers (so only a route without a `@RateLimit` rule of its own may be served
 * here), and its decision is left on the request, so a declined request is not counted twice
 * when Nest's guard sees it. Anything the handler declines goes to Nest, which answers it as
 * if this router did not exist.
 */
@Injectable()
export class PublicFastRoutes {
  /** Mounted once by `configureHttp`; routes added later are served too (Express routers are live). */
  readonly router: Router = express.Router();

  private readonly rule: RateLimitRule;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(SECURITY_CONFIG) security: SecurityConfig,
  ) {
    this.rule = defaultRateLimitRule(security);
  }

  /** Serves GET (and HEAD) `path`, in Express's path syntax, as Nest's route would match it. */
  get(path: string, handler: FastRouteHandler): void {
    this.router.get(path, (req: Request, res: Response, next: NextFunction) => {
      this.serve(req, res, handler).then(
        (served) => {
          if (!served) next();
        },
        () => (res.headersSent ? res.end() : next()),
      );
    });
  }

  private async serve(req: Request, res: Response, handler: FastRouteHandler): Promise<boolean> {
    const decision = await applyRateLimit(this.limiter, this.rule, req, res);
    // Over budget: Nest's guard renders the 429 from this same decision.
    if (!decision.allowed) return false;
    return handler(req, res);
  }
}

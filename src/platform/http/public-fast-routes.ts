import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { SecurityConfig } from '../config/config.js';
import { SECURITY_CONFIG } from '../config/config.tokens.js';
import { requestContext } from '../logging/request-context.js';
import {
  applyRateLimit,
  defaultRateLimitRule,
  type RateLimitRule,
} from '../rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';

/** A request a lean route is asked to serve: what Nest's route would give its controller. */
export interface FastRequest {
  readonly headers: IncomingHttpHeaders;
  /** The path's `:name` segments, URI-decoded, as Express gives them in `req.params`. */
  readonly params: Readonly<Record<string, string>>;
  /** The client's address, as Express's `req.ip` (with the configured `trust proxy`). */
  readonly ip: string | undefined;
  /** Whether the URL has a query string (even an empty one: `/path?`). */
  readonly hasQuery: boolean;
  /** The query string parsed by Express's own `query parser` (what `req.query` would be). */
  query(): Record<string, unknown>;
}

/**
 * Serves the plain happy path of a request, or returns `false` without writing anything to
 * the response: Nest's controller for the same route then answers it (problem+json errors,
 * unusual parameters, not found). Throwing counts as declining too.
 */
export type FastRouteHandler = (req: FastRequest, res: ServerResponse) => Promise<boolean>;

/** A lean route: its path in Express's syntax (literal and `:name` segments) and handler. */
export interface FastRoute {
  readonly path: string;
  handler: FastRouteHandler;
}

/**
 * What the platform gives every request, whichever way it is served (see `configureHttp`):
 * the correlation id and security headers when it arrives, the access log line and metrics
 * when its response is finished.
 */
export interface RequestPipeline {
  /** Sets the correlation id and security headers; returns the correlation id. */
  begin(req: IncomingMessage, res: ServerResponse): string;
  /** The address Express would give as `req.ip` (with the configured `trust proxy`). */
  ip(req: IncomingMessage): string | undefined;
  /**
   * Writes the access log line and observes the latency once the response is finished, as
   * the platform middleware does for a request served by Express; `route` is the metrics label.
   */
  observe(req: IncomingMessage, res: ServerResponse, request: ObservedRequest): void;
  /** The query string parsed by Express's own `query parser` (what `req.query` would be). */
  parseQuery(search: string): Record<string, unknown>;
}

/** What the access log line and the metrics need of a request, besides itself. */
export interface ObservedRequest {
  /** `process.hrtime.bigint()` when it arrived. */
  start: bigint;
  correlationId: string;
  /** The metrics label: the route's path (Express's `req.route.path`). */
  route: string;
  ip: string | undefined;
  /** Checked when the response is finished: true when someone else observes this request. */
  skip?: () => boolean;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface CompiledRoute {
  route: FastRoute;
  /** Literal segments as strings, parameters as `{ name }`. */
  segments: (string | { name: string })[];
}

/**
 * Lean routes for the hottest public GETs (the registry's service page and search), served by
 * the platform from the `node:http` request listener, before Express sees the request. Why: at
 * 32 connections Nest's per-request machinery (the router execution context, the global guard,
 * the validation pipe on each parameter) and then Express's own (its request and response
 * prototypes, walking every middleware and route layer in order) cost the service page more
 * CPU than a whole request of a plain node:http server running the same SQL.
 *
 * A module registers a handler for a path its own controller also serves; the handler shares
 * the controller's body-building function, so both answer byte for byte alike. What every
 * request gets still comes from the platform's `RequestPipeline` (the same functions as the
 * Express middleware): the correlation id, security headers, access log and metrics (its route
 * label is this path, as Nest's would be). The rate limit is applied here with the global
 * guard's default rule and headers (so only a route without a `@RateLimit` rule of its own may
 * be served here), and its decision is left on the request, so a declined request is not
 * counted twice when Nest's guard sees it.
 *
 * Only a GET or HEAD without a body whose path matches a route exactly is tried (Express would
 * also match another letter case or a trailing slash: those go to Express, as does anything a
 * handler declines), so Nest answers everything else as if this did not exist.
 */
@Injectable()
export class PublicFastRoutes {
  private readonly compiled: CompiledRoute[] = [];
  private readonly rule: RateLimitRule;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(SECURITY_CONFIG) security: SecurityConfig,
  ) {
    this.rule = defaultRateLimitRule(security);
  }

  /** The routes, in the order they are tried. */
  get routes(): readonly FastRoute[] {
    return this.compiled.map((c) => c.route);
  }

  /** Serves GET (and HEAD) `path`: literal segments and `:name` parameters, e.g. `/v1/x/:id`. */
  get(path: string, handler: FastRouteHandler): void {
    const segments = path.split('/').map((s) => (s.startsWith(':') ? { name: s.slice(1) } : s));
    this.compiled.push({ route: { path, handler }, segments });
  }

  /**
   * The server's request listener: lean routes first, `fallback` (Express) for everything
   * they do not serve.
   */
  listener(fallback: RequestListener, pipeline: RequestPipeline): RequestListener {
    return (req, res) => {
      const method = req.method;
      if ((method === 'GET' || method === 'HEAD') && this.compiled.length && !hasBody(req)) {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const path = q < 0 ? url : url.slice(0, q);
        for (const c of this.compiled) {
          const params = match(c.segments, path);
          if (params) {
            this.serve(c.route, params, q >= 0 ? url.slice(q + 1) : undefined, req, res, {
              fallback,
              pipeline,
            });
            return;
          }
        }
      }
      fallback(req, res);
    };
  }

  private serve(
    route: FastRoute,
    params: Record<string, string>,
    search: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    { fallback, pipeline }: { fallback: RequestListener; pipeline: RequestPipeline },
  ): void {
    const start = process.hrtime.bigint();
    const correlationId = pipeline.begin(req, res);
    const ip = pipeline.ip(req);
    // Logged and measured here once served; a declined request is observed by Express's path.
    let declined = false;
    pipeline.observe(req, res, {
      start,
      correlationId,
      route: route.path,
      ip,
      skip: () => declined,
    });
    const fast: FastRequest = {
      headers: req.headers,
      params,
      ip,
      hasQuery: search !== undefined,
      query: () => pipeline.parseQuery(search ?? ''),
    };
    requestContext
      .run({ correlationId }, async () => {
        const decision = await applyRateLimit(this.limiter, this.rule, req, res, ip);
        // Over budget: Nest's guard renders the 429 from this same decision.
        if (!decision.allowed) return false;
        return route.handler(fast, res);
      })
      .catch(() => res.headersSent)
      .then((served) => {
        if (served) {
          if (!res.writableEnded) res.end();
          return;
        }
        declined = true;
        fallback(req, res);
      })
      .catch(() => res.destroy());
  }
}

/** As body-parser decides: a body is announced by Transfer-Encoding or a Content-Length. */
export function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    !Number.isNaN(Number(req.headers['content-length']))
  );
}

/** The route's parameters when `path` matches its segments exactly, else null. */
function match(
  segments: readonly (string | { name: string })[],
  path: string,
): Record<string, string> | null {
  const parts = path.split('/');
  if (parts.length !== segments.length) return null;
  let params: Record<string, string> | null = null;
  for (let i = 0; i < parts.length; i++) {
    const s = segments[i];
    const part = parts[i];
    if (typeof s === 'string') {
      if (part !== s) return null;
      continue;
    }
    if (!part) return null;
    let value: string;
    try {
      value = part.includes('%') ? decodeURIComponent(part) : part;
    } catch {
      return null; // Express answers a malformed escape itself
    }
    (params ??= {})[s.name] = value;
  }
  return params ?? {};
}

import type { IncomingMessage, RequestListener } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import { ProblemDetailsFilter, sendProblem } from '../errors/problem-details.filter.js';
import { createValidationPipe } from '../errors/validation.js';
import { correlationIdFrom, requestContext } from '../logging/request-context.js';
import type { Metrics } from '../metrics/metrics.js';
import { hasBody, PublicFastRoutes, type RequestPipeline } from './public-fast-routes.js';

/** Renders a body-parsing error (malformed JSON, too large) in an API's own error shape. */
export type BodyErrorRenderer = (err: unknown, req: Request, res: Response) => void;
const bodyErrorRenderers = new Map<string, BodyErrorRenderer>();

/**
 * Body-parsing errors run before any route, so a controller's exception filter never sees
 * them: an API with its own error body (GOV.UK Notify's `/v2`) registers its renderer for its
 * path prefix here. Other paths keep problem+json.
 */
export function renderBodyErrorsUnder(prefix: string, render: BodyErrorRenderer): void {
  bodyErrorRenderers.set(prefix, render);
}

/** The correlation id given to a request, kept so a lean route that declines it and Express agree. */
const CORRELATION_ID = Symbol('diwan:correlation-id');

/**
 * The headers a middleware sets when they do not depend on the request (helmet's, with no
 * nonce), collected once by running it against a recording response.
 */
export function staticHeaders(
  middleware: (req: never, res: never, next: (err?: unknown) => void) => void,
): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let called = false;
  middleware({ headers: {} } as never, res as never, (err) => {
    if (err) throw err instanceof Error ? err : new Error('the security headers failed');
    called = true;
  });
  if (!called) throw new Error('the security headers middleware did not finish synchronously');
  return [...headers];
}

/**
 * HTTP plumbing in the order a request meets it: the modules' lean public routes (from the
 * server's request listener, before Express), then Express: correlation id, security headers,
 * access log and metrics, body parsing with a size limit (its errors as problem+json), then
 * Nest's routes with its validation pipe and problem filter. The lean routes get the same
 * correlation id, headers, access log and metrics through the same `RequestPipeline`.
 */
export function configureHttp(
  app: INestApplication,
  config: AppConfig,
  logger: Logger,
  metrics: Metrics,
): void {
  const http = app as NestExpressApplication;
  http.set('trust proxy', config.trustProxy);
  http.disable('x-powered-by');
  http.set('etag', false);
  // One middleware for what every request gets: correlation id, security headers, access log
  // and metrics. Helmet's headers do not depend on the request, so they are computed once.
  const securityHeaders = staticHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // AdminJS and Swagger UI need inline styles and scripts of their own bundles.
          'script-src': ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
          'style-src': ["'self'", "'unsafe-inline'", 'https:'],
          'img-src': ["'self'", 'data:', 'blob:'],
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  const durations = new Map<string, { observe(seconds: number): void }>();
  // The access line has fixed fields, all strings and numbers (the URL without its query
  // string), where no redaction path can match: the root logger's redaction walk over them (as
  // much CPU as the rest of the line) is skipped by a child without paths. Same line otherwise.
  const accessLog = logger.child({}, { redact: { paths: [] } });
  const expressApp = http.getHttpAdapter().getInstance();
  // Express's own `req.ip` (its `trust proxy` setting) and `req.query` (its `query parser`),
  // for the requests the lean routes serve before Express sees them.
  const ipOf = Object.getOwnPropertyDescriptor(express.request, 'ip')?.get;
  const pipeline: RequestPipeline = {
    begin(req, res) {
      const tagged = req as IncomingMessage & { [CORRELATION_ID]?: string };
      const correlationId = (tagged[CORRELATION_ID] ??= correlationIdFrom(
        req.headers['x-correlation-id'],
      ));
      res.setHeader('X-Correlation-Id', correlationId);
      for (const [name, value] of securityHeaders) res.setHeader(name, value);
      return correlationId;
    },
    ip: (req) =>
      ipOf?.call({ app: expressApp, socket: req.socket, headers: req.headers }) as
        string | undefined,
    parseQuery(search) {
      const parse = expressApp.get('query parser fn') as
        ((s: string) => Record<string, unknown>) | undefined;
      return parse ? parse(search) : (Object.create(null) as Record<string, unknown>);
    },
    observe(req, res, request) {
      res.on('finish', () => {
        if (request.skip?.()) return;
        // Read now: Express's route and address are known once the request was routed.
        const { start, correlationId, route, ip } = request;
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const method = req.method ?? 'GET';
        const status = String(res.statusCode);
        const key = `${method} ${status} ${route}`;
        let duration = durations.get(key);
        if (!duration) {
          duration = metrics.httpDuration.labels({ method, route, status });
          durations.set(key, duration);
        }
        duration.observe(ms / 1000);
        const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
        const q = url.indexOf('?');
        accessLog.info(
          {
            correlationId,
            method,
            url: q < 0 ? url : url.slice(0, q),
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
            ip,
          },
          'request',
        );
      });
    },
  };
  // The lean public routes answer from the server's request listener, before Express; what
  // they do not serve goes on to Express (see PublicFastRoutes).
  const server = http.getHttpServer();
  const [expressListener] = server.listeners('request') as RequestListener[];
  server.removeListener('request', expressListener);
  server.on('request', app.get(PublicFastRoutes).listener(expressListener, pipeline));
  http.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    const correlationId = pipeline.begin(req, res);
    pipeline.observe(req, res, {
      start,
      correlationId,
      get route() {
        return (
          (req.route as { path?: string } | undefined)?.path ??
          (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other')
        );
      },
      get ip() {
        return req.ip;
      },
    });
    requestContext.run({ correlationId }, next);
  });
  // Nest's own JSON/urlencoded parsers are off (bodyParser: false); these carry the size limit.
  // A request without a body (most GETs) skips them.
  const limit = `${config.bodyLimitKb}kb`;
  const jsonParser = express.json({ limit, type: ['application/json', 'application/*+json'] });
  const formParser = express.urlencoded({ limit, extended: false });
  // AdminJS (formidable) and the OpenID provider (oidc-provider) parse their own bodies.
  const ownParsers = (path: string) => path.startsWith('/admin') || path.startsWith('/oidc');
  http.use((req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) {
      const bare = req as { body?: unknown };
      if (!('body' in bare)) bare.body = undefined; // as the parsers leave it
      return next();
    }
    if (ownParsers(req.path)) return next();
    jsonParser(req, res, (err?: unknown) => (err ? next(err) : formParser(req, res, next)));
  });
  http.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    for (const [prefix, render] of bodyErrorRenderers)
      if (req.path === prefix || req.path.startsWith(`${prefix}/`)) return render(err, req, res);
    sendProblem(res, req, err, logger);
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
}

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

/**
 * Express-level plumbing in the order a request meets it: correlation id, security headers,
 * access log and metrics, body parsing with a size limit (its errors as problem+json),
 * then Nest's validation pipe and problem filter.
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
  // Nest's own JSON/urlencoded parsers are off (bodyParser: false); these carry the size limit.
  http.use((req: Request, res: Response, next: NextFunction) => {
    const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
    res.setHeader('X-Correlation-Id', correlationId);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const route =
        (req.route as { path?: string } | undefined)?.path ??
        (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other');
      metrics.httpDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        ms / 1000,
      );
      requestContext.run({ correlationId }, () =>
        logger.info(
          {
            method: req.method,
            url: req.originalUrl.split('?')[0],
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
            ip: req.ip,
          },
          'request',
        ),
      );
    });
    requestContext.run({ correlationId }, next);
  });
  http.use(
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
  const limit = `${config.bodyLimitKb}kb`;
  const jsonParser = express.json({ limit, type: ['application/json', 'application/*+json'] });
  const formParser = express.urlencoded({ limit, extended: false });
  // AdminJS (formidable) and the OpenID provider (oidc-provider) parse their own bodies.
  const ownParsers = (path: string) => path.startsWith('/admin') || path.startsWith('/oidc');
  http.use((req: Request, res: Response, next: NextFunction) =>
    ownParsers(req.path) ? next() : jsonParser(req, res, next),
  );
  http.use((req: Request, res: Response, next: NextFunction) =>
    ownParsers(req.path) ? next() : formParser(req, res, next),
  );
  http.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    for (const [prefix, render] of bodyErrorRenderers)
      if (req.path === prefix || req.path.startsWith(`${prefix}/`)) return render(err, req, res);
    sendProblem(res, req, err, logger);
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
}

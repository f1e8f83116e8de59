import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApiClientService } from '../../../platform/auth/api-client.service.js';
import { PublicFastRoutes } from '../../../platform/http/public-fast-routes.js';
import { sendJsonText } from '../../../platform/http/send-json.js';
import { PaymentStatsService, type StatsQuery } from '../services/payment-stats.service.js';

/** The statistics query's parameters (`StatsQueryDto`): any other makes it the controller's. */
const STATS_PARAMETERS: ReadonlySet<string> = new Set<keyof StatsQuery>([
  'period',
  'date',
  'from',
  'to',
  'groupBy',
  'agency',
  'service',
]);

/**
 * The plain happy path of `GET /v1/payments/stats`, served by the platform's lean routes before
 * Express and Nest (see `PublicFastRoutes`): e-services and dashboards ask it all day, and at
 * one request at a time most of its latency was Nest's machinery around a 0.3 ms statement.
 *
 * Served here only when the client presents an API key (`Authorization: Bearer dwn_…`) that
 * `ApiClientService` accepts (the same check as the API guard's), every query parameter is one
 * of the DTO's and a single string (what the validation pipe would pass unchanged), and the
 * statistics service answers. Anything else (no key or another credential, an unknown or
 * repeated parameter, a query the service refuses, a client without the scope, another
 * agency) is declined, and `PaymentsController` answers it from the start with its guard, pipe
 * and problem+json errors, as if this did not exist. The body is the controller's: the same
 * service call, serialised by `JSON.stringify` as Express's `res.json` does.
 */
@Injectable()
export class PaymentsFastRoutes implements OnModuleInit {
  constructor(
    private readonly routes: PublicFastRoutes,
    private readonly clients: ApiClientService,
    private readonly stats: PaymentStatsService,
  ) {}

  onModuleInit(): void {
    this.routes.get('/v1/payments/stats', async (req, res) => {
      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer dwn_') || req.headers['x-api-key'] !== undefined) return false;
      const query = plainStatsQuery(req.query());
      if (!query) return false;
      const actor = await this.clients.authenticate(auth.slice(7).trim(), req.ip);
      if (!actor) return false;
      const body = JSON.stringify(await this.stats.report(actor, query));
      res.statusCode = 200;
      sendJsonText(res, body);
      return true;
    });
  }
}

/** The query as the validation pipe would hand it over, or null when it would do more than that. */
export function plainStatsQuery(query: Record<string, unknown>): StatsQuery | null {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!STATS_PARAMETERS.has(name) || typeof value !== 'string') return null;
    out[name] = value;
  }
  return out;
}

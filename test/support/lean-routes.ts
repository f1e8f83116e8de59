import type { Response } from 'supertest';
import { type FastRoute, PublicFastRoutes } from '../../src/platform/http/public-fast-routes.js';
import type { TestApp } from './test-app.js';

/**
 * What a client sees of a response, less what differs between any two requests: a lean route's
 * answer and the controller's for the same request must be equal under this.
 */
export function seen(res: Response) {
  const headers = { ...res.headers };
  for (const h of ['date', 'ratelimit-remaining', 'ratelimit-reset', 'connection', 'keep-alive'])
    delete headers[h];
  return { status: res.status, headers, body: res.text };
}

/**
 * Counts the requests each lean route answered itself (a handler that returns true served
 * it), by route path, in the returned map.
 */
export function countServed(t: TestApp, only?: (route: FastRoute) => boolean): Map<string, number> {
  const served = new Map<string, number>();
  for (const route of t.get(PublicFastRoutes).routes) {
    if (only && !only(route)) continue;
    const handler = route.handler;
    route.handler = async (req, res) => {
      const ok = await handler(req, res);
      if (ok) served.set(route.path, (served.get(route.path) ?? 0) + 1);
      return ok;
    };
  }
  return served;
}

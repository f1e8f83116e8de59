import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('request rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client spent its budget', async () => {
    for (let i = 0; i < 5; i++) await t.http().get('/v1/agencies').expect(200);
    const res = await t.http().get('/v1/agencies').expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not count health checks against the budget', async () => {
    await t.http().get('/health/live').expect(200);
  });
});

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import type { DomainException } from '../../src/platform/errors/domain-exception.js';
import { notifyErrorBody } from '../../src/modules/notify/guards/notify-exception.filter.js';
import { NotifyApiKeyService } from '../../src/modules/notify/services/notify-api-key.service.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

// The token exactly as the official GOV.UK Notify Node client signs it.
const require = createRequire(import.meta.url);
const createGovukNotifyToken = require('notifications-node-client/client/authentication.js') as (
  method: string,
  path: string,
  secret: string,
  serviceId: string,
) => string;

/** Splits a Notify key the way the official clients do: the last 73 characters. */
const partsOf = (apiKey: string) => ({
  serviceId: apiKey.slice(-73, -37),
  secret: apiKey.slice(-36),
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as DomainException).code;
  }
  return 'accepted';
};

describe('Notify-compatible API keys', () => {
  let t: TestApp;
  let sut: NotifyApiKeyService;
  let serviceId: string;
  let apiKey: string;
  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(NotifyApiKeyService);
    const agency = await makeAgency(t);
    serviceId = (await makeApiClient(t, agency.id, ['notifications:send'], 'Traffic fines')).client
      .id;
    apiKey = (await sut.create(t.admin, serviceId, 'Live key', 'live')).apiKey;
  });
  afterAll(() => t.close());

  it('issues keys in Notify format, keeping the secret only encrypted', async () => {
    expect(apiKey).toMatch(/^live_key-[0-9a-f-]{36}-[0-9a-f-]{36}$/);
    const { secret } = partsOf(apiKey);
    const rows = await t.db.query<{ secret_ciphertext: string }>(
      'SELECT secret_ciphertext FROM notify_api_key',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_ciphertext).toMatch(/^v1\./);
    expect(rows[0].secret_ciphertext).not.toContain(secret);
  });

  it('accepts a token signed by the official Notify client', async () => {
    const { serviceId: iss, secret } = partsOf(apiKey);
    const caller = await sut.authenticate(
      createGovukNotifyToken('GET', '/v2/templates', secret, iss),
    );
    expect(caller).toMatchObject({ keyType: 'live', actor: { type: 'api_client', id: serviceId } });
  });

  it('refuses a missing token, a wrong secret, alg none, and a clock 31 s off', async () => {
    const { serviceId: iss, secret } = partsOf(apiKey);
    expect(await codeOf(sut.authenticate(undefined))).toBe('NOTIFY_AUTH_MISSING');
    expect(
      await codeOf(
        sut.authenticate(
          createGovukNotifyToken('GET', '/', '00000000-0000-4000-8000-000000000000', iss),
        ),
      ),
    ).toBe('NOTIFY_AUTH_SIGNATURE');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss, iat: Math.round(Date.now() / 1000) })).toString('base64url')}.`;
    expect(await codeOf(sut.authenticate(none))).toBe('NOTIFY_AUTH_SIGNATURE');
    const stale = await new SignJWT({ iss })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(Math.round(Date.now() / 1000) - 31)
      .sign(new TextEncoder().encode(secret));
    expect(await codeOf(sut.authenticate(stale))).toBe('NOTIFY_AUTH_CLOCK');
  });

  it('refuses a revoked key and a service whose API client was revoked', async () => {
    const spare = await sut.create(t.admin, serviceId, 'spare', 'team');
    const { serviceId: iss, secret } = partsOf(spare.apiKey);
    await sut.revoke(t.admin, spare.id);
    expect(await codeOf(sut.authenticate(createGovukNotifyToken('GET', '/', secret, iss)))).toBe(
      'NOTIFY_AUTH_SIGNATURE',
    );
    const agency = await makeAgency(t);
    const other = await makeApiClient(t, agency.id, ['notifications:send'], 'Closed e-service');
    const key = await sut.create(t.admin, other.client.id, 'k', 'live');
    await t.get(ApiClientService).revoke(t.admin, other.client.id);
    const p = partsOf(key.apiKey);
    expect(
      await codeOf(sut.authenticate(createGovukNotifyToken('GET', '/', p.secret, p.serviceId))),
    ).toBe('NOTIFY_AUTH_REVOKED');
  });

  it('refuses a service without the notifications:send scope', async () => {
    const agency = await makeAgency(t);
    const payer = await makeApiClient(t, agency.id, ['payments:write'], 'Payments only');
    const key = partsOf((await sut.create(t.admin, payer.client.id, 'k', 'live')).apiKey);
    expect(
      await codeOf(sut.authenticate(createGovukNotifyToken('GET', '/', key.secret, key.serviceId))),
    ).toBe('NOTIFY_AUTH_SCOPE');
  });

  it('renders errors in the body shape Notify clients parse', async () => {
    let error: unknown;
    try {
      await sut.authenticate(undefined);
    } catch (e) {
      error = e;
    }
    expect(notifyErrorBody(error)).toEqual({
      status_code: 401,
      errors: [
        { error: 'AuthError', message: 'Unauthorized: authentication token must be provided' },
      ],
    });
  });
});

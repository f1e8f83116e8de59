import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { RegistryService } from '../../src/modules/registry/services/registry.service.js';
import { EkeyOidcClientService } from '../../src/modules/ekey/services/ekey-oidc-client.service.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import type { ApiScope } from '../../src/platform/auth/roles.js';
import { makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let refSeq = 0;

describe("Diwan's APIs accept eKey client-credentials tokens (service-to-service)", () => {
  let t: TestApp;
  let issuer: string;
  let service: string;
  let npraId: string;
  const secrets: string[] = [];

  const item = () => ({
    externalRef: `CC-${++refSeq}`,
    occurredAt: '2026-03-01T09:30:00+03:00',
    serviceCode: service,
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'payment',
    status: 'succeeded',
    amountFils: '12500',
    feeFils: '0',
    currency: 'BHD',
  });
  const postPayment = (token: string) =>
    t
      .http()
      .post('/v1/payments/transactions')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', `idem-${++refSeq}`)
      .send({ items: [item()] });

  /** A relying party with a secret, linked (or not) to a new API client of NPRA. */
  async function servicePair(
    opts: { apiScopes?: ApiScope[]; rpScopes?: string[]; link?: boolean } = {},
  ) {
    const apiScopes = opts.apiScopes ?? ['payments:write'];
    const { client } = await makeApiClient(t, npraId, apiScopes, 'NPRA gateway');
    const rp = await t.get(EkeyOidcClientService).register(t.admin, {
      name: 'NPRA gateway (service)',
      redirectUris: [],
      authMethod: 'client_secret_basic',
      serviceToService: true,
      userSignIn: false,
      scopes: opts.rpScopes ?? apiScopes,
      ...(opts.link === false ? {} : { apiClientId: client.id }),
    });
    secrets.push(rp.clientSecret!);
    const config = await oidc.discovery(
      new URL(issuer),
      rp.clientId,
      undefined,
      oidc.ClientSecretBasic(rp.clientSecret),
      { execute: [oidc.allowInsecureRequests] },
    );
    return { apiClient: client, rp, config };
  }

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PUBLIC_URL: base });
    await t.diwan.http!.listen(port, '127.0.0.1');
    issuer = `${base}/oidc`;
    await t.get(RegistryDemoSeeder).seed();
    service = (await t.get(RegistryService).listPublishedCodes()).find((c) =>
      c.startsWith('NPRA-'),
    )!;
    npraId = (await t.get(AgencyService).findByCode('NPRA'))!.id;
  }, 300_000);
  afterAll(() => t.close());

  it('lets a relying party linked to an API client write payments with a token from openid-client', async () => {
    const { config } = await servicePair();
    const token = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    secrets.push(token.access_token);
    expect(token.token_type.toLowerCase()).toBe('bearer');
    expect(token.scope).toBe('payments:write');
    const res = await postPayment(token.access_token).expect(201);
    expect(res.body).toMatchObject({ received: 1, inserted: 1 });
  });

  it('acts with the scopes both the token and the API client hold', async () => {
    // The API client may only read; the relying party may ask for payments:write too.
    const { config } = await servicePair({
      apiScopes: ['payments:read'],
      rpScopes: ['payments:read', 'payments:write'],
    });
    const token = await oidc.clientCredentialsGrant(config, {
      scope: 'payments:read payments:write',
    });
    const res = await postPayment(token.access_token).expect(403);
    expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
    // A token asked without the scope does not carry it either.
    const w = await servicePair();
    const none = await oidc.clientCredentialsGrant(w.config);
    await postPayment(none.access_token).expect(403);
  });

  it('refuses a scope outside the relying party registration at the token endpoint', async () => {
    const { config } = await servicePair({ apiScopes: ['payments:read'] });
    await expect(
      oidc.clientCredentialsGrant(config, { scope: 'payments:write' }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a token of a relying party not linked to an API client', async () => {
    const { config } = await servicePair({ link: false });
    const token = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    const res = await postPayment(token.access_token).expect(401);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a link to an unknown API client at registration', async () => {
    await expect(
      t.get(EkeyOidcClientService).register(t.admin, {
        name: 'x',
        redirectUris: [],
        authMethod: 'client_secret_basic',
        serviceToService: true,
        userSignIn: false,
        scopes: ['payments:write'],
        apiClientId: '00000000-0000-4000-8000-000000000000',
      }),
    ).rejects.toMatchObject({ definition: { code: 'EKEY_API_CLIENT_LINK_INVALID' } });
  });

  it('refuses an expired token', async () => {
    const { config } = await servicePair();
    const token = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    await postPayment(token.access_token).expect(201);
    // Eleven minutes later (the lifetime is ten): move the token's expiry into the past.
    const past = Math.floor(Date.now() / 1000) - 60;
    await t.db.query(
      `UPDATE ekey_oidc_payload SET payload = jsonb_set(payload, '{exp}', to_jsonb($2::int))
       WHERE kind = 'ClientCredentials' AND id = $1`,
      [token.access_token, past],
    );
    await postPayment(token.access_token).expect(401);
  });

  it('refuses a token for another audience: asked at the token endpoint, or presented', async () => {
    const { config } = await servicePair();
    await expect(
      oidc.clientCredentialsGrant(config, {
        scope: 'payments:write',
        resource: 'https://elsewhere.example/api',
      }),
    ).rejects.toMatchObject({ error: 'invalid_target' });
    const token = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    await t.db.query(
      `UPDATE ekey_oidc_payload SET payload = jsonb_set(payload, '{aud}', '"https://elsewhere.example/api"')
       WHERE kind = 'ClientCredentials' AND id = $1`,
      [token.access_token],
    );
    await postPayment(token.access_token).expect(401);
  });

  it('refuses unsigned (alg none) and forged tokens', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({
      iss: issuer,
      aud: issuer.replace(/\/oidc$/, '/v1'),
      client_id: 'rp_x',
      scope: 'payments:write',
      iat: now,
      exp: now + 600,
    })}.`;
    await postPayment(unsigned).expect(401);
    await postPayment('A'.repeat(43)).expect(401);
  });

  it('refuses a token revoked by its client (RFC 7009), and every token once the API client is revoked', async () => {
    const { config, apiClient } = await servicePair();
    const revoked = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    const live = await oidc.clientCredentialsGrant(config, { scope: 'payments:write' });
    await postPayment(revoked.access_token).expect(201);
    await oidc.tokenRevocation(config, revoked.access_token);
    await postPayment(revoked.access_token).expect(401);
    await postPayment(live.access_token).expect(201);
    await t.get(ApiClientService).revoke(t.admin, apiClient.id);
    await postPayment(live.access_token).expect(401);
  });

  it('keeps accepting API keys', async () => {
    const { apiKey } = await makeApiClient(t, npraId, ['payments:write']);
    await postPayment(apiKey).expect(201);
  });

  it('never logs client secrets or access tokens', () => {
    const logs = t.logs.text();
    for (const s of secrets) expect(logs).not.toContain(s);
  });
});

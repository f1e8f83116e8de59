import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import { EkeyOidcClientService } from '../../src/modules/ekey/services/ekey-oidc-client.service.js';
import { EkeyOidcProvider } from '../../src/modules/ekey/oidc/ekey-oidc-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'palm fronds in the breeze 88';

/** A tiny browser: follows redirects, keeps cookies (Secure ones too: it stands for HTTPS). */
class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly stopAt: string) {}

  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  private cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  hasCookie(name: string) {
    return this.jar.has(name);
  }

  /** Goes to `url` (GET, or POST of a form) and follows redirects until a page or the RP. */
  async go(
    url: string,
    form?: Record<string, string>,
  ): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let init: RequestInit = form
      ? {
          method: 'POST',
          body: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie() },
        }
      : { headers: { cookie: this.cookie() } };
    for (let hops = 0; hops < 10; hops++) {
      const res = await fetch(current, { ...init, redirect: 'manual' });
      this.store(res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).toString();
        if (current.startsWith(this.stopAt)) return { url: current, status: res.status, html: '' };
        init = { headers: { cookie: this.cookie() } };
        continue;
      }
      return { url: current, status: res.status, html: await res.text() };
    }
    throw new Error('too many redirects');
  }
}

function formAction(html: string, contains: string): string {
  const m = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].find((x) => x[1].includes(contains));
  if (!m) throw new Error(`no form with action containing ${contains}`);
  return m[1].replace(/&#38;/g, '&');
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('eKey as OpenID Provider, used by openid-client', () => {
  let t: TestApp;
  let base: string;
  let issuer: string;
  let outbox: RecordingEkeyTransport;
  let rpServer: Server;
  let rpBase: string;
  const logoutTokens: string[] = [];
  let person: { cpr: string; mobile: string; accountId: string };
  let rp: { clientId: string; clientSecret?: string };
  let rpConfig: oidc.Configuration;
  const secrets: string[] = [PASSWORD];

  async function registerPerson(n: number) {
    const cpr = `91000${String(n).padStart(4, '0')}`;
    const mobile = `+9733611${String(n).padStart(4, '0')}`;
    const accounts = t.get(EkeyAccountService);
    const { accountId } = await accounts.register({
      cpr,
      nameAr: 'نورة يوسف',
      nameEn: 'Noora Yusuf',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1992-03-04',
      mobile,
      password: PASSWORD,
    });
    const code = outbox.lastCodeTo(mobile);
    secrets.push(cpr, code);
    await accounts.verifyMobile(accountId, code);
    return { cpr, mobile, accountId };
  }

  /** Runs the browser part of a code flow and returns the callback URL the RP receives. */
  async function signInThroughBrowser(
    config: oidc.Configuration,
    extra: Record<string, string> = {},
    who = person,
    redirect = `${rpBase}/cb`,
  ) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirect,
      scope: 'openid profile phone cpr offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'consent',
      ...extra,
    });
    const browser = new Browser(redirect);
    let page = await browser.go(url.toString());
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="ar" dir="rtl">');
    page = await browser.go(new URL(formAction(page.html, '/login'), base).toString(), {
      cpr: who.cpr,
      password: PASSWORD,
      lang: 'ar',
    });
    if (page.html.includes('/second-factor')) {
      await browser.go(new URL(formAction(page.html, '/sms'), base).toString(), { lang: 'ar' });
      const code = outbox.lastCodeTo(who.mobile);
      secrets.push(code);
      page = await browser.go(new URL(formAction(page.html, '/second-factor'), base).toString(), {
        method: 'sms',
        code,
        lang: 'ar',
      });
    }
    if (page.html.includes('/consent')) {
      page = await browser.go(new URL(formAction(page.html, '/consent'), base).toString(), {
        decision: 'allow',
        lang: 'ar',
      });
    }
    expect(page.url.startsWith(redirect)).toBe(true);
    return { callback: new URL(page.url), verifier, state, browser };
  }

  beforeAll(async () => {
    rpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/backchannel') {
          const token = new URLSearchParams(body).get('logout_token');
          if (token) logoutTokens.push(token);
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => rpServer.listen(0, '127.0.0.1', r));
    rpBase = `http://127.0.0.1:${(rpServer.address() as AddressInfo).port}`;

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PUBLIC_URL: base, EKEY_SIGN_IN_PER_IP_PER_MINUTE: '1000' });
    await t.diwan.http!.listen(port, '127.0.0.1');
    issuer = `${base}/oidc`;
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
    person = await registerPerson(1);
    rp = await t.get(EkeyOidcClientService).register(t.admin, {
      name: 'Traffic fines e-service',
      redirectUris: [`${rpBase}/cb`],
      postLogoutRedirectUris: [`${rpBase}/bye`],
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'profile', 'phone', 'cpr', 'offline_access'],
      backchannelLogoutUri: `${rpBase}/backchannel`,
    });
    secrets.push(rp.clientSecret!);
    rpConfig = await oidc.discovery(
      new URL(issuer),
      rp.clientId,
      undefined,
      oidc.ClientSecretBasic(rp.clientSecret),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => rpServer.close(r));
  });

  it('publishes discovery with S256 only, the two client authentications, pairwise subjects and the acr values', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d.issuer).toBe(issuer);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'private_key_jwt']),
    );
    expect(d.token_endpoint_auth_methods_supported).not.toContain('none');
    expect(d.subject_types_supported).toContain('pairwise');
    expect(d.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(d.acr_values_supported).toContain('urn:bh:ekey:advanced:2fa');
    expect(d.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(d.backchannel_logout_supported).toBe(true);
    const jwks = (await (await fetch(d.jwks_uri as string)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) expect(k.d).toBeUndefined(); // public parts only
  });

  it('signs a user in (code + PKCE), serves userinfo, rotates refresh tokens and revokes the family on reuse', async () => {
    const { callback, verifier, state } = await signInThroughBrowser(rpConfig);
    const tokens = await oidc.authorizationCodeGrant(rpConfig, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(issuer);
    expect(claims.aud).toBe(rp.clientId);
    expect(claims.acr).toBe('urn:bh:ekey:standard:1fa');
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.sub).not.toBe(person.accountId); // pairwise
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');

    const info = await oidc.fetchUserInfo(rpConfig, tokens.access_token, claims.sub);
    expect(info).toMatchObject({
      sub: claims.sub,
      name: 'Noora Yusuf',
      cpr: person.cpr,
      phone_number: person.mobile,
      phone_number_verified: true,
    });

    const refreshed = await oidc.refreshTokenGrant(rpConfig, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Reusing the first refresh token: refused, and the whole family dies.
    await expect(oidc.refreshTokenGrant(rpConfig, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(rpConfig, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(
      oidc.fetchUserInfo(rpConfig, refreshed.access_token, claims.sub),
    ).rejects.toThrow();
  });

  it('gives the same pairwise subject to one sector and another to a different sector', async () => {
    const first = await signInThroughBrowser(rpConfig);
    const t1 = await oidc.authorizationCodeGrant(rpConfig, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
    });
    const second = await signInThroughBrowser(rpConfig);
    const t2 = await oidc.authorizationCodeGrant(rpConfig, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    expect(t2.claims()!.sub).toBe(t1.claims()!.sub);

    const localhostBase = rpBase.replace('127.0.0.1', 'localhost');
    const other = await t.get(EkeyOidcClientService).register(t.admin, {
      name: 'Housing e-service',
      redirectUris: [`${localhostBase}/cb`],
      authMethod: 'client_secret_basic',
    });
    const otherConfig = await oidc.discovery(
      new URL(issuer),
      other.clientId,
      undefined,
      oidc.ClientSecretBasic(other.clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const o = await signInThroughBrowser(
      otherConfig,
      { scope: 'openid profile' },
      person,
      `${localhostBase}/cb`,
    );
    const t3 = await oidc.authorizationCodeGrant(otherConfig, o.callback, {
      pkceCodeVerifier: o.verifier,
      expectedState: o.state,
    });
    expect(t3.claims()!.sub).not.toBe(t1.claims()!.sub);
  });

  it('steps up to two factors when acr_values asks for them', async () => {
    const { callback, verifier, state } = await signInThroughBrowser(rpConfig, {
      acr_values: 'urn:bh:ekey:standard:2fa urn:bh:ekey:advanced:2fa',
    });
    const tokens = await oidc.authorizationCodeGrant(rpConfig, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()!.acr).toBe('urn:bh:ekey:standard:2fa');
    expect(tokens.claims()!.amr).toEqual(['pwd', 'sms', 'mfa']);
  });

  it('refuses a replayed code, a wrong redirect_uri, and missing or plain PKCE', async () => {
    const { callback, verifier, state } = await signInThroughBrowser(rpConfig);
    await oidc.authorizationCodeGrant(rpConfig, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    await expect(
      oidc.authorizationCodeGrant(rpConfig, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const auth = (params: Record<string, string>) =>
      fetch(
        `${issuer}/auth?${new URLSearchParams({ client_id: rp.clientId, response_type: 'code', scope: 'openid', state: 'x', ...params }).toString()}`,
        {
          redirect: 'manual',
        },
      );
    const wrong = await auth({
      redirect_uri: 'https://evil.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    expect(wrong.status).toBe(400); // an error page, never a redirect to an unregistered URI
    expect(wrong.headers.get('location')).toBeNull();

    const missing = await auth({ redirect_uri: `${rpBase}/cb` });
    expect(new URL(missing.headers.get('location')!).searchParams.get('error')).toBe(
      'invalid_request',
    );
    const plain = await auth({
      redirect_uri: `${rpBase}/cb`,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
    });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('refuses an expired access token at userinfo', async () => {
    const { callback, verifier, state } = await signInThroughBrowser(rpConfig);
    const tokens = await oidc.authorizationCodeGrant(rpConfig, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    await t.db.query(
      "UPDATE ekey_oidc_payload SET payload = jsonb_set(payload, '{exp}', to_jsonb(1)) WHERE kind = 'AccessToken' AND id = $1",
      [tokens.access_token],
    );
    const res = await fetch(`${issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('authenticates service clients with private_key_jwt (client credentials) and refuses alg none', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const svc = await t.get(EkeyOidcClientService).register(t.admin, {
      name: 'Payments gateway (service)',
      redirectUris: [],
      authMethod: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'svc-1', alg: 'RS256', use: 'sig' }] },
      serviceToService: true,
      userSignIn: false,
      scopes: [],
    });
    expect(svc.clientSecret).toBeUndefined();
    const svcConfig = await oidc.discovery(
      new URL(issuer),
      svc.clientId,
      undefined,
      oidc.PrivateKeyJwt(privateKey),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const token = await oidc.clientCredentialsGrant(svcConfig);
    expect(token.access_token).toBeDefined();
    const intro = await oidc.tokenIntrospection(svcConfig, token.access_token);
    expect(intro).toMatchObject({ active: true, client_id: svc.clientId });

    const none = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const assertion = `${none({ alg: 'none' })}.${none({ iss: svc.clientId, sub: svc.clientId, aud: `${issuer}/token`, jti: `j${now}`, iat: now, exp: now + 60 })}.`;
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: svc.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('rotates the signing key: new tokens carry the new kid, the old key stays published', async () => {
    const before = decodeProtectedHeader(
      (
        await (async () => {
          const f = await signInThroughBrowser(rpConfig);
          return oidc.authorizationCodeGrant(rpConfig, f.callback, {
            pkceCodeVerifier: f.verifier,
            expectedState: f.state,
          });
        })()
      ).id_token!,
    ).kid;
    const { kid } = await t.get(EkeyOidcProvider).rotateSigningKey(t.admin);
    const f = await signInThroughBrowser(rpConfig);
    const after = await oidc.authorizationCodeGrant(rpConfig, f.callback, {
      pkceCodeVerifier: f.verifier,
      expectedState: f.state,
    });
    expect(decodeProtectedHeader(after.id_token!).kid).toBe(kid);
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid, before]));
  });

  it("ends the session by RP-initiated logout, refuses another client's id_token_hint, and notifies back-channel", async () => {
    const flow = await signInThroughBrowser(rpConfig);
    const tokens = await oidc.authorizationCodeGrant(rpConfig, flow.callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
    });
    const again = () =>
      flow.browser.go(
        oidc
          .buildAuthorizationUrl(rpConfig, {
            redirect_uri: `${rpBase}/cb`,
            scope: 'openid profile',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          })
          .toString(),
      );
    // Single sign-on: the same browser is signed in without a form.
    expect((await again()).url.startsWith(`${rpBase}/cb`)).toBe(true);

    // An ID token of another client cannot end this client's session.
    const localhostBase = rpBase.replace('127.0.0.1', 'localhost');
    const other = await t.get(EkeyOidcClientService).register(t.admin, {
      name: 'Other',
      redirectUris: [`${localhostBase}/cb`],
      postLogoutRedirectUris: [`${localhostBase}/bye`],
      authMethod: 'client_secret_basic',
    });
    const wrongAud = await fetch(
      `${issuer}/session/end?${new URLSearchParams({ id_token_hint: tokens.id_token!, client_id: other.clientId, post_logout_redirect_uri: `${localhostBase}/bye` }).toString()}`,
      { redirect: 'manual' },
    );
    expect(wrongAud.status).toBe(400);

    const endUrl = oidc.buildEndSessionUrl(rpConfig, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${rpBase}/bye`,
    });
    const page = await flow.browser.go(endUrl.toString());
    expect(page.status).toBe(200);
    const action = formAction(page.html, '/session/end/confirm');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.html)![1];
    const result = await flow.browser.go(new URL(action, base).toString(), { xsrf, logout: 'yes' });
    expect(result.url.startsWith(`${rpBase}/bye`)).toBe(true);
    // Signed out everywhere: the next request shows the sign-in form.
    const after = await again();
    expect(after.status).toBe(200);
    expect(after.html).toContain('/login');
    for (let i = 0; i < 50 && logoutTokens.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(logoutTokens.length).toBeGreaterThan(0);
    const lt = decodeJwt(logoutTokens.at(-1)!);
    expect(lt.aud).toBe(rp.clientId);
    expect(lt.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
  });

  it('never logs passwords, codes, client secrets or full CPR numbers', () => {
    const logs = t.logs.text();
    for (const s of secrets) expect(logs).not.toContain(s);
  });
});

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { Response } from 'supertest';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ORIGIN = 'https://ekey.test';
const RP_ID = 'ekey.test';
const PASSWORD = 'pearl divers of muharraq 1920';
let seq = 400_000;

const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
const sessionCookie = (res: Response) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
    .find((c) => c.startsWith('__Host-ekey_session='))
    ?.split(';')[0];

/**
 * A software authenticator: a P-256 key made with node:crypto, attestation "none",
 * authenticator data with the UP/UV flags and a signature counter, the client data a
 * browser would send. It stands for a phone or a security key in these tests.
 */
class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter = 0;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  private authData(opts: { uv: boolean; attested: boolean }): Buffer {
    const flags = 0x01 | (opts.uv ? 0x04 : 0) | (opts.attested ? 0x40 : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const parts = [sha256(RP_ID), Buffer.from([flags]), counter];
    if (opts.attested) {
      const jwk = this.publicKey.export({ format: 'jwk' });
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      );
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), idLength, this.credentialId, Buffer.from(cose));
    }
    return Buffer.concat(parts);
  }

  /** What navigator.credentials.create() would return for these options. */
  create(options: { challenge: string }, opts: { uv?: boolean } = {}) {
    const clientData = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: ORIGIN }),
    );
    const attestation = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authData({ uv: opts.uv ?? true, attested: true })],
      ]) as never,
    );
    return {
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientData),
        attestationObject: b64u(attestation),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** What navigator.credentials.get() would return; the counter moves on by one. */
  get(options: { challenge: string }, opts: { uv?: boolean; counter?: number } = {}) {
    this.counter = opts.counter ?? this.counter + 1;
    const clientData = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: ORIGIN }),
    );
    const authData = this.authData({ uv: opts.uv ?? true, attested: false });
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      this.privateKey,
    );
    return {
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
      },
      clientExtensionResults: {},
    };
  }
}

describe('eKey passkeys (WebAuthn)', () => {
  let t: TestApp;
  let outbox: RecordingEkeyTransport;

  /** A registered, active holder; returns a signed-in cookie. */
  async function holder() {
    seq += 1;
    const cpr = `880${seq}`;
    const mobile = `+9733700${String(seq % 10_000).padStart(4, '0')}`;
    const reg = await t
      .http()
      .post('/v1/ekey/registrations')
      .send({
        cpr,
        nameAr: 'علي حسن',
        nameEn: 'Ali Hasan',
        nationality: 'BH',
        residency: 'citizen',
        dateOfBirth: '1988-02-02',
        mobile,
        password: PASSWORD,
      })
      .expect(201);
    const accountId = reg.body.accountId as string;
    await t
      .http()
      .post(`/v1/ekey/registrations/${accountId}/verify-mobile`)
      .send({ code: outbox.lastCodeTo(mobile) })
      .expect(200);
    const signIn = await t.http().post('/v1/ekey/sign-in').send({ cpr, password: PASSWORD });
    return { cpr, mobile, accountId, cookie: sessionCookie(signIn)! };
  }

  async function addPasskey(cookie: string, key: SoftAuthenticator, opts: { uv?: boolean } = {}) {
    const options = await t
      .http()
      .post('/v1/ekey/me/passkeys/options')
      .set('Cookie', cookie)
      .expect(200);
    return t
      .http()
      .post('/v1/ekey/me/passkeys')
      .set('Cookie', cookie)
      .send({ name: 'Test phone', response: key.create(options.body.publicKey, opts) });
  }

  /** Password step: a pending sign-in cookie and the offered methods. */
  async function pendingSignIn(cpr: string) {
    const res = await t
      .http()
      .post('/v1/ekey/sign-in')
      .send({ cpr, password: PASSWORD })
      .expect(200);
    return { cookie: sessionCookie(res)!, body: res.body as { stage: string; methods: string[] } };
  }
  const passkeyOptions = async (cookie: string) =>
    (await t.http().post('/v1/ekey/sign-in/passkey/options').set('Cookie', cookie).expect(200)).body
      .publicKey as {
      challenge: string;
      allowCredentials: { id: string }[];
      userVerification: string;
    };
  const answer = (cookie: string, response: object) =>
    t.http().post('/v1/ekey/sign-in/passkey').set('Cookie', cookie).send({ response });

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: ORIGIN, EKEY_SIGN_IN_PER_IP_PER_MINUTE: '100000' });
    outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
  });
  afterAll(() => t.close());

  it('registers a passkey with user verification required, then signs in with it as the second factor', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    const options = await t
      .http()
      .post('/v1/ekey/me/passkeys/options')
      .set('Cookie', h.cookie)
      .expect(200);
    expect(options.body.publicKey).toMatchObject({
      rp: { id: RP_ID },
      attestation: 'none',
      authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
    });
    const added = await t
      .http()
      .post('/v1/ekey/me/passkeys')
      .set('Cookie', h.cookie)
      .send({ name: 'Test phone', response: key.create(options.body.publicKey) })
      .expect(201);
    expect(added.body).toMatchObject({ name: 'Test phone', transports: ['internal'] });
    expect(outbox.lastTo(h.mobile)?.reference).toBe('ekey.alert.passkey_added');

    const pending = await pendingSignIn(h.cpr);
    expect(pending.body).toMatchObject({ stage: 'second_factor' });
    expect(pending.body.methods).toContain('passkey');
    const request = await passkeyOptions(pending.cookie);
    expect(request.userVerification).toBe('required');
    expect(request.allowCredentials.map((c) => c.id)).toEqual([b64u(key.credentialId)]);
    const done = await answer(pending.cookie, key.get(request)).expect(200);
    expect(done.body.stage).toBe('active');
    const active = sessionCookie(done)!;
    expect(active).not.toBe(pending.cookie); // the session id changes at the second factor
    const me = await t.http().get('/v1/ekey/me').set('Cookie', active).expect(200);
    expect(me.body.amr).toEqual(['pwd', 'hwk', 'mfa']);

    const [row] = await t.db.query<{ counter: string; aaguid: string }>(
      'SELECT counter, aaguid FROM ekey_passkey WHERE account_id = $1',
      [h.accountId],
    );
    expect(row).toEqual({ counter: '1', aaguid: '00000000-0000-0000-0000-000000000000' });
    const audit = await t.db.query<{ action: string }>(
      "SELECT action FROM audit_event WHERE object_id = $1 AND action LIKE 'ekey.credential.passkey%'",
      [h.accountId],
    );
    expect(audit.map((a) => a.action)).toEqual(['ekey.credential.passkey_added']);
  });

  it('refuses a passkey created without user verification', async () => {
    const h = await holder();
    const res = await addPasskey(h.cookie, new SoftAuthenticator(), { uv: false });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('EKEY_PASSKEY_INVALID');
    const list = await t.http().get('/v1/ekey/me/passkeys').set('Cookie', h.cookie).expect(200);
    expect(list.body).toEqual([]);
  });

  it('refuses an assertion over another challenge, and each challenge answers once', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    await addPasskey(h.cookie, key).then((r) => expect(r.status).toBe(201));
    const pending = await pendingSignIn(h.cpr);
    const spent = await passkeyOptions(pending.cookie);
    const wrong = await answer(pending.cookie, key.get({ challenge: b64u(randomBytes(32)) }));
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('EKEY_CODE_INVALID');
    // The challenge was spent by the wrong answer: a right answer to it is refused too.
    await answer(pending.cookie, key.get(spent)).expect(401);
    await answer(pending.cookie, key.get(await passkeyOptions(pending.cookie))).expect(200);
  });

  it('refuses an assertion without user verification', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    await addPasskey(h.cookie, key);
    const pending = await pendingSignIn(h.cpr);
    const res = await answer(
      pending.cookie,
      key.get(await passkeyOptions(pending.cookie), { uv: false }),
    );
    expect(res.status).toBe(401);
  });

  it('refuses a signature counter that goes backwards (a cloned authenticator)', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    await addPasskey(h.cookie, key);
    let pending = await pendingSignIn(h.cpr);
    await answer(
      pending.cookie,
      key.get(await passkeyOptions(pending.cookie), { counter: 5 }),
    ).expect(200);
    pending = await pendingSignIn(h.cpr);
    const res = await answer(
      pending.cookie,
      key.get(await passkeyOptions(pending.cookie), { counter: 3 }),
    );
    expect(res.status).toBe(401);
    pending = await pendingSignIn(h.cpr);
    await answer(
      pending.cookie,
      key.get(await passkeyOptions(pending.cookie), { counter: 6 }),
    ).expect(200);
  });

  it("refuses another holder's passkey", async () => {
    const a = await holder();
    const b = await holder();
    const keyA = new SoftAuthenticator();
    const keyB = new SoftAuthenticator();
    await addPasskey(a.cookie, keyA);
    await addPasskey(b.cookie, keyB);
    const pendingB = await pendingSignIn(b.cpr);
    const res = await answer(pendingB.cookie, keyA.get(await passkeyOptions(pendingB.cookie)));
    expect(res.status).toBe(401);
    // And the same credential cannot be registered to a second holder.
    const again = await addPasskey(b.cookie, keyA);
    expect(again.status).toBe(409);
  });

  it('lists and removes passkeys: the holder is alerted, the removal audited, and it signs in no more', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    const added = await addPasskey(h.cookie, key);
    const list = await t.http().get('/v1/ekey/me/passkeys').set('Cookie', h.cookie).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: added.body.id, name: 'Test phone' })]);
    const other = await holder();
    await t
      .http()
      .delete(`/v1/ekey/me/passkeys/${added.body.id as string}`)
      .set('Cookie', other.cookie)
      .expect(404);
    await t
      .http()
      .delete(`/v1/ekey/me/passkeys/${added.body.id as string}`)
      .set('Cookie', h.cookie)
      .expect(204);
    expect(outbox.lastTo(h.mobile)?.reference).toBe('ekey.alert.passkey_removed');
    const audit = await t.db.query<{ action: string }>(
      "SELECT action FROM audit_event WHERE object_id = $1 AND action LIKE 'ekey.credential.passkey%' ORDER BY seq",
      [h.accountId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'ekey.credential.passkey_added',
      'ekey.credential.passkey_removed',
    ]);
    // Without a second factor left, the password signs in directly again.
    const res = await pendingSignIn(h.cpr);
    expect(res.body).toEqual({ stage: 'active', methods: [] });
  });
  it('asks a passkey-only holder for the passkey at password reset, with the same options for every CPR', async () => {
    const h = await holder();
    const key = new SoftAuthenticator();
    await addPasskey(h.cookie, key).then((r) => expect(r.status).toBe(201));
    const newPassword = 'a new and quite long passphrase 2026';
    const resetCode = async () => {
      await t
        .http()
        .post('/v1/ekey/password-reset')
        .send({ cpr: h.cpr, mobile: h.mobile })
        .expect(202);
      return outbox.lastCodeTo(h.mobile);
    };
    const resetOptions = async (cpr: string) =>
      (await t.http().post('/v1/ekey/password-reset/passkey/options').send({ cpr }).expect(200))
        .body.publicKey as { challenge: string; allowCredentials: unknown[] };
    const complete = (code: string, secondFactor?: object) =>
      t
        .http()
        .post('/v1/ekey/password-reset/complete')
        .send({ cpr: h.cpr, code, newPassword, ...(secondFactor ? { secondFactor } : {}) });

    // The SMS code alone is not enough when the eKey has a passkey.
    const alone = await complete(await resetCode());
    expect(alone.status).toBe(401);
    expect(alone.body.code).toBe('EKEY_CODE_INVALID');

    // Options reveal nothing: an unknown CPR gets the same shape, with no credential ids.
    const mine = await resetOptions(h.cpr);
    const unknown = await resetOptions('880999999');
    expect(Object.keys(unknown).sort()).toEqual(Object.keys(mine).sort());
    expect(mine.allowCredentials).toEqual([]);
    expect(unknown.allowCredentials).toEqual([]);

    // A sign-in's challenge does not answer for a reset.
    const pending = await pendingSignIn(h.cpr);
    const signInChallenge = await passkeyOptions(pending.cookie);
    const crossed = await complete(await resetCode(), {
      method: 'passkey',
      response: key.get(signInChallenge),
    });
    expect(crossed.status).toBe(401);

    await complete(await resetCode(), {
      method: 'passkey',
      response: key.get(await resetOptions(h.cpr)),
    }).expect(204);
    // The session from before the reset has ended; the new password signs in (then the passkey).
    await t.http().get('/v1/ekey/me').set('Cookie', h.cookie).expect(401);
    const after = await t
      .http()
      .post('/v1/ekey/sign-in')
      .send({ cpr: h.cpr, password: newPassword })
      .expect(200);
    expect(after.body.stage).toBe('second_factor');
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionRunner } from '../../src/platform/database/transaction-runner.js';
import {
  signCallback,
  StatusCallbackService,
} from '../../src/modules/notify/services/status-callback.service.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** An e-service's callback endpoint that can be told to fail the next N requests. */
function startReceiver() {
  const received: Received[] = [];
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end('down');
      } else res.writeHead(204).end();
    });
  });
  return new Promise<{
    url: string;
    received: Received[];
    fail: (n: number) => void;
    close: () => Promise<void>;
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/diwan-status`,
        received,
        fail: (n) => (failNext = n),
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 15_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('delivery-status callbacks', () => {
  let t: TestApp;
  let sut: StatusCallbackService;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let clientId: string;
  let secrets: { signingSecret: string; bearerToken: string };
  const status = async (id: string) =>
    (
      await t.db.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM delivery_callback WHERE id = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp({
      NOTIFY_CALLBACK_ALLOW_HTTP: 'true',
      NOTIFY_CALLBACK_RETRY_BASE_MS: '50',
      NOTIFY_CALLBACK_GIVE_UP_HOURS: '1',
    });
    sut = t.get(StatusCallbackService);
    receiver = await startReceiver();
    const agency = await makeAgency(t);
    clientId = (await makeApiClient(t, agency.id, ['notifications:send'], 'Housing e-service'))
      .client.id;
    secrets = await sut.configureEndpoint(t.admin, clientId, receiver.url);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const owe = (payload: Record<string, unknown>) =>
    t
      .get(TransactionRunner)
      .run((tx) => sut.enqueue(tx, clientId, '6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11', payload));

  it('refuses callback URLs that are not http(s) or carry credentials', async () => {
    for (const url of ['ftp://example.gov/x', 'https://user:pw@example.gov/x', 'not a url']) {
      await expect(sut.configureEndpoint(t.admin, clientId, url)).rejects.toMatchObject({
        code: 'NOTIFY_CALLBACK_URL_INVALID',
      });
    }
  });

  it('posts the status signed with HMAC over timestamp and body, with the bearer token', async () => {
    const id = (await owe({ id: 'n-1', status: 'delivered' }))!;
    await sut.kick(id);
    await until(async () => (await status(id)).status === 'delivered');
    const got = receiver.received.at(-1)!;
    expect(JSON.parse(got.body)).toEqual({ id: 'n-1', status: 'delivered' });
    expect(got.headers.authorization).toBe(`Bearer ${secrets.bearerToken}`);
    const ts = String(got.headers['x-diwan-timestamp']);
    expect(got.headers['x-diwan-signature']).toBe(
      signCallback(secrets.signingSecret, ts, got.body),
    );
    expect(got.headers['x-diwan-signature']).not.toBe(
      signCallback(secrets.signingSecret, ts, got.body.replace('n-1', 'n-2')),
    );
  });

  it('retries with back-off until the e-service answers', async () => {
    receiver.fail(2);
    const before = receiver.received.length;
    const id = (await owe({ id: 'n-2', status: 'permanent-failure' }))!;
    await sut.kick(id);
    await until(async () => (await status(id)).status === 'delivered');
    expect(await status(id)).toEqual({ status: 'delivered', attempts: 3 });
    expect(receiver.received.length - before).toBe(3);
  });

  it('keeps a callback that failed for a day for replay, and replays it', async () => {
    const id = (await owe({ id: 'n-3', status: 'delivered' }))!;
    await t.db.query(
      `UPDATE delivery_callback SET created_at = now() - interval '2 hours' WHERE id = $1`,
      [id],
    );
    receiver.fail(1);
    await sut.kick(id);
    await until(async () => (await status(id)).status === 'failed');
    await sut.replay(t.admin, id);
    await until(async () => (await status(id)).status === 'delivered');
    const audit = await t.db.query(
      "SELECT 1 FROM audit_event WHERE action = 'notify_callback.replay' AND object_id = $1",
      [id],
    );
    expect(audit).toHaveLength(1);
  });

  it('loses nothing when the queue job is lost: the sweeper sends what is due', async () => {
    const id = (await owe({ id: 'n-4', status: 'sent' }))!;
    // No kick: as if Redis had been flushed between commit and enqueue.
    expect(await sut.sweep()).toBeGreaterThanOrEqual(1);
    await until(async () => (await status(id)).status === 'delivered');
  });

  it('owes nothing when the status change rolls back', async () => {
    const before = (await t.db.query('SELECT id FROM delivery_callback')).length;
    await expect(
      t.get(TransactionRunner).run(async (tx) => {
        await sut.enqueue(tx, clientId, '6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11', { id: 'n-5' });
        throw new Error('status change failed');
      }),
    ).rejects.toThrow('status change failed');
    expect((await t.db.query('SELECT id FROM delivery_callback')).length).toBe(before);
  });

  it('does nothing twice: a replayed job for a delivered callback sends nothing', async () => {
    const id = (await owe({ id: 'n-6', status: 'delivered' }))!;
    await sut.deliver(id);
    const count = receiver.received.length;
    await sut.deliver(id);
    expect(receiver.received.length).toBe(count);
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import type { Actor } from '../../src/platform/auth/roles.js';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { NotificationQueryService } from '../../src/modules/notifications/services/notification-query.service.js';
import { NotificationStatsService } from '../../src/modules/notifications/services/notification-stats.service.js';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { CallbackFeedService } from '../../src/modules/notify/services/callback-feed.service.js';
import {
  type ApiClientActor,
  type NotifySendInput,
  NotifySendService,
} from '../../src/modules/notify/services/notify-send.service.js';
import { PreferenceService } from '../../src/modules/notify/services/preference.service.js';
import {
  signCallback,
  StatusCallbackService,
} from '../../src/modules/notify/services/status-callback.service.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'error',
  );

describe('NotifySendService: the one send path of the e-service APIs', () => {
  let t: TestApp;
  let smsc: TestSmsc;
  let smtp: SmtpSink;
  let sut: NotifySendService;
  let agencyId: string;
  let smsTemplateId: string;
  let emailTemplateId: string;
  let seq = 0;

  const newClient = async () => {
    const { client } = await makeApiClient(t, agencyId, ['notifications:send'], `svc ${++seq}`);
    return (await t.get(ApiClientService).actorFor(client.id)) as ApiClientActor;
  };
  const sms = (actor: ApiClientActor, over: Partial<NotifySendInput> = {}): NotifySendInput => ({
    actor,
    keyType: 'live',
    channel: 'sms',
    to: '+97336001234',
    templateId: smsTemplateId,
    personalisation: { name: 'Fatima' },
    ...over,
  });
  const statusOf = async (id: string) =>
    (
      await t.db.query<{ status: string; simulated: boolean }>(
        'SELECT status, simulated FROM notification WHERE id = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    [smsc, smtp] = await Promise.all([startTestSmsc(), startSmtpSink()]);
    t = await startTestApp({
      SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smsc.port}?id=a`,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      EMAIL_FROM: 'Government services <notify@egov.test>',
      NOTIFY_CALLBACK_ALLOW_HTTP: 'true',
      NOTIFY_DAILY_SMS_CAP: '12',
    });
    sut = t.get(NotifySendService);
    agencyId = (await makeAgency(t)).id;
    const templates = t.get(TemplateService);
    smsTemplateId = (
      await templates.create(t.admin, {
        agencyId,
        channel: 'sms',
        code: 'licence-ready',
        name: 'Licence ready',
        ar: { body: 'عزيزتي ((name))، رخصتك جاهزة.' },
        en: { body: 'Dear ((name)), your licence is ready.' },
      })
    ).template.id;
    emailTemplateId = (
      await templates.create(t.admin, {
        agencyId,
        channel: 'email',
        code: 'licence-ready-mail',
        name: 'Licence ready (email)',
        ar: { subject: 'رخصتك جاهزة', body: 'عزيزتي ((name))، رخصتك جاهزة.' },
        en: { subject: 'Your licence is ready', body: 'Dear ((name)), your licence is ready.' },
      })
    ).template.id;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([smsc?.close(), smtp?.close()]);
  });

  it('sends through the core to the SMSC, in Arabic by default, and answers the rendered content', async () => {
    const actor = await newClient();
    const r = await sut.send({ ...sms(actor), withContent: true, reference: 'case-1' });
    expect(r).toMatchObject({ simulated: false, existing: false, lang: 'ar', templateVersion: 1 });
    expect(r.content?.body).toBe('عزيزتي Fatima، رخصتك جاهزة.');
    await until(() => smsc.submitted().some((s) => s.text.includes('Fatima')));
    await until(async () => (await statusOf(r.id)).status === 'sent');
  });

  it('records a test key send as delivered without any SMSC or mail server seeing it', async () => {
    const actor = await newClient();
    const before = smsc.submitted().length;
    const mailsBefore = smtp.messages.length;
    const a = await sut.send(
      sms(actor, { keyType: 'test', personalisation: { name: 'TestOnly' } }),
    );
    const b = await sut.send({
      ...sms(actor, { keyType: 'test' }),
      channel: 'email',
      to: 'perm-fail@simulator.notify',
      templateId: emailTemplateId,
    });
    expect(a.simulated).toBe(true);
    expect(await statusOf(a.id)).toEqual({ status: 'delivered', simulated: true });
    expect(await statusOf(b.id)).toEqual({ status: 'permanent_failure', simulated: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(smsc.submitted().length).toBe(before);
    expect(smtp.messages.length).toBe(mailsBefore);
    expect(
      (
        await t.db.query(
          'SELECT 1 FROM notification WHERE id = ANY($1) AND dispatch_due_at IS NOT NULL',
          [[a.id, b.id]],
        )
      ).length,
    ).toBe(0);
  });

  it('leaves test-key notifications out of every statistic', async () => {
    const actor = await newClient();
    const stats = t.get(NotificationStatsService);
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const range = { from: today, to: today };
    const perMonth = () => t.get(NotificationQueryService).paperLetters(range, agencyId);
    const before = await stats.paperLettersReplaced(range);
    const summaryBefore = await stats.summary({ ...range, agencyId });
    const perMonthBefore = await perMonth();
    const r = await sut.send(sms(actor, { keyType: 'test', replacesPaperLetter: true }));
    expect(await statusOf(r.id)).toEqual({ status: 'delivered', simulated: true });
    expect(await stats.paperLettersReplaced(range)).toBe(before);
    expect(await stats.summary({ ...range, agencyId })).toEqual(summaryBefore);
    expect(await perMonth()).toEqual(perMonthBefore);
  });

  it('addresses an eKey account by its verified mobile and preferred language', async () => {
    const outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
    const accounts = t.get(EkeyAccountService);
    const mobile = '+97336005555';
    const { accountId } = await accounts.register({
      cpr: '850100777',
      nameAr: 'مريم',
      nameEn: 'Maryam',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1985-01-12',
      mobile,
      email: 'maryam@example.bh',
      password: 'rose garden at sunset 1971',
      lang: 'en',
    });
    await accounts.verifyMobile(accountId, outbox.lastCodeTo(mobile));
    const actor = await newClient();
    const r = await sut.send({
      ...sms(actor),
      to: undefined,
      ekeyAccountId: accountId,
      withContent: true,
    });
    expect(r.lang).toBe('en');
    expect(r.content?.body).toBe('Dear Fatima, your licence is ready.');
    await until(() =>
      smsc.submitted().some((s) => s.destination.endsWith('36005555') && s.text.startsWith('Dear')),
    );
    // Its email address is not verified: a clear refusal, not a guess.
    expect(
      await codeOf(
        sut.send({
          ...sms(actor),
          channel: 'email',
          templateId: emailTemplateId,
          to: undefined,
          ekeyAccountId: accountId,
        }),
      ),
    ).toBe('NOTIFY_EKEY_NO_VERIFIED_CONTACT');
    expect(
      await codeOf(
        sut.send({
          ...sms(actor),
          to: undefined,
          ekeyAccountId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toBe('NOTIFY_EKEY_ACCOUNT_UNKNOWN');
    // Both or neither of to / ekeyAccountId: a validation error naming the field.
    await expect(sut.send({ ...sms(actor), ekeyAccountId: accountId })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'ekeyAccountId' })],
    });
    await expect(sut.send({ ...sms(actor), to: undefined })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'to' })],
    });
  });

  it('refuses a non-critical notice to a recipient who opted out, and sends a critical one', async () => {
    const actor = await newClient();
    const to = '+97336007777';
    await t.get(PreferenceService).optOut(t.admin, { sms: to }, agencyId, 'sms', 'citizen_portal');
    expect(await codeOf(sut.send(sms(actor, { to })))).toBe('NOTIFY_RECIPIENT_OPTED_OUT');
    expect(await codeOf(sut.validate(sms(actor, { to })))).toBe('NOTIFY_RECIPIENT_OPTED_OUT');
    const critical = await sut.send(sms(actor, { to, critical: true }));
    await until(async () => (await statusOf(critical.id)).status === 'sent');
    // Only that recipient opted out.
    expect(await codeOf(sut.validate(sms(actor, { to: '+97336007778' })))).toBe('no error');
  });

  it('validates without storing or counting anything', async () => {
    const actor = await newClient();
    const count = async () =>
      Number(
        (
          await t.db.query<{ n: string }>(
            'SELECT count(*) AS n FROM notification WHERE actor_id = $1',
            [actor.id],
          )
        )[0].n,
      );
    await sut.validate(sms(actor));
    expect(await count()).toBe(0);
    await expect(sut.validate(sms(actor, { personalisation: {} }))).rejects.toMatchObject({
      code: 'NOTIFICATIONS_PERSONALISATION_INVALID',
      errors: [expect.objectContaining({ field: 'personalisation.name' })],
    });
    await expect(sut.validate(sms(actor, { to: '12' }))).rejects.toMatchObject({
      code: 'NOTIFICATIONS_RECIPIENT_INVALID',
    });
    // An e-service of another agency cannot use this agency's template.
    const otherAgency = await makeAgency(t);
    const { client } = await makeApiClient(t, otherAgency.id, ['notifications:send']);
    const stranger = (await t.get(ApiClientService).actorFor(client.id)) as ApiClientActor;
    expect(await codeOf(sut.validate(sms(stranger)))).toBe('OTHER_AGENCY');
    expect(await count()).toBe(0);
  });

  it('stops at the daily SMS cap with a 429 that says when to retry; test keys do not count', async () => {
    const actor = await newClient();
    for (let i = 0; i < 12; i++) await sut.send(sms(actor, { personalisation: { name: `n${i}` } }));
    await sut.send(sms(actor, { keyType: 'test' }));
    const refused = await sut.send(sms(actor)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NOTIFY_DAILY_LIMIT_EXCEEDED', status: 429 });
    expect(
      Number((refused as { headers: Record<string, string> }).headers['Retry-After']),
    ).toBeGreaterThan(0);
    // Another e-service has its own cap.
    await sut.send(sms(await newClient()));
  });

  it('sends a bulk job row once, however often the row is run', async () => {
    const actor = await newClient();
    const row = { ...sms(actor), jobId: 'a5b0c8de-0000-4000-8000-00000000b01c', jobRow: 7 };
    const [a, b] = await Promise.all([sut.send(row), sut.send(row)]);
    expect(b.id).toBe(a.id);
    const again = await sut.send(row);
    expect(again.existing).toBe(true);
    expect(again.id).toBe(a.id);
    const rows = await t.db.query('SELECT id FROM notification WHERE actor_id = $1', [actor.id]);
    expect(rows).toHaveLength(1);
    expect(await codeOf(sut.send({ ...row, jobRow: undefined }))).toBe('VALIDATION_FAILED');
  });

  it('calls the e-service back, signed, for each status its notification reaches', async () => {
    const receiver = await startReceiver();
    try {
      const actor = await newClient();
      const secrets = await t
        .get(StatusCallbackService)
        .configureEndpoint(t.admin, actor.id, receiver.url);
      const r = await sut.send(sms(actor, { reference: 'callback-ref' }));
      const test = await sut.send(sms(actor, { keyType: 'test', reference: 'simulated' }));
      const statuses = (id: string) =>
        receiver.received
          .map((m) => JSON.parse(m.body) as { id: string; status: string })
          .filter((m) => m.id === id)
          .map((m) => m.status);
      await until(() => statuses(r.id).includes('sending'));
      const messageId = await (async () => {
        let found: string | undefined;
        await until(() => {
          found = smsc
            .submitted()
            .find(
              (s) => s.text.includes('Fatima') && s.destination.endsWith('36001234'),
            )?.messageId;
          return found !== undefined && statuses(r.id).includes('sending');
        });
        const rows = await t.db.query<{ ids: string[] }>(
          'SELECT provider_message_ids AS ids FROM notification WHERE id = $1',
          [r.id],
        );
        return rows[0].ids[0].split(':').slice(1).join(':');
      })();
      expect(await smsc.sendReceipt(messageId, 'DELIVRD')).toBe(0);
      await until(() => statuses(r.id).includes('delivered'));
      await until(() => statuses(test.id).includes('delivered'));
      // One callback per status, however many passes derive them.
      await t.get(CallbackFeedService).run();
      await t.get(CallbackFeedService).run();
      expect(statuses(r.id)).toEqual(['sending', 'delivered']);
      const delivered = receiver.received.find((m) => {
        const b = JSON.parse(m.body) as { id: string; status: string };
        return b.id === r.id && b.status === 'delivered';
      })!;
      const body = JSON.parse(delivered.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        id: r.id,
        reference: 'callback-ref',
        status: 'delivered',
        notification_type: 'sms',
        template_id: smsTemplateId,
        template_version: 1,
      });
      expect(body).not.toHaveProperty('to');
      const ts = String(delivered.headers['x-diwan-timestamp']);
      expect(delivered.headers['x-diwan-signature']).toBe(
        signCallback(secrets.signingSecret, ts, delivered.body),
      );
      expect(delivered.headers.authorization).toBe(`Bearer ${secrets.bearerToken}`);
    } finally {
      await receiver.close();
    }
  });

  it('derives callbacks from committed state: a pass that was missed is made up later', async () => {
    const receiver = await startReceiver();
    try {
      const actor = await newClient();
      const r = await sut.send(sms(actor, { keyType: 'test' }));
      // The endpoint is configured only after the status change: the next pass still owes it.
      await t.get(StatusCallbackService).configureEndpoint(t.admin, actor.id, receiver.url);
      await until(() => receiver.received.some((m) => m.body.includes(r.id)));
      const rows = await t.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM delivery_callback WHERE notification_id = $1',
        [r.id],
      );
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('is refused to actors that are not API clients with the scope', async () => {
    const { client } = await makeApiClient(t, agencyId, ['payments:write']);
    const actor = (await t.get(ApiClientService).actorFor(client.id)) as Actor as ApiClientActor;
    expect(await codeOf(sut.send(sms(actor)))).toBe('FORBIDDEN');
  });
});

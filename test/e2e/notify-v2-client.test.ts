import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import notifyClient from 'notifications-node-client';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { NotifyApiKeyService } from '../../src/modules/notify/services/notify-api-key.service.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';
import { inOneRateWindow } from '../support/rate-window.js';

const { NotifyClient } = notifyClient;
type Client = InstanceType<typeof NotifyClient>;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** What the client rejects with: axios' error, whose response carries Notify's error body. */
async function notifyError(p: Promise<unknown>) {
  const e = (await p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  )) as { response?: { status: number; data: unknown; headers: Record<string, string> } };
  if (!e.response) throw e as Error;
  return e.response;
}

// Axios' response data is untyped JSON; the tests read it as such.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GOV.UK Notify API v2, driven by the official notifications-node-client', () => {
  let t: TestApp;
  let base: string;
  let smsc: TestSmsc;
  let smtp: SmtpSink;
  let live: Client;
  let test: Client;
  let other: Client;
  let serviceId: string;
  let smsTemplateId: string;
  let emailTemplateId: string;

  beforeAll(async () => {
    [smsc, smtp] = await Promise.all([startTestSmsc(), startSmtpSink()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      PUBLIC_URL: base,
      SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smsc.port}?id=a`,
      SMS_SENDER_ID: 'eGov',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      EMAIL_FROM: 'Government services <notify@egov.test>',
    });
    await t.diwan.http!.listen(port, '127.0.0.1');
    const agency = await makeAgency(t);
    const { client } = await makeApiClient(
      t,
      agency.id,
      ['notifications:send'],
      'Traffic e-service',
    );
    serviceId = client.id;
    const keys = t.get(NotifyApiKeyService);
    live = new NotifyClient(
      base,
      (await keys.create(t.admin, serviceId, 'live key', 'live')).apiKey,
    );
    test = new NotifyClient(
      base,
      (await keys.create(t.admin, serviceId, 'test key', 'test')).apiKey,
    );
    const otherAgency = await makeAgency(t);
    const otherClient = await makeApiClient(t, otherAgency.id, ['notifications:send'], 'Other');
    other = new NotifyClient(
      base,
      (await keys.create(t.admin, otherClient.client.id, 'other', 'live')).apiKey,
    );
    const templates = t.get(TemplateService);
    smsTemplateId = (
      await templates.create(t.admin, {
        agencyId: agency.id,
        channel: 'sms',
        code: 'fine-issued',
        name: 'Traffic fine issued',
        ar: { body: 'عزيزي ((name))، صدرت مخالفة مرورية رقم ((ref)).' },
        en: { body: 'Dear ((name)), traffic fine ((ref)) was issued.' },
      })
    ).template.id;
    emailTemplateId = (
      await templates.create(t.admin, {
        agencyId: agency.id,
        channel: 'email',
        code: 'fine-issued-mail',
        name: 'Traffic fine issued (email)',
        ar: { subject: 'مخالفة مرورية ((ref))', body: 'عزيزي ((name))،\n\nصدرت مخالفة مرورية.' },
        en: {
          subject: 'Traffic fine ((ref))',
          body: 'Dear ((name)),\n\nA traffic fine was issued.',
        },
      })
    ).template.id;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([smsc?.close(), smtp?.close()]);
  });

  it('sends an SMS through a live key to the SMSC and follows it to delivered', async () => {
    const res = await live.sendSms(smsTemplateId, '+97336001111', {
      personalisation: { name: 'Ali', ref: 'F-1' },
      reference: 'case-001',
    });
    expect(res.status).toBe(201);
    const body: Json = res.data;
    expect(body).toMatchObject({
      reference: 'case-001',
      content: { body: 'عزيزي Ali، صدرت مخالفة مرورية رقم F-1.', from_number: 'eGov' },
      uri: `${base}/v2/notifications/${body.id}`,
      template: { id: smsTemplateId, version: 1 },
      scheduled_for: null,
    });
    await until(() => smsc.submitted().some((s) => s.text.includes('F-1')));
    let n: Json;
    await until(async () => {
      n = (await live.getNotificationById(body.id)).data;
      return n.status === 'sending';
    });
    expect(n).toMatchObject({
      id: body.id,
      type: 'sms',
      phone_number: '+97336001111',
      email_address: null,
      reference: 'case-001',
      body: 'عزيزي Ali، صدرت مخالفة مرورية رقم F-1.',
      template: { id: smsTemplateId, version: 1 },
    });
    expect(n.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const messageId = smsc.submitted().find((s) => s.text.includes('F-1'))!.messageId;
    expect(await smsc.sendReceipt(messageId, 'DELIVRD')).toBe(0);
    await until(
      async () => ((await live.getNotificationById(body.id)).data as Json).status === 'delivered',
    );
    n = (await live.getNotificationById(body.id)).data;
    expect(n.completed_at).not.toBeNull();
  });

  it('sends an email through a live key to the mail server', async () => {
    const res = await live.sendEmail(emailTemplateId, 'Citizen@Example.bh', {
      personalisation: { name: 'Sara', ref: 'F-2' },
    });
    const body: Json = res.data;
    expect(res.status).toBe(201);
    expect(body.content).toMatchObject({
      subject: 'مخالفة مرورية F-2',
      from_email: 'Government services <notify@egov.test>',
    });
    await until(() => smtp.messages.some((m) => m.subject === 'مخالفة مرورية F-2'));
    const n: Json = (await live.getNotificationById(body.id)).data;
    expect(n).toMatchObject({
      type: 'email',
      email_address: 'citizen@example.bh',
      phone_number: null,
    });
  });

  it('ignores personalisation the template does not use, as Notify does', async () => {
    const res = await live.sendSms(smsTemplateId, '36001112', {
      personalisation: { name: 'Huda', ref: 'F-3', unused: 'x' },
    });
    expect(res.status).toBe(201);
  });

  it('simulates with a test key: delivered, or failed for the simulator addresses, never sent', async () => {
    const sms: Json = (
      await test.sendSms(smsTemplateId, '+97336002222', {
        personalisation: { name: 'Test', ref: 'T-1' },
        reference: 'simulated',
      })
    ).data;
    const failed: Json = (
      await test.sendEmail(emailTemplateId, 'perm-fail@simulator.notify', {
        personalisation: { name: 'Test', ref: 'T-2' },
      })
    ).data;
    const temp: Json = (
      await test.sendEmail(emailTemplateId, 'temp-fail@simulator.notify', {
        personalisation: { name: 'Test', ref: 'T-3' },
      })
    ).data;
    expect(((await test.getNotificationById(sms.id)).data as Json).status).toBe('delivered');
    expect(((await test.getNotificationById(failed.id)).data as Json).status).toBe(
      'permanent-failure',
    );
    expect(((await test.getNotificationById(temp.id)).data as Json).status).toBe(
      'temporary-failure',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(smsc.submitted().filter((s) => s.text.includes('T-1'))).toEqual([]);
    expect(smtp.messages.filter((m) => /T-[23]/.test(m.subject ?? ''))).toEqual([]);
    // The live key's list leaves test notifications out, the test key's list has only them.
    const liveList: Json = (await live.getNotifications()).data;
    const testList: Json = (await test.getNotifications()).data;
    expect(liveList.notifications.map((x: Json) => x.id)).not.toContain(sms.id);
    expect(testList.notifications.map((x: Json) => x.id).sort()).toEqual(
      [sms.id, failed.id, temp.id].sort(),
    );
  });

  it('lists notifications newest first, filtered by type, status and reference, with links', async () => {
    const a: Json = (
      await live.sendSms(smsTemplateId, '+97336003333', {
        personalisation: { name: 'A', ref: 'L-1' },
        reference: 'batch-7',
      })
    ).data;
    const b: Json = (
      await live.sendSms(smsTemplateId, '+97336003334', {
        personalisation: { name: 'B', ref: 'L-2' },
        reference: 'batch-7',
      })
    ).data;
    const byRef: Json = (await live.getNotifications('sms', undefined, 'batch-7')).data;
    expect(byRef.notifications.map((x: Json) => x.id)).toEqual([b.id, a.id]);
    expect(byRef.links.current).toBe(
      `${base}/v2/notifications?template_type=sms&reference=batch-7`,
    );
    expect(byRef.links.next).toBeUndefined();
    const older: Json = (await live.getNotifications('sms', undefined, 'batch-7', b.id)).data;
    expect(older.notifications.map((x: Json) => x.id)).toEqual([a.id]);
    const emails: Json = (await live.getNotifications('email')).data;
    expect(emails.notifications.every((x: Json) => x.type === 'email')).toBe(true);
    expect(emails.notifications.length).toBeGreaterThan(0);
    const delivered: Json = (await live.getNotifications(undefined, 'delivered')).data;
    expect(delivered.notifications.every((x: Json) => x.status === 'delivered')).toBe(true);
    expect(delivered.notifications.length).toBeGreaterThan(0);
    // Another service sees none of them.
    const others: Json = (await other.getNotifications()).data;
    expect(others.notifications).toEqual([]);
    const bad = await notifyError(live.getNotifications(undefined, 'elephant'));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ status_code: 400, errors: [{ error: 'ValidationError' }] });
  });

  it('reads templates, their versions, the list by type, and previews one', async () => {
    const templates = t.get(TemplateService);
    await templates.revise(t.admin, smsTemplateId, {
      ar: { body: 'عزيزي ((name))، المخالفة ((ref)) صدرت.' },
      en: { body: 'Dear ((name)), fine ((ref)) issued.' },
    });
    const current: Json = (await live.getTemplateById(smsTemplateId)).data;
    expect(current).toMatchObject({
      id: smsTemplateId,
      type: 'sms',
      version: 2,
      name: 'Traffic fine issued',
      body: 'عزيزي ((name))، المخالفة ((ref)) صدرت.',
      body_en: 'Dear ((name)), fine ((ref)) issued.',
      subject: null,
      personalisation: { name: { required: true }, ref: { required: true } },
    });
    const v1: Json = (await live.getTemplateByIdAndVersion(smsTemplateId, 1)).data;
    expect(v1).toMatchObject({
      version: 1,
      body: 'عزيزي ((name))، صدرت مخالفة مرورية رقم ((ref)).',
    });
    const sms: Json = (await live.getAllTemplates('sms')).data;
    expect(sms.templates.map((x: Json) => x.id)).toEqual([smsTemplateId]);
    const all: Json = (await live.getAllTemplates()).data;
    expect(all.templates.map((x: Json) => x.id).sort()).toEqual(
      [smsTemplateId, emailTemplateId].sort(),
    );
    const preview: Json = (
      await live.previewTemplateById(emailTemplateId, { name: 'Noor', ref: 'P-1' })
    ).data;
    expect(preview).toMatchObject({
      id: emailTemplateId,
      type: 'email',
      version: 1,
      subject: 'مخالفة مرورية P-1',
      body: 'عزيزي Noor،\n\nصدرت مخالفة مرورية.',
    });
    expect(preview.html).toContain('dir="rtl"');
    // Another agency's service does not see the template.
    const hidden = await notifyError(other.getTemplateById(smsTemplateId));
    expect(hidden.status).toBe(404);
    expect(hidden.data).toMatchObject({
      errors: [{ error: 'NoResultFound', message: 'No result found' }],
    });
    const missing = await notifyError(live.previewTemplateById(smsTemplateId, { name: 'x' }));
    expect(missing.data).toMatchObject({
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Missing personalisation: ref' }],
    });
  });

  it('answers a bad key with 403 AuthError', async () => {
    const forged = new NotifyClient(
      base,
      `forged-${serviceId}-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    );
    const res = await notifyError(forged.sendSms(smsTemplateId, '+97336004444', {}));
    expect(res.status).toBe(403);
    expect(res.data).toEqual({
      status_code: 403,
      errors: [{ error: 'AuthError', message: 'Invalid token: signature, api token is not valid' }],
    });
    const unknownService = new NotifyClient(
      base,
      `k-00000000-0000-4000-8000-000000000000-${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`,
    );
    expect((await notifyError(unknownService.getAllTemplates())).data).toMatchObject({
      errors: [{ error: 'AuthError', message: 'Invalid token: API key not found' }],
    });
  });

  it('answers a missing personalisation field with 400 BadRequestError, nothing sent', async () => {
    const before = smsc.submitted().length;
    const res = await notifyError(
      live.sendSms(smsTemplateId, '+97336005555', { personalisation: { name: 'Ali' } }),
    );
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Missing personalisation: ref' }],
    });
    expect(smsc.submitted().length).toBe(before);
  });

  it('answers a bad phone number with 400 ValidationError', async () => {
    const res = await notifyError(
      live.sendSms(smsTemplateId, '12345', { personalisation: { name: 'Ali', ref: 'X' } }),
    );
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      status_code: 400,
      errors: [{ error: 'ValidationError', message: 'phone_number Not a valid mobile number' }],
    });
    const email = await notifyError(
      live.sendEmail(emailTemplateId, 'not-an-email', { personalisation: { name: 'A', ref: 'B' } }),
    );
    expect(email.data).toMatchObject({
      errors: [{ error: 'ValidationError', message: 'email_address Not a valid email address' }],
    });
  });

  it('answers other mistakes in Notify words', async () => {
    const unknownTemplate = await notifyError(
      live.sendSms('6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11', '+97336006666', {}),
    );
    expect(unknownTemplate.data).toMatchObject({
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Template not found' }],
    });
    const wrongChannel = await notifyError(
      live.sendSms(emailTemplateId, '+97336006666', { personalisation: { name: 'A', ref: 'B' } }),
    );
    expect(wrongChannel.data).toMatchObject({
      errors: [
        {
          error: 'BadRequestError',
          message: 'email template is not suitable for sms notification',
        },
      ],
    });
    const notUuid = await notifyError(live.getNotificationById('1234'));
    expect(notUuid.data).toMatchObject({
      errors: [{ error: 'ValidationError', message: 'notification_id is not a valid UUID' }],
    });
    const notFound = await notifyError(
      live.getNotificationById('6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11'),
    );
    expect(notFound.status).toBe(404);
    expect(notFound.data).toMatchObject({ errors: [{ error: 'NoResultFound' }] });
    const letter = await notifyError(live.sendLetter(smsTemplateId, { personalisation: {} }));
    expect(letter.status).toBe(400);
    // The other service cannot read this service's notification.
    const mine: Json = (
      await live.sendSms(smsTemplateId, '+97336007777', {
        personalisation: { name: 'A', ref: 'B' },
      })
    ).data;
    expect((await notifyError(other.getNotificationById(mine.id))).status).toBe(404);
  });

  it("answers malformed JSON on /v2 with Notify's error body; Diwan's own API keeps problem+json", async () => {
    const res = await t
      .http()
      .post('/v2/notifications/sms')
      .set('Content-Type', 'application/json')
      .send('{"phone_number": "+97336006666", "template_id": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Invalid JSON supplied in POST data' }],
    });
    const v1 = await t
      .http()
      .post('/v1/notifications')
      .set('Content-Type', 'application/json')
      .send('{"channel": ');
    expect(v1.status).toBe(400);
    expect(v1.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(v1.text)).toMatchObject({ code: 'MALFORMED_JSON' });
  });
});

describe('Notify API v2 limits, as the official client sees them', () => {
  let t: TestApp;
  let client: Client;
  let templateId: string;

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      PUBLIC_URL: base,
      NOTIFY_RATE_LIMIT_PER_MINUTE: '4',
      NOTIFY_DAILY_SMS_CAP: '1',
    });
    await t.diwan.http!.listen(port, '127.0.0.1');
    const agency = await makeAgency(t);
    const { client: apiClient } = await makeApiClient(t, agency.id, ['notifications:send']);
    const { apiKey } = await t
      .get(NotifyApiKeyService)
      .create(t.admin, apiClient.id, 'live', 'live');
    client = new NotifyClient(base, apiKey);
    templateId = (
      await t.get(TemplateService).create(t.admin, {
        agencyId: agency.id,
        channel: 'sms',
        code: 'limits',
        name: 'Limits',
        ar: { body: 'رسالة' },
        en: { body: 'Message' },
      })
    ).template.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 TooManyRequestsError past the daily cap and RateLimitError past the per-minute budget, with Retry-After', async () => {
    await inOneRateWindow(); // the five requests below in one minute's count
    expect((await client.sendSms(templateId, '+97336001234')).status).toBe(201);
    const daily = await notifyError(client.sendSms(templateId, '+97336001235'));
    expect(daily.status).toBe(429);
    expect(daily.data).toMatchObject({ errors: [{ error: 'TooManyRequestsError' }] });
    expect(Number(daily.headers['retry-after'])).toBeGreaterThan(0);
    await client.getAllTemplates();
    await client.getAllTemplates();
    const rate = await notifyError(client.getAllTemplates());
    expect(rate.status).toBe(429);
    expect(rate.data).toMatchObject({ status_code: 429, errors: [{ error: 'RateLimitError' }] });
    expect(Number(rate.headers['retry-after'])).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { PreferenceService } from '../../src/modules/notify/services/preference.service.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Diwan notifications API /v1/notifications', () => {
  let t: TestApp;
  let smsc: TestSmsc;
  let agencyId: string;
  let otherAgencyId: string;
  let key: string;
  let otherKey: string;
  let reportsKey: string;
  let templateId: string;
  let otherTemplateId: string;
  let keySeq = 0;
  const newKey = () => `idem-${Date.now()}-${++keySeq}`;

  const post = (body: object, idem: string | null = newKey(), apiKey = key) => {
    const req = t.http().post('/v1/notifications').set('Authorization', `Bearer ${apiKey}`);
    if (idem !== null) req.set('Idempotency-Key', idem);
    return req.send(body);
  };
  const get = (path: string, apiKey = key) =>
    t.http().get(path).set('Authorization', `Bearer ${apiKey}`);
  const sms = (over: object = {}) => ({
    channel: 'sms',
    to: '+97336001234',
    templateId,
    personalisation: { name: 'Fatima' },
    ...over,
  });

  beforeAll(async () => {
    smsc = await startTestSmsc();
    t = await startTestApp({ SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smsc.port}?id=a` });
    agencyId = (await makeAgency(t)).id;
    otherAgencyId = (await makeAgency(t)).id;
    key = (await makeApiClient(t, agencyId, ['notifications:send'], 'Housing')).apiKey;
    otherKey = (await makeApiClient(t, otherAgencyId, ['notifications:send'], 'Other')).apiKey;
    reportsKey = (await makeApiClient(t, otherAgencyId, ['reports:read'], 'Statistics')).apiKey;
    const templates = t.get(TemplateService);
    templateId = (
      await templates.create(t.admin, {
        agencyId,
        channel: 'sms',
        code: 'housing-allocated',
        name: 'Housing allocated',
        ar: { body: 'عزيزتي ((name))، تم تخصيص وحدة سكنية لك.' },
        en: { body: 'Dear ((name)), a housing unit was allocated to you.' },
      })
    ).template.id;
    otherTemplateId = (
      await templates.create(t.admin, {
        agencyId: otherAgencyId,
        channel: 'sms',
        code: 'other-notice',
        name: 'Other notice',
        ar: { body: 'إشعار ((name))' },
        en: { body: 'Notice ((name))' },
      })
    ).template.id;
  });
  afterAll(async () => {
    await t?.close();
    await smsc?.close();
  });

  it('sends to a phone number and answers the notification with the recipient masked', async () => {
    const res = await post(sms({ reference: 'H-1' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'sms',
      lang: 'ar',
      recipient: '+973****34',
      templateId,
      templateVersion: 1,
      reference: 'H-1',
      replacesPaperLetter: false,
      content: { body: 'عزيزتي Fatima، تم تخصيص وحدة سكنية لك.', subject: null },
    });
    await until(async () => (await get(`/v1/notifications/${res.body.id}`)).body.status === 'sent');
    const got = await get(`/v1/notifications/${res.body.id}`);
    expect(got.body).toMatchObject({ id: res.body.id, notifyStatus: 'sending', segments: 1 });
    expect(JSON.stringify(got.body)).not.toContain('36001234');
  });

  it('requires an Idempotency-Key', async () => {
    const res = await post(sms(), null);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'NOTIFY_IDEMPOTENCY_KEY_REQUIRED',
      errors: [expect.objectContaining({ field: 'Idempotency-Key' })],
    });
  });

  it('replays the first answer for the same key and body, and refuses another body (409)', async () => {
    const idem = newKey();
    const first = await post(sms({ reference: 'R-1' }), idem);
    const again = await post(sms({ reference: 'R-1' }), idem);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await post(sms({ reference: 'R-2' }), idem);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows = await t.db.query("SELECT id FROM notification WHERE reference = 'R-1'");
    expect(rows).toHaveLength(1);
    // Keys are per e-service: another one may use the same key for its own notification.
    const theirs = await post(
      { ...sms({ reference: 'R-1' }), templateId: otherTemplateId },
      idem,
      otherKey,
    );
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('creates one notification for 50 concurrent identical requests', async () => {
    const idem = newKey();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(sms({ reference: 'CONCURRENT-50' }), idem)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array<number>(50).fill(201));
    expect(new Set(answers.map((a) => a.body.id as string)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    const rows = await t.db.query("SELECT id FROM notification WHERE reference = 'CONCURRENT-50'");
    expect(rows).toHaveLength(1);
    await until(() => smsc.submitted().length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const sent = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM notification_attempt a JOIN notification n ON n.id = a.notification_id WHERE n.reference = 'CONCURRENT-50' AND a.outcome = 'submitted'",
    );
    expect(Number(sent[0].n)).toBeLessThanOrEqual(1);
  });

  it('frees the key of a refused request, so the corrected request may use it', async () => {
    const idem = newKey();
    const refused = await post(sms({ personalisation: {} }), idem);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'NOTIFICATIONS_PERSONALISATION_INVALID',
      errors: [expect.objectContaining({ field: 'personalisation.name' })],
    });
    expect((await post(sms(), idem)).status).toBe(201);
  });

  it('names the bad fields of a malformed request', async () => {
    const unknown = await post({ ...sms(), colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('colour');
    const noTemplate = await post({ channel: 'sms', to: '+97336001234' });
    expect(noTemplate.status).toBe(400);
    expect(JSON.stringify(noTemplate.body.errors)).toContain('templateId');
    const both = await post(sms({ ekeyAccountId: '6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11' }));
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'ekeyAccountId' })]);
    const badPhone = await post(sms({ to: 'call me' }));
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.code).toBe('NOTIFICATIONS_RECIPIENT_INVALID');
    const otherAgencyTemplate = await post(sms({ templateId: otherTemplateId }));
    expect(otherAgencyTemplate.status).toBe(403);
  });

  it('addresses an eKey account by its verified mobile and language, never showing the contact', async () => {
    const outbox = new RecordingEkeyTransport();
    t.get(EkeyMessenger).useTransport(outbox);
    const accounts = t.get(EkeyAccountService);
    const mobile = '+97336008888';
    const { accountId } = await accounts.register({
      cpr: '850100888',
      nameAr: 'خالد',
      nameEn: 'Khalid',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1980-05-01',
      mobile,
      password: 'rose garden at sunset 1971',
      lang: 'en',
    });
    await accounts.verifyMobile(accountId, outbox.lastCodeTo(mobile));
    const res = await post({
      channel: 'sms',
      ekeyAccountId: accountId,
      templateId,
      personalisation: { name: 'Khalid' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lang: 'en', recipient: null });
    await until(() => smsc.submitted().some((s) => s.destination.endsWith('36008888')));
    expect(smsc.submitted().find((s) => s.destination.endsWith('36008888'))!.text).toBe(
      'Dear Khalid, a housing unit was allocated to you.',
    );
    const got = await get(`/v1/notifications/${res.body.id}`);
    expect(got.body.recipient).toBeNull();
    const noEmail = await post({
      channel: 'email',
      ekeyAccountId: accountId,
      templateId,
      personalisation: { name: 'K' },
    });
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.code).toBe('NOTIFY_EKEY_NO_VERIFIED_CONTACT');
    const unknown = await post({
      channel: 'sms',
      ekeyAccountId: '6f1d1a52-8f5e-4a8b-9a57-2a0f5f3c0b11',
      templateId,
      personalisation: { name: 'K' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('NOTIFY_EKEY_ACCOUNT_UNKNOWN');
  });

  it('refuses a non-critical notice to an opted-out recipient; a critical legal notice still goes', async () => {
    const to = '+97336009999';
    await t.get(PreferenceService).optOut(t.admin, { sms: to }, agencyId, 'sms', 'citizen_portal');
    const refused = await post(sms({ to }));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('NOTIFY_RECIPIENT_OPTED_OUT');
    expect((await post(sms({ to, critical: true }))).status).toBe(201);
  });

  it('shows an e-service only its own notifications, and lists them newest first in pages', async () => {
    const ids: string[] = [];
    for (const i of [1, 2, 3])
      ids.push((await post(sms({ reference: `PAGE-${i}` }))).body.id as string);
    const other = await get(`/v1/notifications/${ids[0]}`, otherKey);
    expect(other.status).toBe(404);
    expect((await get('/v1/notifications/not-a-uuid')).status).toBe(400);
    const page1 = await get('/v1/notifications?limit=2');
    expect(page1.body.notifications.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    const page2 = await get(page1.body.next as string);
    expect(page2.body.notifications[0].id).toBe(ids[0]);
    const byRef = await get('/v1/notifications?reference=PAGE-2');
    expect(byRef.body.notifications.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
    expect((await get('/v1/notifications?limit=1000')).status).toBe(400);
  });

  it('reports paper letters replaced per agency and month, scoped to the agency of the caller', async () => {
    const letters: string[] = [];
    for (const i of [1, 2]) {
      const res = await post(sms({ replacesPaperLetter: true, reference: `PAPER-${i}` }));
      letters.push(res.body.id as string);
    }
    const other = await post(
      { ...sms({ replacesPaperLetter: true }), templateId: otherTemplateId },
      newKey(),
      otherKey,
    );
    const all = [...letters, other.body.id as string];
    await until(async () => {
      const rows = await t.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM notification WHERE id = ANY($1) AND status = 'sent'",
        [all],
      );
      return Number(rows[0].n) === 3;
    });
    const ids = await t.db.query<{ ids: string[] }>(
      'SELECT provider_message_ids AS ids FROM notification WHERE id = $1',
      [letters[0]],
    );
    expect(await smsc.sendReceipt(ids[0].ids[0].split(':').slice(1).join(':'), 'DELIVRD')).toBe(0);
    await until(
      async () => (await get(`/v1/notifications/${letters[0]}`)).body.status === 'delivered',
    );

    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const month = today.slice(0, 7);
    const own = await get(`/v1/notifications/statistics/paper-letters?from=${today}&to=${today}`);
    expect(own.status).toBe(200);
    expect(own.body.rows).toHaveLength(1);
    const row = own.body.rows[0];
    expect(row).toMatchObject({ agencyId, month, lettersReplaced: 2, delivered: 1, failed: 0 });
    expect(row.sent).toBeGreaterThanOrEqual(row.lettersReplaced);
    expect(row.smsSegments).toBeGreaterThanOrEqual(row.sent);
    const national = await get(
      `/v1/notifications/statistics/paper-letters?from=${today}&to=${today}`,
      reportsKey,
    );
    expect(national.body.rows.map((r: { agencyId: string }) => r.agencyId).sort()).toEqual(
      [agencyId, otherAgencyId].sort(),
    );
    expect(
      national.body.rows.find((r: { agencyId: string }) => r.agencyId === otherAgencyId)
        .lettersReplaced,
    ).toBe(1);
    const spying = await get(
      `/v1/notifications/statistics/paper-letters?from=${today}&to=${today}&agencyId=${otherAgencyId}`,
    );
    expect(spying.status).toBe(403);
    expect(spying.body.code).toBe('OTHER_AGENCY');
    const bad = await get('/v1/notifications/statistics/paper-letters?from=2026-13-01&to=x');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('to');
  });

  it('is closed to callers without an API key', async () => {
    expect((await t.http().post('/v1/notifications').send(sms())).status).toBe(401);
    expect((await t.http().get('/v1/notifications')).status).toBe(401);
  });
});

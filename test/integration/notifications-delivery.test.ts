import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/platform/auth/roles.js';
import { DomainException } from '../../src/platform/errors/domain-exception.js';
import { NotificationSender } from '../../src/modules/notifications/services/notification-sender.js';
import { NotificationStatsService } from '../../src/modules/notifications/services/notification-stats.service.js';
import { NotificationSweeper } from '../../src/modules/notifications/services/notification-sweeper.js';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { DeliveryService } from '../../src/modules/notifications/services/delivery.service.js';
import { PlaintextHandoff } from '../../src/modules/notifications/services/plaintext-handoff.js';
import { startTestSmsc, type SubmittedSms, type TestSmsc } from '../support/smsc.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

const ARABIC_NOTICE =
  'عزيزي ((name))، تمت الموافقة على طلب تجديد بطاقة الهوية رقم ((ref)). ' +
  'يرجى مراجعة مركز الخدمة في المحرق خلال أسبوعين مع إحضار البطاقة القديمة وصورة شخصية حديثة. ' +
  'للاستفسار اتصلوا على 80008001.';

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as DomainException).code ?? String(e);
  }
  return 'no error';
};

describe('notifications delivered over SMPP and SMTP', () => {
  let t: TestApp;
  let smscA: TestSmsc;
  let smscB: TestSmsc;
  let smtp: SmtpSink;
  let sut: NotificationSender;
  let agencyId: string;
  let otherAgencyId: string;
  let eService: Actor;
  let smsTemplateId: string;
  let emailTemplateId: string;

  const status = async (id: string) =>
    (await t.db.query<{ status: string }>('SELECT status FROM notification WHERE id = $1', [id]))[0]
      ?.status;
  const row = async (id: string) =>
    (
      await t.db.query<Record<string, unknown>>('SELECT * FROM notification WHERE id = $1', [id])
    )[0];
  const statusIs = (id: string, ...wanted: string[]) =>
    until(async () => wanted.includes((await status(id)) ?? '') && (await status(id)));
  const allSubmitted = (): SubmittedSms[] => [...smscA.submitted(), ...smscB.submitted()];
  /** Where each SMSC's list stands now; `submittedSince` gives what both received after it. */
  const mark = () => ({ a: smscA.submitted().length, b: smscB.submitted().length });
  const submittedSince = (m: { a: number; b: number }): SubmittedSms[] => [
    ...smscA.submitted().slice(m.a),
    ...smscB.submitted().slice(m.b),
  ];
  const smscOf = (messageId: string) => (messageId.startsWith('A') ? smscA : smscB);

  beforeAll(async () => {
    [smscA, smscB, smtp] = await Promise.all([
      startTestSmsc({ messageIdPrefix: 'A' }),
      startTestSmsc({ messageIdPrefix: 'B' }),
      startSmtpSink(),
    ]);
    t = await startTestApp({
      SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smscA.port}?id=a&weight=9,smpp://diwan:secret@127.0.0.1:${smscB.port}?id=b&weight=1`,
      SMS_SENDER_ID: 'eGov',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      EMAIL_FROM: 'Government services <notify@egov.test>',
      EMAIL_LIST_UNSUBSCRIBE_URL: 'https://egov.test/unsubscribe',
      NOTIFICATIONS_RETRY_BACKOFF_MS: '100',
      NOTIFICATIONS_MAX_ATTEMPTS: '3',
      NOTIFICATIONS_SWEEP_INTERVAL_SECONDS: '3600',
    });
    sut = t.get(NotificationSender);
    agencyId = (await makeAgency(t)).id;
    otherAgencyId = (await makeAgency(t)).id;
    eService = {
      type: 'api_client',
      id: '00000000-0000-4000-8000-0000000000e1',
      label: 'e-service',
      agencyId,
      scopes: ['notifications:send'],
    };
    const templates = t.get(TemplateService);
    smsTemplateId = (
      await templates.create(t.admin, {
        agencyId,
        channel: 'sms',
        code: 'id-card-renewal',
        name: 'ID card renewal approved',
        ar: { body: ARABIC_NOTICE },
        en: { body: 'Dear ((name)), your ID card renewal ((ref)) is approved.' },
      })
    ).template.id;
    emailTemplateId = (
      await templates.create(t.admin, {
        agencyId,
        channel: 'email',
        code: 'fee-receipt',
        name: 'Fee receipt',
        ar: { subject: 'إيصال دفع رسوم ((ref))', body: 'عزيزي ((name))،\n\nتم استلام دفعتك.' },
        en: { subject: 'Fee receipt ((ref))', body: 'Dear ((name)),\n\nWe received your payment.' },
      })
    ).template.id;
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([smscA?.close(), smscB?.close(), smtp?.close()]);
  });

  const sendSms = (to = '+97333123456', personalisation = { name: 'علي', ref: '2025-004812' }) =>
    sut.send({
      channel: 'sms',
      to,
      lang: 'ar',
      templateId: smsTemplateId,
      personalisation,
      reference: 'case-1',
      replacesPaperLetter: true,
      actor: eService,
    });

  it('sends an Arabic SMS as UCS-2 parts that reassemble byte-exact, and records 3 segments', async () => {
    const { id } = await sendSms();
    await statusIs(id, 'sent');
    const expected = ARABIC_NOTICE.replace('((name))', 'علي').replace('((ref))', '2025-004812');
    const parts = allSubmitted().filter((p) => p.destination === '97333123456');
    expect(parts).toHaveLength(3);
    expect(parts.every((p) => p.dataCoding === 8 && p.source === 'eGov')).toBe(true);
    const bytes = Buffer.concat(
      parts
        .sort((a, b) => a.concatenation!.sequence - b.concatenation!.sequence)
        .map((p) => p.payload),
    );
    expect(bytes.equals(Buffer.from(expected, 'utf16le').swap16())).toBe(true);
    const n = await row(id);
    expect(n).toMatchObject({ segments: 3, attempts: 1, lang: 'ar', reference: 'case-1' });
    expect(n.provider_message_ids).toHaveLength(3);
  });

  it('keeps the recipient and personalisation encrypted at rest, findable by keyed hash', async () => {
    const { id } = await sendSms('+97333999888', { name: 'Secret Name', ref: 'R-77' });
    const n = await row(id);
    const dump = JSON.stringify(n);
    expect(dump).not.toContain('97333999888');
    expect(dump).not.toContain('Secret Name');
    expect(String(n.recipient_cipher)).toMatch(/^v1\./);
    expect(n.recipient_hash).toMatch(/^[0-9a-f]{64}$/);
    // Sent before the next test starts, so no test sees its parts arrive.
    await statusIs(id, 'sent');
  });

  it('hands its own worker the plaintext it accepted, and a worker without it decrypts the same text', async () => {
    const handoff = t.get(PlaintextHandoff);
    const { id } = await sendSms('+97333999777', { name: 'Handed', ref: 'R-78' });
    await statusIs(id, 'sent');
    // Taken by the worker that sent it: nothing of it is left in memory.
    expect(handoff.recipients.size).toBe(0);
    expect(handoff.contents.size).toBe(0);
    const text = (parts: SubmittedSms[]) =>
      Buffer.concat(
        [...parts]
          .sort((a, b) => a.concatenation!.sequence - b.concatenation!.sequence)
          .map((p) => p.payload),
      ).toString('hex');
    const sent = allSubmitted().filter((p) => p.destination === '97333999777');
    // Another process's worker (or a retry) has nothing handed over: it reads the stored values.
    const n = await row(id);
    const before = mark();
    const outcome = await t.get(DeliveryService).submit({
      id,
      agencyId,
      templateVersionId: n.template_version_id as string,
      channel: 'sms',
      priority: 'transactional',
      lang: 'ar',
      recipientCipher: n.recipient_cipher as string,
      contentCipher: n.content_cipher as string,
      attempt: 2,
    });
    expect(outcome.kind).toBe('submitted');
    const again = submittedSince(before);
    expect(again.every((p) => p.destination === '97333999777')).toBe(true);
    expect(text(again)).toBe(text(sent));
  });

  it('moves the status to delivered only when every part has a DELIVRD receipt, keeping raw receipts', async () => {
    const { id } = await sendSms('+97333111222');
    await statusIs(id, 'sent');
    const ids = (await row(id)).provider_message_ids as string[];
    for (const [i, key] of ids.entries()) {
      const messageId = key.split(':')[1];
      expect(await smscOf(messageId).sendReceipt(messageId, 'DELIVRD')).toBe(0);
      if (i < ids.length - 1) expect(await status(id)).toBe('sent');
    }
    // A duplicate receipt changes nothing.
    const first = ids[0].split(':')[1];
    expect(await smscOf(first).sendReceipt(first, 'DELIVRD')).toBe(0);
    expect(await status(id)).toBe('delivered');
    const receipts = await t.db.query<{ receipt_stat: string; raw_receipt: { raw: string } }>(
      "SELECT receipt_stat, raw_receipt FROM notification_attempt WHERE notification_id = $1 AND outcome = 'receipt'",
      [id],
    );
    expect(receipts).toHaveLength(3);
    expect(receipts[0].raw_receipt.raw).toContain('stat:DELIVRD');
  });

  it('marks an undeliverable SMS permanent_failure from its receipt, and never moves it back', async () => {
    const { id } = await sut.sendDirect({
      channel: 'sms',
      to: '+97333222333',
      lang: 'en',
      body: 'Your one-time code is 482913',
      priority: 'otp',
      actor: eService,
    });
    await statusIs(id, 'sent');
    const messageId = ((await row(id)).provider_message_ids as string[])[0].split(':')[1];
    await smscOf(messageId).sendReceipt(messageId, 'UNDELIV', { withTlvs: true });
    expect(await status(id)).toBe('permanent_failure');
    await smscOf(messageId).sendReceipt(messageId, 'DELIVRD');
    expect(await status(id)).toBe('permanent_failure');
    expect((await row(id)).segments).toBe(1);
  });

  it('refuses a receipt for an unknown message so the SMSC resends it later', async () => {
    expect(await smscA.sendReceipt('A-unknown', 'DELIVRD')).not.toBe(0);
  });

  it('moves a message refused by one SMSC to the other SMSC within the same attempt', async () => {
    smscA.throttleNext(1);
    const since = mark();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(
        (
          await sut.sendDirect({
            channel: 'sms',
            to: '+97333444555',
            lang: 'en',
            body: `Failover notice ${i}`,
            priority: 'transactional',
            actor: eService,
          })
        ).id,
      );
    for (const id of ids) await statusIs(id, 'sent');
    const texts = submittedSince(since).map((p) => p.text);
    expect(texts.sort()).toEqual(ids.map((_, i) => `Failover notice ${i}`).sort());
    const rows = await t.db.query<{ attempts: number; provider: string }>(
      'SELECT attempts, provider FROM notification WHERE id = ANY($1)',
      [ids],
    );
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // A throttled the first message it got: that one went to B in the same attempt (each
    // message was sent once, in one attempt). How many more B took depends on how long A's
    // back-off outlasts the test on a loaded machine, so it is not asserted.
    expect(rows.filter((r) => r.provider === 'b').length).toBeGreaterThanOrEqual(1);
    expect(
      rows.filter((r) => r.provider === 'a').length + rows.filter((r) => r.provider === 'b').length,
    ).toBe(10);
  });

  it('loses nothing and sends nothing twice when an SMSC connection drops mid-batch', async () => {
    const since = mark();
    const before = allSubmitted().length;
    const accepting = Array.from({ length: 40 }, (_, i) =>
      sut.sendDirect({
        channel: 'sms',
        to: '+97333555666',
        lang: 'en',
        body: `Batch notice ${i}`,
        priority: 'bulk',
        actor: eService,
      }),
    );
    await until(async () => allSubmitted().length > before + 5);
    await smscA.dropConnections(50);
    const ids = (await Promise.all(accepting)).map((r) => r.id);
    await until(async () => {
      const rows = await t.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM notification WHERE id = ANY($1) AND status = 'sent'",
        [ids],
      );
      return Number(rows[0].n) === ids.length;
    }, 20_000);
    const texts = submittedSince(since)
      .map((p) => p.text)
      .filter((text) => text.startsWith('Batch notice'));
    expect(texts).toHaveLength(40);
    expect(new Set(texts).size).toBe(40);
  });

  it('sends an Arabic email with an RTL body and an RFC 2047 encoded subject', async () => {
    const { id } = await sut.send({
      channel: 'email',
      to: 'Citizen@Example.BH',
      lang: 'ar',
      templateId: emailTemplateId,
      personalisation: { name: 'فاطمة', ref: '991' },
      priority: 'transactional',
      actor: eService,
    });
    await statusIs(id, 'sent');
    const mail = smtp.messages.find((m) => m.headers.get('x-diwan-notification-id') === id)!;
    expect(mail.subject).toBe('إيصال دفع رسوم 991');
    expect(mail.source).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.html).toContain('lang="ar"');
    expect(mail.text).toContain('عزيزي فاطمة');
    expect(mail.to).toMatchObject({ text: 'citizen@example.bh' });
    expect(mail.messageId).toBe(`<${id}@egov.test>`);
    // Transactional mail carries no unsubscribe link; bulk does.
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
  });

  it('adds List-Unsubscribe to bulk email', async () => {
    const { id } = await sut.send({
      channel: 'email',
      to: 'bulk@example.bh',
      lang: 'en',
      templateId: emailTemplateId,
      personalisation: { name: 'Sara', ref: '7' },
      priority: 'bulk',
      actor: eService,
    });
    await statusIs(id, 'sent');
    const mail = smtp.messages.find((m) => m.headers.get('x-diwan-notification-id') === id)!;
    expect(mail.source).toMatch(/List-Unsubscribe: <https:\/\/egov\.test\/unsubscribe>/i);
  });

  it('retries an email refused with 451 and sends it on the next attempt', async () => {
    smtp.failNext(451);
    const { id } = await sut.sendDirect({
      channel: 'email',
      to: 'retry@example.bh',
      lang: 'en',
      subject: 'Security alert',
      body: 'A new device signed in.',
      priority: 'transactional',
      actor: eService,
    });
    await statusIs(id, 'sent');
    const attempts = await t.db.query<{ attempt_no: number; outcome: string }>(
      'SELECT attempt_no, outcome FROM notification_attempt WHERE notification_id = $1 ORDER BY id',
      [id],
    );
    expect(attempts).toEqual([
      { attempt_no: 1, outcome: 'temporary_failure' },
      { attempt_no: 2, outcome: 'submitted' },
    ]);
  });

  it('fails an email refused with 550 permanently, without retrying', async () => {
    smtp.failNext(550);
    const { id } = await sut.sendDirect({
      channel: 'email',
      to: 'gone@example.bh',
      lang: 'en',
      subject: 'Notice',
      body: 'Text',
      priority: 'transactional',
      actor: eService,
    });
    await statusIs(id, 'permanent_failure');
    expect((await row(id)).attempts).toBe(1);
  });

  it('gives up with technical_failure after the configured attempts of temporary failures', async () => {
    smtp.failNext(421, 3);
    const { id } = await sut.sendDirect({
      channel: 'email',
      to: 'busy@example.bh',
      lang: 'en',
      subject: 'Notice',
      body: 'Text',
      priority: 'bulk',
      actor: eService,
    });
    await statusIs(id, 'technical_failure');
    const n = await row(id);
    expect(n.attempts).toBe(3);
    expect(n.dispatch_due_at).toBeNull();
  });

  it('runs a replayed or concurrent job once: the second claim finds nothing', async () => {
    const { id } = await sendSms('+97333777888');
    await statusIs(id, 'sent');
    const delivery = t.get(DeliveryService);
    const before = allSubmitted().length;
    expect(await Promise.all([delivery.deliver(id), delivery.deliver(id)])).toEqual([
      'skipped',
      'skipped',
    ]);
    expect(allSubmitted().length).toBe(before);
    expect((await row(id)).attempts).toBe(1);
  });

  it('accepts concurrent notifications together, and a caller-chosen id sent twice fails alone', async () => {
    const id = randomUUID();
    const request = (to: string, chosen?: string) =>
      sut.send({
        channel: 'sms',
        to,
        lang: 'en',
        templateId: smsTemplateId,
        personalisation: { name: 'Ali', ref: 'dup' },
        actor: eService,
        id: chosen,
      });
    // At the same moment: they share an acceptance statement when they reach it together.
    const results = await Promise.allSettled([
      request('+97333100001', id),
      request('+97333100002', id),
      request('+97333100003'),
    ]);
    const [a, b, c] = results;
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(c.status).toBe('fulfilled');
    const refused = (a.status === 'rejected' ? a : b) as PromiseRejectedResult;
    expect((refused.reason as DomainException).code).toBe('NOTIFICATIONS_NOTIFICATION_ID_TAKEN');
    await statusIs(id, 'sent');
    await statusIs((c as PromiseFulfilledResult<{ id: string }>).value.id, 'sent');
    // The refused duplicate sent nothing: one SMS for the id, one for the bystander.
    const to = (n: string) => allSubmitted().filter((p) => p.destination === n).length;
    expect(to('97333100001') + to('97333100002')).toBe(1);
    expect(to('97333100003')).toBe(1);
    // Sent again later, the id is still taken.
    expect(await code(request('+97333100004', id))).toBe('NOTIFICATIONS_NOTIFICATION_ID_TAKEN');
  });

  it('refuses missing and extra personalisation, naming the fields', async () => {
    const e = await sut
      .send({
        channel: 'sms',
        to: '+97333123456',
        lang: 'en',
        templateId: smsTemplateId,
        personalisation: { name: 'Ali', colour: 'blue' },
        actor: eService,
      })
      .catch((err: unknown) => err as DomainException);
    expect(e).toBeInstanceOf(DomainException);
    expect((e as DomainException).status).toBe(400);
    expect((e as DomainException).errors.map((f) => [f.field, f.reason])).toEqual([
      ['personalisation.ref', 'required'],
      ['personalisation.colour', 'unknown'],
    ]);
  });

  it('refuses a bad recipient, another agency, a missing scope and a channel mismatch', async () => {
    expect(await code(sendSms('12345'))).toBe('NOTIFICATIONS_RECIPIENT_INVALID');
    const other: Actor = { ...eService, agencyId: otherAgencyId } as Actor;
    expect(
      await code(
        sut.send({
          channel: 'sms',
          to: '+97333123456',
          lang: 'ar',
          templateId: smsTemplateId,
          personalisation: { name: 'x', ref: 'y' },
          actor: other,
        }),
      ),
    ).toBe('OTHER_AGENCY');
    const noScope: Actor = { ...eService, scopes: ['ekey:read'] } as Actor;
    expect(
      await code(
        sut.send({
          channel: 'sms',
          to: '+97333123456',
          lang: 'ar',
          templateId: smsTemplateId,
          personalisation: { name: 'x', ref: 'y' },
          actor: noScope,
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await code(
        sut.send({
          channel: 'email',
          to: 'a@example.bh',
          lang: 'ar',
          templateId: smsTemplateId,
          personalisation: { name: 'x', ref: 'y' },
          actor: eService,
        }),
      ),
    ).toBe('NOTIFICATIONS_TEMPLATE_CHANNEL_MISMATCH');
    expect(
      await code(
        sut.sendDirect({
          channel: 'sms',
          to: '+97333123456',
          lang: 'en',
          body: 'x'.repeat(153 * 4 + 1),
          priority: 'bulk',
          actor: eService,
        }),
      ),
    ).toBe('NOTIFICATIONS_SMS_TOO_LONG');
  });

  it('records the template version each notification used', async () => {
    const templates = t.get(TemplateService);
    const { id: before } = await sendSms('+97333000111');
    const revised = await templates.revise(t.admin, smsTemplateId, {
      ar: { body: 'تم اعتماد طلبك ((ref)) يا ((name))' },
      en: { body: 'Your request ((ref)) is approved, ((name))' },
    });
    expect(revised.version.version).toBe(2);
    const { id: after } = await sendSms('+97333000111');
    const rows = await t.db.query<{ id: string; version: number }>(
      `SELECT n.id, v.version FROM notification n JOIN notification_template_version v ON v.id = n.template_version_id WHERE n.id = ANY($1)`,
      [[before, after]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.version]))).toEqual({
      [before]: 1,
      [after]: 2,
    });
    await statusIs(after, 'sent');
    const last = allSubmitted()
      .filter((p) => p.destination === '97333000111')
      .at(-1)!;
    expect(last.text).toBe('تم اعتماد طلبك 2025-004812 يا علي');
  });

  it('lets only admins and the agency editor change templates, with the same placeholders in both languages', async () => {
    const templates = t.get(TemplateService);
    const otherEditor: Actor = {
      type: 'staff',
      id: '00000000-0000-4000-8000-0000000000e2',
      label: 'editor',
      role: 'agency_editor',
      agencyId: otherAgencyId,
    };
    expect(
      await code(
        templates.revise(otherEditor, smsTemplateId, { ar: { body: 'x' }, en: { body: 'x' } }),
      ),
    ).toBe('FORBIDDEN');
    const e = await templates
      .create(t.admin, {
        agencyId,
        channel: 'sms',
        code: 'mismatch',
        name: 'Mismatch',
        ar: { body: 'مرحبا ((name))' },
        en: { body: 'Hello ((name)), ref ((ref))' },
      })
      .catch((err: unknown) => err as DomainException);
    expect((e as DomainException).code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    expect((e as DomainException).errors[0].message).toContain('((ref))');
    const audited = await t.db.query<{ action: string }>(
      "SELECT action FROM audit_event WHERE action LIKE 'notifications.template.%'",
    );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['notifications.template.create', 'notifications.template.revise']),
    );
  });

  it('refuses to change an attempt or a template version after the fact', async () => {
    await expect(t.db.query('UPDATE notification_attempt SET outcome = outcome')).rejects.toThrow(
      /append-only/,
    );
    await expect(
      t.db.query('UPDATE notification_template_version SET body_en = body_en'),
    ).rejects.toThrow(/immutable/);
  });

  it('counts paper letters replaced, sent/delivered/failed and SMS segments', async () => {
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const stats = t.get(NotificationStatsService);
    const letters = await stats.paperLettersReplaced({ from: today, to: today });
    const [{ n }] = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM notification WHERE replaces_paper_letter AND status IN ('sent','delivered')",
    );
    expect(letters).toBe(Number(n));
    expect(letters).toBeGreaterThan(3);
    expect(await stats.paperLettersReplaced({ from: '2000-01-01', to: '2000-12-31' })).toBe(0);
    const summary = await stats.summary({ from: today, to: today });
    const sms = summary.find((s) => s.channel === 'sms')!;
    expect(sms.delivered).toBeGreaterThanOrEqual(1);
    expect(sms.failed).toBeGreaterThanOrEqual(1);
    expect(sms.smsSegments).toBeGreaterThanOrEqual(sms.sent);
    const byMonth = await stats.paperLettersByAgencyAndMonth({ from: today, to: today });
    expect(byMonth).toEqual([{ agencyId, month: today.slice(0, 7), letters }]);
    expect(await code(stats.paperLettersReplaced({ from: '2025-13-01', to: today }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('wipes recipients and content after the retention period and keeps the statistics', async () => {
    const stats = t.get(NotificationStatsService);
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const before = await stats.summary({ from: today, to: today });
    const sweeper = t.get(NotificationSweeper);
    expect(await sweeper.redactExpired(new Date())).toBe(0);
    const wiped = await sweeper.redactExpired(new Date(Date.now() + 91 * 86_400_000));
    expect(wiped).toBeGreaterThan(0);
    const [left] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM notification WHERE recipient_cipher IS NOT NULL AND dispatch_due_at IS NULL',
    );
    expect(Number(left.n)).toBe(0);
    expect(await stats.summary({ from: today, to: today })).toEqual(before);
  });

  it('reports both providers up on the health endpoint', async () => {
    const res = await t.http().get('/health/notifications').expect(200);
    expect(res.body.sms.status).toMatch(/up|degraded/);
    expect(res.body.sms.smscs.map((s: { id: string }) => s.id)).toEqual(['a', 'b']);
    expect(res.body.email.status).toBe('up');
  });
});

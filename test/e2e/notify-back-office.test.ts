import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor, StaffRole } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { NotificationSender } from '../../src/modules/notifications/services/notification-sender.js';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { BulkJobService } from '../../src/modules/notify/bulk/services/bulk-job.service.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'notify staff passphrase 1';

/**
 * The back office of the e-service interfaces: template preview in both languages with SMS
 * parts, notifications masked and kept to the staff member's agency, bulk jobs with their
 * progress, callbacks with replay, and resend of a failed notification (operators only).
 */
describe('notifications back office: preview, jobs, callbacks, resend', () => {
  let t: TestApp;
  let agencyA: string;
  let agencyB: string;
  let eServiceA: Actor & { type: 'api_client' };
  let eServiceB: Actor;
  let templateId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    agencyA = (await makeAgency(t)).id;
    agencyB = (await makeAgency(t)).id;
    const client = (agencyId: string, id: string) =>
      ({
        type: 'api_client',
        id,
        label: 'e-service',
        agencyId,
        scopes: ['notifications:send'],
      }) as const;
    eServiceA = client(agencyA, '00000000-0000-4000-8000-0000000000a1');
    eServiceB = client(agencyB, '00000000-0000-4000-8000-0000000000b1');
    const staff = t.get(StaffService);
    const add = (email: string, role: StaffRole, agencyId: string | null) =>
      staff.create(t.admin, { email, name: email, role, agencyId, password: PASSWORD });
    await add('operator@iga.test', 'operator', null);
    await add('auditor@iga.test', 'auditor', null);
    await add('editor@a.test', 'agency_editor', agencyA);
    await add('editor@b.test', 'agency_editor', agencyB);
    templateId = (
      await t.get(TemplateService).create(t.admin, {
        agencyId: agencyA,
        channel: 'sms',
        code: 'permit',
        name: 'Permit ready',
        ar: { body: 'عزيزي ((name))، تصريحك رقم ((ref)) جاهز.' },
        en: { body: 'Dear ((name)), your permit ((ref)) is ready.' },
      })
    ).template.id;
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', PASSWORD).expect(302);
    return agent;
  };
  const sms = (actor: Actor, to: string, body = 'إشعار') =>
    t.get(NotificationSender).sendDirect({
      channel: 'sms',
      to,
      lang: 'ar',
      body,
      priority: 'transactional',
      actor,
    });
  const audits = (action: string, objectId: string) =>
    t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      'SELECT actor_id, details FROM audit_event WHERE action = $1 AND object_id = $2',
      [action, objectId],
    );

  it('previews a template in Arabic and English with sample values and the SMS parts of each', async () => {
    const agent = await signIn('editor@a.test');
    const res = await agent
      .post(`/admin/api/resources/NotificationTemplate/records/${templateId}/preview`)
      .field('name', 'فاطمة')
      .field('ref', 'P-77')
      .expect(200);
    expect(res.body.preview.ar).toEqual({
      subject: null,
      text: 'عزيزي فاطمة، تصريحك رقم P-77 جاهز.',
      sms: { encoding: 'ucs2', segments: 1 },
    });
    expect(res.body.preview.en).toEqual({
      subject: null,
      text: 'Dear فاطمة, your permit P-77 is ready.',
      sms: { encoding: 'ucs2', segments: 1 },
    });
    const placeholders = await agent
      .post(`/admin/api/resources/NotificationTemplate/records/${templateId}/preview`)
      .expect(200);
    expect(placeholders.body.preview.en).toMatchObject({
      text: 'Dear [name], your permit [ref] is ready.',
      sms: { encoding: 'gsm7', segments: 1 },
    });
    expect(placeholders.body.notice.message).toContain('[gsm7, 1 part(s)]');
  });

  it("keeps agency staff to their own agency's notifications, with recipients masked", async () => {
    const mine = await sms(eServiceA, '+97333100001');
    const theirs = await sms(eServiceB, '+97333100002');
    const agent = await signIn('editor@a.test');
    const list = await agent
      .get(`/admin/api/resources/Notification/actions/list?perPage=500&filters.agencyId=${agencyB}`)
      .expect(200);
    const ids = (list.body.records as { id: string }[]).map((r) => r.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(JSON.stringify(list.body)).not.toMatch(/97333100001|recipientCipher|contentCipher/);
    const shown = await agent
      .get(`/admin/api/resources/Notification/records/${mine.id}/show`)
      .expect(200);
    expect(shown.body.record.params.recipient).toBe('+973****01');
    const other = await agent.get(`/admin/api/resources/Notification/records/${theirs.id}/show`);
    expect(other.body.record?.params?.id).toBeUndefined();
  });

  it('lists bulk jobs with their progress, to their agency only, and lets an operator cancel one', async () => {
    const job = await t.get(BulkJobService).createFromRows(eServiceA, {
      templateId,
      scheduledFor: new Date(Date.now() + 3600_000).toISOString(),
      rows: [1, 2].map((i) => ({
        to: `+9733320000${i}`,
        personalisation: { name: `n${i}`, ref: `r${i}` },
      })),
    });
    const editorA = await signIn('editor@a.test');
    const list = await editorA.get('/admin/api/resources/NotifyJob/actions/list').expect(200);
    const listed = (list.body.records as { id: string; params: Record<string, unknown> }[]).find(
      (r) => r.id === job.id,
    );
    expect(listed?.params).toMatchObject({
      status: 'scheduled',
      rowCount: 2,
      progress: 'pending 2 · sending 0 · sent 0 · failed 0 · cancelled 0',
    });
    // The show page adds the job's notifications per delivery status (none yet: scheduled).
    const shown = await editorA
      .get(`/admin/api/resources/NotifyJob/records/${job.id}/show`)
      .expect(200);
    expect(shown.body.record.params).toMatchObject({
      progress: 'pending 2 · sending 0 · sent 0 · failed 0 · cancelled 0',
      delivery: '—',
    });
    const editorB = await signIn('editor@b.test');
    const hidden = await editorB.get('/admin/api/resources/NotifyJob/actions/list').expect(200);
    expect((hidden.body.records as { id: string }[]).map((r) => r.id)).not.toContain(job.id);
    // Cancelling is an operator's act: the editor is refused, the operator's is audited.
    await editorA.post(`/admin/api/resources/NotifyJob/records/${job.id}/cancel`);
    expect((await t.get(BulkJobService).get(t.admin, job.id)).status).toBe('scheduled');
    const operator = await signIn('operator@iga.test');
    const res = await operator
      .post(`/admin/api/resources/NotifyJob/records/${job.id}/cancel`)
      .expect(200);
    expect(res.body.notice).toEqual({
      message: 'Job cancelled: 2 row(s) will not be sent',
      type: 'success',
    });
    expect(await audits('notify_job.cancel', job.id)).toHaveLength(1);
  });

  it('shows callbacks (status, attempts, next retry) without their body, and replays one for an operator', async () => {
    const { id: notificationId } = await sms(eServiceA, '+97333100003');
    const [cb] = await t.db.query<{ id: string }>(
      `INSERT INTO delivery_callback (api_client_id, notification_id, payload, status, attempts, next_attempt_at, last_status_code, last_error)
       VALUES ($1, $2, $3, 'failed', 9, now(), 503, 'HTTP 503') RETURNING id`,
      [eServiceA.id, notificationId, JSON.stringify({ id: notificationId, to: '+97333100003' })],
    );
    const auditor = await signIn('auditor@iga.test');
    const list = await auditor
      .get('/admin/api/resources/DeliveryCallback/actions/list')
      .expect(200);
    const row = (list.body.records as { id: string; params: Record<string, unknown> }[]).find(
      (r) => r.id === cb.id,
    );
    expect(row?.params).toMatchObject({ status: 'failed', attempts: 9, lastStatusCode: 503 });
    expect(row?.params.nextAttemptAt).toBeTruthy();
    expect(JSON.stringify(list.body)).not.toContain('97333100003');
    // An auditor reads but may not replay.
    await auditor.post(`/admin/api/resources/DeliveryCallback/records/${cb.id}/replay`);
    expect(await audits('notify_callback.replay', cb.id)).toHaveLength(0);
    const operator = await signIn('operator@iga.test');
    const replayed = await operator
      .post(`/admin/api/resources/DeliveryCallback/records/${cb.id}/replay`)
      .expect(200);
    expect(replayed.body.notice.type).toBe('success');
    expect(JSON.stringify(replayed.body)).not.toContain('97333100003');
    expect(await audits('notify_callback.replay', cb.id)).toHaveLength(1);
    const [after] = await t.db.query<{ status: string }>(
      'SELECT status FROM delivery_callback WHERE id = $1',
      [cb.id],
    );
    expect(after.status).not.toBe('failed');
  });

  it('resends a failed notification as a new one through the core, for operators only, audited', async () => {
    const { id } = await t.get(NotificationSender).send({
      actor: eServiceA,
      channel: 'sms',
      to: '+97333100004',
      lang: 'en',
      templateId,
      personalisation: { name: 'Ali', ref: 'R-9' },
      reference: 'case-42',
    });
    await t.db.query(
      "UPDATE notification SET status = 'permanent_failure', dispatch_due_at = NULL WHERE id = $1",
      [id],
    );
    const count = async () =>
      Number(
        (
          await t.db.query<{ n: string }>(
            "SELECT count(*) AS n FROM notification WHERE reference = 'case-42'",
          )
        )[0].n,
      );
    for (const who of ['editor@a.test', 'auditor@iga.test']) {
      const agent = await signIn(who);
      const refused = await agent.post(`/admin/api/resources/Notification/records/${id}/resend`);
      expect(refused.body.notice?.type).not.toBe('success');
    }
    expect(await count()).toBe(1);
    expect(await audits('notifications.resend', id)).toHaveLength(0);

    const operator = await signIn('operator@iga.test');
    const res = await operator
      .post(`/admin/api/resources/Notification/records/${id}/resend`)
      .expect(200);
    expect(res.body.notice.message).toMatch(/^Sent again as notification [0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/97333100004|recipientCipher|contentCipher/);
    const newId = res.body.notice.message.split(' ').pop() as string;
    const [fresh] = await t.db.query<{ status: string; recipient_hash: string; agency_id: string }>(
      'SELECT status, recipient_hash, agency_id FROM notification WHERE id = $1',
      [newId],
    );
    const [old] = await t.db.query<{ recipient_hash: string }>(
      'SELECT recipient_hash FROM notification WHERE id = $1',
      [id],
    );
    expect(fresh).toMatchObject({ recipient_hash: old.recipient_hash, agency_id: agencyA });
    expect(['accepted', 'queued']).toContain(fresh.status);
    expect(await count()).toBe(2);
    const [entry] = await audits('notifications.resend', id);
    expect(entry.details).toEqual({ newNotificationId: newId });

    // A notification that did not fail is not resent.
    const { id: queued } = await sms(eServiceA, '+97333100005');
    const again = await operator.post(`/admin/api/resources/Notification/records/${queued}/resend`);
    expect(again.body.notice.type).toBe('error');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/platform/auth/roles.js';
import { StaffService } from '../../src/platform/auth/staff.service.js';
import { NotificationSender } from '../../src/modules/notifications/services/notification-sender.js';
import { makeAgency, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

/**
 * A Diwan started with no SMSC and no mail relay (zero-config): notifications are accepted
 * and wait in the queue, health says so, and nothing pretends to be delivered. The back
 * office manages templates through the service and never shows a recipient in a list.
 */
describe('notifications with no provider configured, and in the back office', () => {
  let t: TestApp;
  let agencyId: string;
  let actor: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    agencyId = (await makeAgency(t)).id;
    actor = {
      type: 'api_client',
      id: '00000000-0000-4000-8000-0000000000d1',
      label: 'e-service',
      agencyId,
      scopes: ['notifications:send'],
    };
  });
  afterAll(() => t.close());

  const signIn = async (email = TEST_ADMIN.email, password = TEST_ADMIN.password) => {
    const agent = t.http();
    await agent.post('/admin/login').field('email', email).field('password', password).expect(302);
    return agent;
  };

  it('says on /health/notifications that neither provider is configured', async () => {
    const res = await t.http().get('/health/notifications').expect(200);
    expect(res.body).toMatchObject({
      sms: { status: 'not-configured', smscs: [] },
      email: { status: 'not-configured' },
    });
  });

  it('accepts and queues notifications without faking a delivery', async () => {
    const sender = t.get(NotificationSender);
    const { id } = await sender.sendDirect({
      channel: 'sms',
      to: '+97333123456',
      lang: 'ar',
      body: 'رمز التحقق 123456',
      priority: 'otp',
      actor,
    });
    const deadline = Date.now() + 5000;
    let status = '';
    while (Date.now() < deadline && status !== 'queued') {
      [{ status }] = await t.db.query<{ status: string }>(
        'SELECT status FROM notification WHERE id = $1',
        [id],
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [row] = await t.db.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM notification WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'queued', attempts: 0 });
    const res = await t.http().get('/health/notifications').expect(200);
    expect(res.body.sms.waiting).toBeGreaterThanOrEqual(1);
  });

  it('lets an admin create a bilingual template and preview it, recorded as version 1', async () => {
    const agent = await signIn();
    const res = await agent
      .post('/admin/api/resources/NotificationTemplate/actions/new')
      .field('agencyId', agencyId)
      .field('channel', 'sms')
      .field('code', 'appointment')
      .field('name', 'Appointment reminder')
      .field('bodyAr', 'موعدك يوم ((date)) يا ((name))')
      .field('bodyEn', 'Your appointment is on ((date)), ((name))')
      .expect(200);
    const id = res.body.record.id as string;
    expect(res.body.record.params).toMatchObject({ code: 'appointment', currentVersion: 1 });
    const preview = await agent
      .post(`/admin/api/resources/NotificationTemplate/records/${id}/preview`)
      .expect(200);
    expect(preview.body.notice.message).toContain('موعدك يوم [date] يا [name]');
    expect(preview.body.notice.message).toContain('Your appointment is on [date], [name]');
  });

  it('refuses a template whose languages have different placeholders, naming the field', async () => {
    const agent = await signIn();
    const res = await agent
      .post('/admin/api/resources/NotificationTemplate/actions/new')
      .field('agencyId', agencyId)
      .field('channel', 'sms')
      .field('code', 'broken')
      .field('name', 'Broken')
      .field('bodyAr', 'مرحبا ((name))')
      .field('bodyEn', 'Hello ((name)) ((ref))');
    expect(JSON.stringify(res.body)).toContain('((ref))');
    const rows = await t.db.query("SELECT 1 FROM notification_template WHERE code = 'broken'");
    expect(rows).toHaveLength(0);
  });

  it('keeps template writes from an operator', async () => {
    await t.get(StaffService).create(t.admin, {
      email: 'operator@notify.test',
      name: 'Operator',
      role: 'operator',
      password: 'operator password 1',
    });
    const agent = await signIn('operator@notify.test', 'operator password 1');
    const res = await agent
      .post('/admin/api/resources/NotificationTemplate/actions/new')
      .field('agencyId', agencyId)
      .field('channel', 'sms')
      .field('code', 'by-operator')
      .field('name', 'x')
      .field('bodyAr', 'x')
      .field('bodyEn', 'x');
    expect(res.body.record?.params?.code).toBeUndefined();
    expect(
      await t.db.query("SELECT 1 FROM notification_template WHERE code = 'by-operator'"),
    ).toEqual([]);
  });

  it('lists notifications without recipients or content, and masks the recipient on show', async () => {
    const { id } = await t.get(NotificationSender).sendDirect({
      channel: 'email',
      to: 'private.person@example.bh',
      lang: 'en',
      subject: 'Secret subject',
      body: 'Secret body',
      priority: 'transactional',
      actor,
    });
    const agent = await signIn();
    const list = await agent.get('/admin/api/resources/Notification/actions/list').expect(200);
    const listed = JSON.stringify(list.body);
    expect(listed).toContain(id);
    expect(listed).not.toMatch(/private\.person|Secret|recipientCipher|contentCipher|v1\./);
    const shown = await agent
      .get(`/admin/api/resources/Notification/records/${id}/show`)
      .expect(200);
    expect(shown.body.record.params.recipient).toBe('p***@example.bh');
    expect(JSON.stringify(shown.body)).not.toMatch(/private\.person|Secret|v1\./);
  });
});

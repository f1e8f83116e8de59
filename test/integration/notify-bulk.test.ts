import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock } from '../../src/platform/clock.js';
import { TemplateService } from '../../src/modules/notifications/services/template.service.js';
import { ApiClientService } from '../../src/platform/auth/api-client.service.js';
import { BulkJobService } from '../../src/modules/notify/bulk/services/bulk-job.service.js';
import { NotifySendService } from '../../src/modules/notify/services/notify-send.service.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Bahraini mobile numbers 3xxxxxxx, distinct per i. */
const mobile = (i: number) => `+9733${String(1_000_000 + i).padStart(7, '0')}`;

describe('bulk jobs: /v1/notifications/jobs', () => {
  let t: TestApp;
  let smsc: TestSmsc;
  let key: string;
  let clientId: string;
  let otherKey: string;
  let templateId: string;
  let emailTemplateId: string;

  const api = () => ({
    post: (path: string) =>
      t.http().post(`/v1/notifications/jobs${path}`).set('Authorization', `Bearer ${key}`),
    get: (path: string) =>
      t.http().get(`/v1/notifications/jobs${path}`).set('Authorization', `Bearer ${key}`),
  });
  const upload = (csv: string | Buffer, fields: Record<string, string> = {}) => {
    const req = api()
      .post('/csv')
      .field('templateId', fields.templateId ?? templateId);
    for (const [k, v] of Object.entries(fields)) if (k !== 'templateId') req.field(k, v);
    return req.attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv), {
      filename: 'recipients.csv',
      contentType: 'text/csv',
    });
  };
  const jobRows = async () =>
    Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM notify_job'))[0].n);

  beforeAll(async () => {
    smsc = await startTestSmsc({ messageIdPrefix: 'K' });
    t = await startTestApp({
      SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smsc.port}?id=k`,
      SMS_SENDER_ID: 'eGov',
      NOTIFY_BULK_CHUNK_ROWS: '2',
    });
    const agency = await makeAgency(t);
    const other = await makeAgency(t);
    const client = await makeApiClient(t, agency.id, ['notifications:send']);
    key = client.apiKey;
    clientId = client.client.id;
    otherKey = (await makeApiClient(t, other.id, ['notifications:send'])).apiKey;
    const templates = t.get(TemplateService);
    templateId = (
      await templates.create(t.admin, {
        agencyId: agency.id,
        channel: 'sms',
        code: 'renewal',
        name: 'Renewal',
        ar: { body: 'عزيزي ((name))، موعد التجديد ((date)).' },
        en: { body: 'Dear ((name)), your renewal is on ((date)).' },
      })
    ).template.id;
    emailTemplateId = (
      await templates.create(t.admin, {
        agencyId: agency.id,
        channel: 'email',
        code: 'renewal-mail',
        name: 'Renewal mail',
        ar: { subject: 'تجديد', body: 'عزيزي ((name))' },
        en: { subject: 'Renewal', body: 'Dear ((name))' },
      })
    ).template.id;
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smsc.close();
  });

  it('delivers a 3-row job to the SMSC and counts its rows per status', async () => {
    const res = await api()
      .post('')
      .send({
        templateId,
        lang: 'en',
        rows: [0, 1, 2].map((i) => ({
          to: mobile(i),
          personalisation: { name: `Person ${i}`, date: '1 Dec' },
        })),
      })
      .expect(201);
    expect(res.body).toMatchObject({ rowCount: 3, channel: 'sms', lang: 'en' });
    const id = res.body.id as string;
    const done = await until(async () => {
      const job = (await api().get(`/${id}`).expect(200)).body;
      return job.status === 'finished' && job;
    });
    expect(done.counts).toEqual({ pending: 0, sending: 0, sent: 3, failed: 0, cancelled: 0 });
    await until(async () => smsc.submitted().length >= 3);
    expect(
      smsc
        .submitted()
        .map((s) => s.destination)
        .sort(),
    ).toEqual([0, 1, 2].map((i) => mobile(i).slice(1)).sort());
    expect(smsc.submitted().map((s) => s.text)).toContain(
      'Dear Person 1, your renewal is on 1 Dec.',
    );

    // Delivery status of the job's notifications: all handed to the SMSC, then the receipts.
    const sent = await until(async () => {
      const job = (await api().get(`/${id}`).expect(200)).body;
      return job.delivery.byStatus.sent === 3 && job;
    });
    expect(sent.delivery.byNotifyStatus).toMatchObject({ sending: 3, delivered: 0 });
    const byDestination = new Map(smsc.submitted().map((s) => [s.destination, s.messageId]));
    await smsc.sendReceipt(byDestination.get(mobile(0).slice(1))!, 'DELIVRD');
    await smsc.sendReceipt(byDestination.get(mobile(1).slice(1))!, 'DELIVRD');
    await smsc.sendReceipt(byDestination.get(mobile(2).slice(1))!, 'UNDELIV');
    const receipted = await until(async () => {
      const job = (await api().get(`/${id}`).expect(200)).body;
      return job.delivery.byStatus.delivered + job.delivery.byStatus.permanent_failure === 3 && job;
    });
    expect(receipted.delivery).toEqual({
      byStatus: {
        accepted: 0,
        queued: 0,
        sending: 0,
        sent: 0,
        delivered: 2,
        temporary_failure: 0,
        permanent_failure: 1,
        technical_failure: 0,
        cancelled: 0,
      },
      byNotifyStatus: {
        created: 0,
        sending: 0,
        delivered: 2,
        'permanent-failure': 1,
        'temporary-failure': 0,
        'technical-failure': 0,
        cancelled: 0,
      },
    });
    // Rows keep their own view: all three became notifications.
    expect(receipted.counts).toEqual({ pending: 0, sending: 0, sent: 3, failed: 0, cancelled: 0 });
    // Lists give rows per state only (delivery counts are read per job).
    const listed = (await api().get('').expect(200)).body as Array<Record<string, unknown>>;
    expect(listed.find((j) => j.id === id)).toMatchObject({ delivery: null });

    // A replayed chunk (a queue retry, a second worker) sends nothing twice.
    await t.get(BulkJobService).runChunk(id);
    await t.get(BulkJobService).runChunk(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smsc.submitted()).toHaveLength(3);

    // Stored encrypted: no phone number or name in clear; content wiped once sent.
    const rows = await t.db.query<Record<string, unknown>>(
      'SELECT * FROM notify_job_row WHERE job_id = $1',
      [id],
    );
    expect(rows.every((r) => r.content_cipher === null && r.notification_id)).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/Person|97331000/);
  });

  it('refuses a CSV with one bad row whole, naming every bad row and field', async () => {
    const before = await jobRows();
    const res = await upload(
      [
        'Phone Number,name,date,notes',
        `${mobile(10)},Ali,1 Dec,ignored`,
        '12345,Sara,2 Dec,',
        `${mobile(12)},,3 Dec,`,
        `${mobile(10)},Ali,1 Dec,same person again`,
      ].join('\n'),
    ).expect(400);
    expect(res.body.code).toBe('NOTIFY_BULK_ROWS_INVALID');
    expect(res.body.errorCount).toBe(3);
    const fields = (res.body.errors as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(['rows[2].to', 'rows[3].personalisation.name', 'rows[4].to']);
    expect(res.body.errors[0].message).toContain('line 3');
    expect(res.body.errors[2].message).toContain('row 1');
    expect(await jobRows()).toBe(before);
    expect(JSON.stringify(res.body)).not.toContain('97331000010');
  });

  it('refuses a CSV whose header lacks a placeholder column or the recipient column', async () => {
    const res = await upload('phone number,name\n+97333111111,Ali\n').expect(400);
    expect(res.body.code).toBe('NOTIFY_BULK_CSV_INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['header.date']);
    const noRecipient = await upload('email address,name,date\na@b.bh,A,B\n').expect(400);
    expect(noRecipient.body.errors[0].field).toBe('header');
  });

  it('refuses JSON rows with unknown fields, bad types, or no rows at all', async () => {
    const res = await api()
      .post('')
      .send({ templateId, rows: [{ phone: mobile(1), personalisation: { name: 1, date: {} } }] })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[0].phone',
      'rows[0].personalisation.date',
    ]);
    expect((await api().post('').send({ templateId, rows: [] }).expect(400)).body.code).toBe(
      'NOTIFY_BULK_NO_ROWS',
    );
  });

  it('schedules a job to the minute, refuses the past and beyond the horizon, and cancels it', async () => {
    const rows = [{ to: mobile(20), personalisation: { name: 'N', date: 'D' } }];
    const past = await api()
      .post('')
      .send({ templateId, rows, scheduledFor: new Date(Date.now() - 60_000).toISOString() })
      .expect(400);
    expect(past.body.errors[0].field).toBe('scheduledFor');
    await api()
      .post('')
      .send({ templateId, rows, scheduledFor: new Date(Date.now() + 8 * 86_400_000).toISOString() })
      .expect(400);
    const at = new Date(Date.now() + 3 * 3600_000);
    at.setUTCSeconds(42, 123);
    const created = await api()
      .post('')
      .send({ templateId, rows, scheduledFor: at.toISOString() })
      .expect(201);
    const expected = new Date(at);
    expected.setUTCSeconds(0, 0);
    expect(created.body).toMatchObject({
      status: 'scheduled',
      scheduledFor: expected.toISOString(),
    });
    const id = created.body.id as string;
    // Not due: a worker that picks it up early leaves it alone.
    await t.get(BulkJobService).runChunk(id);
    expect((await api().get(`/${id}`)).body.counts.pending).toBe(1);

    const cancelled = await api().post(`/${id}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      counts: { pending: 0, cancelled: 1 },
    });
    expect((await api().post(`/${id}/cancel`).expect(409)).body.code).toBe(
      'NOTIFY_BULK_JOB_NOT_CANCELLABLE',
    );
    const audit = await t.db.query<{ action: string }>(
      'SELECT action FROM audit_event WHERE object_id = $1 ORDER BY seq',
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(['notify_job.create', 'notify_job.cancel']);
  });

  it('starts a scheduled job at its minute, even when its delayed queue job was lost (restart)', async () => {
    const clock = t.get(Clock);
    const at = new Date(Date.now() + 3600_000);
    const created = await api()
      .post('')
      .send({
        templateId,
        lang: 'ar',
        scheduledFor: at.toISOString(),
        rows: [30, 31, 32].map((i) => ({
          to: mobile(i),
          personalisation: { name: `ن${i}`, date: 'غدا' },
        })),
      })
      .expect(201);
    const id = created.body.id as string;
    const sut = t.get(BulkJobService);
    expect(await sut.sweep()).toBe(0); // not yet due
    const realNow = clock.now.bind(clock);
    clock.now = () => new Date(realNow().getTime() + 3600_000 + 60_000);
    try {
      // As after a restart with an in-process queue: only the sweeper knows the job is due.
      expect(await sut.sweep()).toBeGreaterThanOrEqual(1);
      const done = await until(async () => {
        const job = (await api().get(`/${id}`)).body;
        return job.status === 'finished' && job;
      });
      expect(done.counts.sent).toBe(3);
    } finally {
      clock.now = realNow;
    }
  });

  it('sends a row once when its worker died after the send path took it but before recording', async () => {
    const clock = t.get(Clock);
    const created = await api()
      .post('')
      .send({
        templateId,
        lang: 'en',
        scheduledFor: new Date(Date.now() + 3600_000).toISOString(),
        rows: [50, 51].map((i) => ({
          to: mobile(i),
          personalisation: { name: `C${i}`, date: 'd' },
        })),
      })
      .expect(201);
    const id = created.body.id as string;
    const toRow50 = mobile(50).slice(1);
    const sut = t.get(BulkJobService);
    const realNow = clock.now.bind(clock);
    try {
      clock.now = () => new Date(realNow().getTime() + 3600_000 + 60_000);
      // The dead worker: it claimed both rows and handed row 1 to the send path, then died.
      await t.db.query(
        "UPDATE notify_job SET status = 'in_progress', started_at = now(), last_chunk_at = now() WHERE id = $1",
        [id],
      );
      await t.db.query(
        "UPDATE notify_job_row SET status = 'sending', claimed_at = now() WHERE job_id = $1",
        [id],
      );
      const actor = await t.get(ApiClientService).actorFor(clientId);
      if (actor?.type !== 'api_client') throw new Error('the API client is gone');
      await t.get(NotifySendService).send({
        actor,
        keyType: 'live',
        channel: 'sms',
        to: mobile(50),
        templateId,
        personalisation: { name: 'C50', date: 'd' },
        lang: 'en',
        jobId: id,
        jobRow: 1,
      });
      await until(async () => smsc.submitted().some((s) => s.destination === toRow50));
      // Ten minutes later the sweeper gives the claims back and the job runs again.
      clock.now = () => new Date(realNow().getTime() + 3600_000 + 12 * 60_000);
      await sut.sweep();
      const done = await until(async () => {
        const job = (await api().get(`/${id}`)).body;
        return job.status === 'finished' && job;
      });
      expect(done.counts).toMatchObject({ sent: 2, sending: 0, pending: 0 });
      await until(async () => smsc.submitted().some((s) => s.destination === mobile(51).slice(1)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(smsc.submitted().filter((s) => s.destination === toRow50)).toHaveLength(1);
    } finally {
      clock.now = realNow;
    }
  });

  it("hides a job from another agency's client: read and cancel are 404", async () => {
    const created = await api()
      .post('')
      .send({
        templateId,
        scheduledFor: new Date(Date.now() + 3600_000).toISOString(),
        rows: [{ to: mobile(40), personalisation: { name: 'x', date: 'y' } }],
      })
      .expect(201);
    const id = created.body.id as string;
    const as = (k: string) => ({ Authorization: `Bearer ${k}` });
    expect(
      (await t.http().get(`/v1/notifications/jobs/${id}`).set(as(otherKey)).expect(404)).body.code,
    ).toBe('NOTIFY_BULK_JOB_NOT_FOUND');
    await t.http().post(`/v1/notifications/jobs/${id}/cancel`).set(as(otherKey)).expect(404);
    const list = await t.http().get('/v1/notifications/jobs').set(as(otherKey)).expect(200);
    expect(list.body).toEqual([]);
    expect((await api().get('').expect(200)).body.map((j: { id: string }) => j.id)).toContain(id);
    // Nor may it use the agency's template.
    await t
      .http()
      .post('/v1/notifications/jobs')
      .set(as(otherKey))
      .send({ templateId, rows: [{ to: mobile(41), personalisation: { name: 'x', date: 'y' } }] })
      .expect(403);
  });

  it('accepts and validates a 100,000-row CSV, and refuses 100,001 rows', async () => {
    const lines = ['phone number,name,date'];
    for (let i = 0; i < 100_000; i++)
      lines.push(`${mobile(100_000 + i)},Citizen ${i},${(i % 28) + 1} Dec`);
    const csv = Buffer.from(lines.join('\n') + '\n');
    const started = performance.now();
    const res = await upload(csv, {
      scheduledFor: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    }).expect(201);
    const ms = performance.now() - started;
    expect(res.body).toMatchObject({ rowCount: 100_000, status: 'scheduled' });
    expect(res.body.counts.pending).toBe(100_000);
    console.log(
      `100,000-row CSV (${(csv.length / 1e6).toFixed(1)} MB) accepted in ${(ms / 1000).toFixed(2)} s`,
    );
    const cancelled = await api().post(`/${res.body.id}/cancel`).expect(200);
    expect(cancelled.body.counts.cancelled).toBe(100_000);

    const tooMany = Buffer.concat([csv, Buffer.from(`${mobile(999_999)},One more,1 Jan\n`)]);
    const before = await jobRows();
    const refused = await upload(tooMany).expect(413);
    expect(refused.body.code).toBe('NOTIFY_BULK_TOO_MANY_ROWS');
    expect(await jobRows()).toBe(before);
  }, 240_000);

  it('refuses a request without a key (401) or without the notifications:send scope (403)', async () => {
    const body = {
      templateId,
      rows: [{ to: mobile(60), personalisation: { name: 'a', date: 'b' } }],
    };
    await t.http().post('/v1/notifications/jobs').send(body).expect(401);
    const agencyId = (
      await t.db.query<{ agency_id: string }>('SELECT agency_id FROM api_client WHERE id = $1', [
        clientId,
      ])
    )[0].agency_id;
    const reader = (await makeApiClient(t, agencyId, ['payments:read'])).apiKey;
    const res = await t
      .http()
      .post('/v1/notifications/jobs')
      .set('Authorization', `Bearer ${reader}`)
      .send(body)
      .expect(403);
    expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('checks email rows against the email template', async () => {
    const res = await upload('email address,name\nnot-an-email,A\n', {
      templateId: emailTemplateId,
    }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'rows[1].to', reason: 'format' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/platform/auth/roles.js';
import type { BullQueues } from '../../src/platform/queue/bull-queues.js';
import { JobQueues } from '../../src/platform/queue/job-queues.js';
import { DeliveryService } from '../../src/modules/notifications/services/delivery.service.js';
import {
  NOTIFICATION_QUEUES,
  type DeliveryJob,
} from '../../src/modules/notifications/services/notification-dispatcher.js';
import { NotificationSender } from '../../src/modules/notifications/services/notification-sender.js';
import { NotificationSweeper } from '../../src/modules/notifications/services/notification-sweeper.js';
import { startTestSmsc, type TestSmsc } from '../support/smsc.js';
import { makeAgency, startTestApp, type TestApp } from '../support/test-app.js';

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

const MINUTE = 60_000;

/**
 * What happens when things die at the wrong moment: the queue loses jobs (Redis flushed, or
 * the process stopped between commit and enqueue), or the worker is killed while the SMSC
 * already has the message.
 */
describe('notification delivery survives crashes and lost queues', () => {
  let t: TestApp;
  let smsc: TestSmsc;
  let sut: NotificationSender;
  let sweeper: NotificationSweeper;
  let queues: JobQueues;
  let actor: Actor;

  const statuses = async (ids: string[]) =>
    (
      await t.db.query<{ status: string }>(
        'SELECT status FROM notification WHERE id = ANY($1) ORDER BY status',
        [ids],
      )
    ).map((r) => r.status);
  const received = (prefix: string) =>
    smsc
      .submitted()
      .filter((p) => p.text.startsWith(prefix))
      .map((p) => p.text);
  const sendMany = async (prefix: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (
          await sut.sendDirect({
            channel: 'sms',
            to: '+97336000000',
            lang: 'en',
            body: `${prefix} ${i}`,
            priority: 'transactional',
            actor,
          })
        ).id,
      );
    return ids;
  };
  /** Makes the queue drop every job it is given, as a Redis flush would. */
  const losingJobs = async <T>(work: () => Promise<T>): Promise<T> => {
    const { add, addBulk } = queues;
    queues.add = () => Promise.reject(new Error('Redis connection lost'));
    queues.addBulk = () => Promise.reject(new Error('Redis connection lost'));
    try {
      return await work();
    } finally {
      queues.add = add;
      queues.addBulk = addBulk;
    }
  };

  beforeAll(async () => {
    smsc = await startTestSmsc();
    t = await startTestApp({
      SMPP_CONNECTIONS: `smpp://diwan:secret@127.0.0.1:${smsc.port}?id=a`,
      NOTIFICATIONS_SWEEP_INTERVAL_SECONDS: '3600',
      NOTIFICATIONS_OUTBOX_STALE_SECONDS: '120',
      NOTIFICATIONS_SENDING_LEASE_SECONDS: '300',
    });
    sut = t.get(NotificationSender);
    sweeper = t.get(NotificationSweeper);
    queues = t.get(JobQueues);
    const agency = await makeAgency(t);
    actor = {
      type: 'api_client',
      id: '00000000-0000-4000-8000-0000000000f1',
      label: 'e-service',
      agencyId: agency.id,
      scopes: ['notifications:send'],
    };
  });

  afterAll(async () => {
    await t?.close();
    await smsc?.close();
  });

  it('keeps notifications accepted when the queue is unreachable, and the sweeper delivers them', async () => {
    const ids = await losingJobs(() => sendMany('Lost enqueue', 5));
    expect(await statuses(ids)).toEqual(Array(5).fill('accepted'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received('Lost enqueue')).toEqual([]);

    // Not yet stale: the sweeper leaves them alone (the queue may still be about to run them).
    expect(await sweeper.requeueStale(new Date())).toBe(0);
    expect(await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE))).toBe(5);
    await until(async () => (await statuses(ids)).every((s) => s === 'sent'));
    expect(received('Lost enqueue').sort()).toEqual(
      Array.from({ length: 5 }, (_, i) => `Lost enqueue ${i}`).sort(),
    );
  });

  it('loses no accepted notification when the queue is flushed before the worker ran them', async () => {
    let ids: string[];
    if (queues.mode === 'bull') {
      // Real Redis: stop this worker taking jobs, accept, then wipe the queue's keys.
      const queue = (queues as BullQueues).queue(NOTIFICATION_QUEUES.sms);
      await queue.pause(true, true);
      ids = await sendMany('Flushed', 6);
      await until(async () => (await statuses(ids)).every((s) => s === 'queued'));
      expect((await queue.getJobCounts()).waiting).toBe(6);
      await queue.obliterate({ force: true });
      expect((await queue.getJobCounts()).waiting).toBe(0);
      await queue.resume(true);
    } else {
      // In-process queue: the same loss, as a restart of the process would cause.
      ids = await losingJobs(() => sendMany('Flushed', 6));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received('Flushed')).toEqual([]);
    expect(await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE))).toBe(6);
    await until(async () => (await statuses(ids)).every((s) => s === 'sent'));
    expect(received('Flushed')).toHaveLength(6);
    expect(new Set(received('Flushed')).size).toBe(6);
  });

  it('does not send again when the worker is killed after the SMSC accepted and before it recorded that', async () => {
    const [id] = await losingJobs(() => sendMany('Killed worker', 1));
    const delivery = t.get(DeliveryService);
    // The worker claims and the SMSC accepts...
    const claimed = await delivery.claim(id);
    expect(claimed).not.toBeNull();
    // The claim takes the outbox mark with it: from here only the stalled-send sweep looks.
    const [mark] = await t.db.query<{ status: string; dispatch_due_at: Date | null }>(
      'SELECT status, dispatch_due_at FROM notification WHERE id = $1',
      [id],
    );
    expect(mark).toEqual({ status: 'sending', dispatch_due_at: null });
    const outcome = await delivery.submit(claimed!);
    expect(outcome.kind).toBe('submitted');
    // ...then the process dies: nothing recorded. After the restart the job is replayed and
    // the sweeper runs, before and after the sending lease ran out.
    expect(await delivery.deliver(id)).toBe('skipped');
    await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE));
    expect(await sweeper.resolveStalledSends(new Date())).toBe(0);
    expect(await sweeper.resolveStalledSends(new Date(Date.now() + 6 * MINUTE))).toBe(1);
    expect(await delivery.deliver(id)).toBe('skipped');
    await sweeper.requeueStale(new Date(Date.now() + 10 * MINUTE));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(received('Killed worker')).toEqual(['Killed worker 0']);
    const [n] = await t.db.query<{ status: string; attempts: number; last_error: string }>(
      'SELECT status, attempts, last_error FROM notification WHERE id = $1',
      [id],
    );
    expect(n).toMatchObject({ status: 'technical_failure', attempts: 1 });
    expect(n.last_error).toMatch(/not resent/);
    const attempts = await t.db.query<{ outcome: string }>(
      'SELECT outcome FROM notification_attempt WHERE notification_id = $1',
      [id],
    );
    expect(attempts.map((a) => a.outcome)).toEqual(['outcome_unknown']);
  });

  it('does not send again when the worker is killed after recording and before acknowledging the job', async () => {
    const [id] = await losingJobs(() => sendMany('Recorded', 1));
    const delivery = t.get(DeliveryService);
    expect(await delivery.deliver(id)).toBe('sent');
    // The queue never heard it finished: it runs the job again, and the sweeper looks too.
    expect(await delivery.deliver(id)).toBe('skipped');
    await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE));
    expect(await sweeper.resolveStalledSends(new Date(Date.now() + 6 * MINUTE))).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received('Recorded')).toEqual(['Recorded 0']);
    const [n] = await t.db.query<{ status: string }>(
      'SELECT status FROM notification WHERE id = $1',
      [id],
    );
    expect(n.status).toBe('sent');
  });

  it('sends each notification of a job carrying several once, even when the job runs twice', async () => {
    const ids = await losingJobs(() => sendMany('Batched', 4));
    // The same batch job twice, as a replay after a lost acknowledgement would give.
    const job: DeliveryJob = { ids };
    await queues.add(NOTIFICATION_QUEUES.sms, job, { priority: 5 });
    await queues.add(NOTIFICATION_QUEUES.sms, job, { priority: 5 });
    await until(async () => (await statuses(ids)).every((s) => s === 'sent'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received('Batched').sort()).toEqual(
      Array.from({ length: 4 }, (_, i) => `Batched ${i}`).sort(),
    );
    const attempts = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM notification_attempt WHERE notification_id = ANY($1)',
      [ids],
    );
    expect(Number(attempts[0].n)).toBe(4);
  });

  it('serves one-time passwords before transactional notices before bulk', async () => {
    const order: string[] = [];
    const delivery = t.get(DeliveryService);
    const deliver = delivery.deliver.bind(delivery);
    // Hold the lanes: accept all three kinds while the queue cannot reach the worker.
    const ids = await losingJobs(async () => {
      const out: string[] = [];
      for (const priority of ['bulk', 'transactional', 'otp'] as const)
        for (let i = 0; i < 3; i++)
          out.push(
            (
              await sut.sendDirect({
                channel: 'sms',
                to: '+97336000001',
                lang: 'en',
                body: `Lane ${priority} ${i}`,
                priority,
                actor,
              })
            ).id,
          );
      return out;
    });
    if (queues.mode === 'bull')
      await (queues as BullQueues).queue(NOTIFICATION_QUEUES.sms).pause(true, true);
    delivery.deliver = async (id: string) => {
      order.push(id);
      return deliver(id);
    };
    try {
      if (queues.mode === 'in-process') {
        // One add per job while the worker is busy with none: the queue orders them itself.
        const local = queues as unknown as { q(name: string): { processor?: unknown } };
        const q = local.q(NOTIFICATION_QUEUES.sms);
        const processor = q.processor;
        q.processor = undefined;
        await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE));
        q.processor = processor;
        queues.process(processor as Parameters<JobQueues['process']>[0]);
      } else {
        await sweeper.requeueStale(new Date(Date.now() + 3 * MINUTE));
        await (queues as BullQueues).queue(NOTIFICATION_QUEUES.sms).resume(true);
      }
      await until(async () => (await statuses(ids)).every((s) => s === 'sent'));
    } finally {
      delivery.deliver = deliver;
    }
    const lane = (id: string) => Math.floor(ids.indexOf(id) / 3);
    const lanes = order.filter((id) => ids.includes(id)).map(lane);
    // bulk = 0, transactional = 1, otp = 2: served otp first, bulk last.
    expect(lanes.slice(0, 3)).toEqual([2, 2, 2]);
    expect(lanes.slice(-3)).toEqual([0, 0, 0]);
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BullQueues } from '../../src/platform/queue/bull-queues.js';
import { InProcessQueues } from '../../src/platform/queue/in-process-queues.js';
import {
  type JobQueues,
  PermanentJobError,
  type QueueJob,
} from '../../src/platform/queue/job-queues.js';
import { MemoryRateLimiter, RedisRateLimiter } from '../../src/platform/rate-limit/rate-limiter.js';
import { requestContext } from '../../src/platform/logging/request-context.js';

const logger = pino({ level: 'silent' });
const redisUrl = process.env.REDIS_URL;

function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () =>
      check()
        ? resolve()
        : Date.now() - start > timeoutMs
          ? reject(new Error('timed out'))
          : setTimeout(tick, 20);
    tick();
  });
}

const modes: [string, () => JobQueues][] = [
  ['in-process', () => new InProcessQueues(true, logger)],
];
if (redisUrl)
  modes.push([
    'bull',
    () => new BullQueues(redisUrl, `diwan_t_${randomBytes(4).toString('hex')}`, true, logger),
  ]);
else
  process.stdout.write(
    '[job-queues] REDIS_URL unset: the Bull mode of these tests runs in CI only\n',
  );

describe.each(modes)('job queues (%s): same behaviour in both modes', (_mode, make) => {
  const sut = make();
  afterAll(() => sut.close());

  it('retries a failing job with back-off, then succeeds', async () => {
    const attempts: number[] = [];
    sut.process<{ n: number }>({
      queue: 'flaky',
      concurrency: 1,
      attempts: 3,
      backoffMs: 20,
      handle: async (job) => {
        attempts.push(job.attemptsMade);
        if (job.attemptsMade < 2) throw new Error('try again');
      },
    });
    await sut.add('flaky', { n: 1 });
    await until(() => attempts.length === 3);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('stops at the first permanent error and reports the job as exhausted', async () => {
    const seen: QueueJob<unknown>[] = [];
    let calls = 0;
    sut.process({
      queue: 'doomed',
      concurrency: 1,
      attempts: 5,
      backoffMs: 10,
      handle: async () => {
        calls++;
        throw new PermanentJobError('no point retrying');
      },
      onExhausted: async (job) => {
        seen.push(job);
      },
    });
    await sut.add('doomed', { x: 1 });
    await until(() => seen.length === 1);
    expect(calls).toBe(1);
  });

  it('serves higher priority first when work piles up', async () => {
    const order: string[] = [];
    // Add before a processor exists, so all three wait together.
    await sut.add('lanes', { name: 'bulk' }, { priority: 10 });
    await sut.add('lanes', { name: 'transactional' }, { priority: 5 });
    await sut.add('lanes', { name: 'otp' }, { priority: 1 });
    sut.process<{ name: string }>({
      queue: 'lanes',
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
      handle: async (job) => void order.push(job.data.name),
    });
    await until(() => order.length === 3);
    expect(order).toEqual(['otp', 'transactional', 'bulk']);
  });

  it('does not add a job twice under the same job id while it waits', async () => {
    let runs = 0;
    await sut.add('dedupe', {}, { jobId: 'notification-1', delayMs: 100 });
    await sut.add('dedupe', {}, { jobId: 'notification-1', delayMs: 100 });
    sut.process({
      queue: 'dedupe',
      concurrency: 2,
      attempts: 1,
      backoffMs: 10,
      handle: async () => void runs++,
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(runs).toBe(1);
  });

  it('accepts a job id again once its job has finished', async () => {
    let runs = 0;
    sut.process({
      queue: 'again',
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
      handle: async () => void runs++,
    });
    await sut.add('again', {}, { jobId: 'notification-2' });
    await until(() => runs === 1);
    await new Promise((r) => setTimeout(r, 100));
    await sut.add('again', {}, { jobId: 'notification-2' });
    await until(() => runs === 2);
  });

  it('carries the correlation id of the request into the job', async () => {
    const ids: (string | undefined)[] = [];
    sut.process({
      queue: 'traced',
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
      handle: async (job) => void ids.push(job.correlationId, requestContext.correlationId()),
    });
    await requestContext.run({ correlationId: 'req-42' }, () => sut.add('traced', {}));
    await until(() => ids.length === 2);
    expect(ids).toEqual(['req-42', 'req-42']);
  });
});

describe('rate limits shared by API instances', () => {
  it('counts hits from two instances against one budget (Redis)', async () => {
    if (!redisUrl) {
      // Without Redis each process counts alone, which is what the embedded mode promises.
      const alone = new MemoryRateLimiter();
      expect((await alone.hit('k', 1, 60)).allowed).toBe(true);
      expect((await alone.hit('k', 1, 60)).allowed).toBe(false);
      return;
    }
    const prefix = `diwan_t_${randomBytes(4).toString('hex')}`;
    const a = new Redis(redisUrl);
    const b = new Redis(redisUrl);
    const instanceA = new RedisRateLimiter(a, prefix);
    const instanceB = new RedisRateLimiter(b, prefix);
    try {
      expect((await instanceA.hit('client-1', 3, 60)).allowed).toBe(true);
      expect((await instanceB.hit('client-1', 3, 60)).allowed).toBe(true);
      expect((await instanceA.hit('client-1', 3, 60)).allowed).toBe(true);
      const fourth = await instanceB.hit('client-1', 3, 60);
      expect(fourth.allowed).toBe(false);
      expect(fourth.retryAfter).toBeGreaterThan(0);
      expect(await instanceA.peek('client-1', 60)).toBe(4);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});

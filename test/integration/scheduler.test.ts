import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Scheduler } from '../../src/platform/queue/scheduler.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('scheduled tasks', () => {
  let t: TestApp;
  let sut: Scheduler;
  beforeAll(async () => {
    t = await startTestApp();
    sut = t.get(Scheduler);
  });
  afterAll(() => t.close());

  it('runs a task once at a time, however many workers try', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const work = {
      name: 'test.exclusive',
      leaseMs: 60_000,
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        await new Promise((r) => setTimeout(r, 200));
        running--;
      },
    };
    const results = await Promise.all([sut.runOnce(work), sut.runOnce(work), sut.runOnce(work)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(maxRunning).toBe(1);
  });

  it('records the outcome and error of the last run', async () => {
    await sut.runOnce({
      name: 'test.failing',
      leaseMs: 60_000,
      run: async () => Promise.reject(new Error('disk full')),
    });
    const [row] = await t.db.query<{
      last_outcome: string;
      last_error: string;
      leased_until: Date | null;
    }>(
      "SELECT last_outcome, last_error, leased_until FROM scheduled_task WHERE name = 'test.failing'",
    );
    expect(row).toMatchObject({
      last_outcome: 'failure',
      last_error: 'disk full',
      leased_until: null,
    });
    // The lease is released, so the next run may go ahead.
    expect(
      await sut.runOnce({ name: 'test.failing', leaseMs: 60_000, run: async () => undefined }),
    ).toBe(true);
  });
});

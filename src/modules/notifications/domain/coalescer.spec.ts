import { describe, expect, it } from '@jest/globals';
import { Coalescer, type CoalescerOptions } from './coalescer.js';

describe('Coalescer', () => {
  it('runs calls made together as one batch and answers each caller', async () => {
    const batches: number[][] = [];
    const sut = new Coalescer<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    });
    expect(await Promise.all([1, 2, 3].map((i) => sut.submit(i)))).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at the batch size and rejects every caller of a failed batch', async () => {
    const batches: number[][] = [];
    const sut = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        if (items.includes(3)) throw new Error('boom');
        return items;
      },
      { maxBatch: 2 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => sut.submit(i)));
    expect(batches).toEqual([[1, 2], [3]]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  describe('with a linger', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** A coalescer that echoes its items and keeps the batches it ran. */
    const recording = (options: CoalescerOptions) => {
      const batches: number[][] = [];
      const sut = new Coalescer<number, number>(async (items) => {
        batches.push(items);
        return items;
      }, options);
      return { sut, batches };
    };

    it('gathers calls made within the linger into one batch, and no later ones', async () => {
      // Long enough that a busy machine's event loop cannot outlast it between the two calls.
      const { sut, batches } = recording({ lingerMs: 300 });
      const first = sut.submit(1);
      await sleep(10);
      const second = sut.submit(2);
      expect(batches).toEqual([]); // still lingering
      await Promise.all([first, second]);
      await sut.submit(3);
      expect(batches).toEqual([[1, 2], [3]]);
    });

    it('sends at once, with what is waiting, when a call is urgent', async () => {
      const { sut, batches } = recording({ lingerMs: 60_000 });
      const started = Date.now();
      expect(await Promise.all([sut.submit(1), sut.submit(2, true)])).toEqual([1, 2]);
      expect(batches).toEqual([[1, 2]]);
      expect(Date.now() - started).toBeLessThan(1_000); // the minute-long linger was not waited
      await sut.submit(3, true); // nothing of the overtaken linger is left to fire later
      expect(batches).toEqual([[1, 2], [3]]);
    });

    it('sends a full batch without waiting', async () => {
      const { sut, batches } = recording({ lingerMs: 60_000, maxBatch: 2 });
      await Promise.all([sut.submit(1), sut.submit(2)]);
      expect(batches).toEqual([[1, 2]]);
    });
  });
});

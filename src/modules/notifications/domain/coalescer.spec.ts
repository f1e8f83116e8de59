import { describe, expect, it } from '@jest/globals';
import { Coalescer } from './coalescer.js';

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
    const sut = new Coalescer<number, number>(async (items) => {
      batches.push(items);
      if (items.includes(3)) throw new Error('boom');
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((i) => sut.submit(i)));
    expect(batches).toEqual([[1, 2], [3]]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
});

import { describe, expect, it } from '@jest/globals';
import { RecentPlaintexts } from './recent-plaintexts.js';

describe('RecentPlaintexts', () => {
  it('gives a plaintext back once, for the ciphertext and the row it was written for', () => {
    const sut = new RecentPlaintexts<string>();
    sut.remember('n1', 'v1.token-a', '+97333000001');
    sut.remember('n2', 'v1.token-b', '+97333000002');
    expect(sut.take('n2', 'v1.token-a')).toBeUndefined(); // another row: a miss, and gone
    expect(sut.take('n1', 'v1.token-a')).toBeUndefined();
    expect(sut.take('n2', 'v1.token-b')).toBe('+97333000002');
    expect(sut.take('n2', 'v1.token-b')).toBeUndefined();
    expect(sut.take('n3', 'v1.unknown')).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('holds nothing past its time to live, and at most its capacity', () => {
    let now = 1_000;
    const sut = new RecentPlaintexts<string>(3, 100, () => now);
    sut.remember('n1', 't1', 'one');
    now += 101;
    expect(sut.take('n1', 't1')).toBeUndefined(); // expired
    sut.remember('n1', 't1', 'one');
    now += 101;
    sut.remember('n2', 't2', 'two'); // drops the expired entry
    expect(sut.size).toBe(1);
    sut.remember('n3', 't3', 'three');
    sut.remember('n4', 't4', 'four');
    sut.remember('n5', 't5', 'five'); // over capacity: the oldest goes
    expect(sut.size).toBe(3);
    expect(sut.take('n2', 't2')).toBeUndefined();
    expect(sut.take('n5', 't5')).toBe('five');
  });

  it('forgets a ciphertext whose row was not written', () => {
    const sut = new RecentPlaintexts<string>();
    sut.remember('n1', 't1', 'one');
    sut.forget('t1');
    expect(sut.take('n1', 't1')).toBeUndefined();
  });
});

import { performance } from 'node:perf_hooks';
import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from './password-hasher.js';

// Cheap parameters keep the suite fast; one test uses the real defaults.
const cheap = { memoryCost: 1024, timeCost: 1, pepper: 'pepper-for-tests' };

describe('PasswordHasher', () => {
  const sut = new PasswordHasher(cheap);

  it('hashes with argon2id and verifies the same password', async () => {
    const stored = await sut.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    await expect(sut.verify(stored, 'correct horse battery staple')).resolves.toEqual({
      ok: true,
      needsRehash: false,
    });
    await expect(sut.verify(stored, 'correct horse battery stapl')).resolves.toEqual({
      ok: false,
      needsRehash: false,
    });
  });

  it('salts every hash', async () => {
    expect(await sut.hash('same password')).not.toBe(await sut.hash('same password'));
  });

  it('uses the OWASP / NIST defaults when given no parameters', async () => {
    const stored = await new PasswordHasher().hash('some long passphrase');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('needs the pepper: a hash is useless without it', async () => {
    const stored = await sut.hash('a passphrase of some length');
    const noPepper = new PasswordHasher({ ...cheap, pepper: undefined });
    const otherPepper = new PasswordHasher({ ...cheap, pepper: 'another' });
    expect((await noPepper.verify(stored, 'a passphrase of some length')).ok).toBe(false);
    expect((await otherPepper.verify(stored, 'a passphrase of some length')).ok).toBe(false);
  });

  it('normalises with NFKC so composed and decomposed forms match', async () => {
    const composed = 'كلمة سر café ＡＢＣ'; // full-width letters
    const decomposed = 'كلمة سر cafe\u0301 ABC';
    const stored = await sut.hash(composed);
    expect((await sut.verify(stored, decomposed)).ok).toBe(true);
  });

  it('asks for a rehash when the stored parameters differ from the current ones', async () => {
    const old = await new PasswordHasher({ ...cheap, memoryCost: 512 }).hash('the password');
    await expect(sut.verify(old, 'the password')).resolves.toEqual({ ok: true, needsRehash: true });
    // A wrong password never asks for a rehash.
    await expect(sut.verify(old, 'wrong')).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('throws on a stored value that is not a PHC string', async () => {
    await expect(sut.verify('not-a-hash', 'x')).rejects.toThrow();
  });

  it('spends about the time of a real verification in dummyVerify', async () => {
    const real = new PasswordHasher({ pepper: 'p' });
    const stored = await real.hash('password of the account');
    await expect(real.dummyVerify()).resolves.toBe(false);
    // Interleaved, so a change in machine load hits both sides alike; a dummy that skipped
    // the hashing would be two orders of magnitude faster, far outside these bounds.
    const verifyTimes: number[] = [];
    const dummyTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t0 = performance.now();
      await real.verify(stored, 'wrong guess');
      verifyTimes.push(performance.now() - t0);
      t0 = performance.now();
      await real.dummyVerify();
      dummyTimes.push(performance.now() - t0);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[3];
    const ratio = median(dummyTimes) / median(verifyTimes);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2.5);
  });
});

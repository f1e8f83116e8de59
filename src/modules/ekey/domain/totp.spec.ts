import { describe, expect, it } from '@jest/globals';
import { generateTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from './totp.js';

// RFC 6238 appendix B secret ("12345678901234567890") in Base32.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const now = new Date('2025-03-01T08:00:10Z');
const stepsAway = (n: number) => new Date(now.getTime() + n * 30_000);

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last 6 digits)', async () => {
    expect(await totpCode(rfcSecret, new Date(59_000))).toBe('287082');
    expect(await totpCode(rfcSecret, new Date(1_111_111_109_000))).toBe('081804');
    expect(await totpCode(rfcSecret, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('makes 160-bit Base32 secrets and an otpauth URI for the QR code', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, '******345'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('eKey');
    expect(decodeURIComponent(uri.pathname)).toContain('eKey:******345');
  });

  it('accepts the current code and returns its step', async () => {
    const code = await totpCode(rfcSecret, now);
    await expect(verifyTotp(rfcSecret, code, now)).resolves.toEqual({
      ok: true,
      step: totpStep(now),
    });
  });

  it('accepts one step of drift either way, not two', async () => {
    for (const [drift, ok] of [
      [-1, true],
      [1, true],
      [-2, false],
      [2, false],
    ] as const) {
      const code = await totpCode(rfcSecret, stepsAway(drift));
      expect((await verifyTotp(rfcSecret, code, now)).ok).toBe(ok);
    }
  });

  it('refuses a replayed code, and any older one', async () => {
    const code = await totpCode(rfcSecret, now);
    const first = await verifyTotp(rfcSecret, code, now);
    expect(first.ok).toBe(true);
    const step = first.ok ? first.step : -1;
    await expect(verifyTotp(rfcSecret, code, now, step)).resolves.toEqual({
      ok: false,
      reason: 'replayed',
    });
    const previous = await totpCode(rfcSecret, stepsAway(-1));
    await expect(verifyTotp(rfcSecret, previous, now, step)).resolves.toEqual({
      ok: false,
      reason: 'replayed',
    });
    // The next step's code is still fine.
    const next = await totpCode(rfcSecret, stepsAway(1));
    await expect(verifyTotp(rfcSecret, next, stepsAway(1), step)).resolves.toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it('refuses everything when the last used step is ahead of the clock', async () => {
    const code = await totpCode(rfcSecret, now);
    await expect(verifyTotp(rfcSecret, code, now, totpStep(now) + 50)).resolves.toMatchObject({
      ok: false,
    });
  });

  it('accepts spaces and Arabic-Indic digits, refuses malformed input without throwing', async () => {
    const code = await totpCode(rfcSecret, now);
    const arabic = code.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    expect((await verifyTotp(rfcSecret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).ok).toBe(
      true,
    );
    expect((await verifyTotp(rfcSecret, arabic, now)).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef']) {
      await expect(verifyTotp(rfcSecret, bad, now)).resolves.toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ExportSigner } from './export-signer.js';
import { ControlTotalsAccumulator, compareTotals } from './control-totals.js';

describe('export signer', () => {
  const sut = ExportSigner.fromConfig(undefined, randomBytes(32).toString('hex'));
  const manifest = { exportId: 'x', rowCount: 3, file: { sha256: 'a'.repeat(64) } };

  it('verifies its own signature and refuses any change to the manifest', () => {
    const signed = { ...manifest, signature: sut.sign(manifest) };
    expect(sut.verify(signed)).toBe(true);
    expect(sut.verify({ ...signed, rowCount: 4 })).toBe(false);
    expect(sut.verify({ ...signed, file: { sha256: 'b'.repeat(64) } })).toBe(false);
    expect(sut.verify({ ...manifest })).toBe(false);
  });

  it('refuses a signature by another key, even with the right key id claimed', () => {
    const other = new ExportSigner(randomBytes(32));
    const forged = { ...manifest, signature: { ...other.sign(manifest), keyId: sut.keyId } };
    expect(sut.verify(forged)).toBe(false);
  });

  it('derives the same key from the same encryption key, another from another', () => {
    const k = randomBytes(32).toString('base64');
    expect(ExportSigner.fromConfig(undefined, k).keyId).toBe(
      ExportSigner.fromConfig(undefined, k).keyId,
    );
    expect(ExportSigner.fromConfig(undefined, randomBytes(32).toString('base64')).keyId).not.toBe(
      ExportSigner.fromConfig(undefined, k).keyId,
    );
  });
});

describe('control totals', () => {
  it('counts rows and sums fils per dimension and names each difference', () => {
    const acc = new ControlTotalsAccumulator(['status', 'channel']);
    acc.add(['succeeded', 'web'], 1500n);
    acc.add(['succeeded', 'counter'], 2500n);
    acc.add(['failed', 'web'], 100n);
    const totals = acc.totals();
    expect(totals.status.succeeded).toEqual({ count: 2, fils: '4000' });
    expect(totals.channel.web).toEqual({ count: 2, fils: '1600' });
    expect(compareTotals(totals, totals)).toEqual([]);
    const expected = structuredClone(totals);
    expected.status.succeeded = { count: 2, fils: '4001' };
    expect(compareTotals(totals, expected)).toEqual([
      'status=succeeded: exported 2 rows / 4000 fils, expected 2 / 4001',
    ]);
  });
});

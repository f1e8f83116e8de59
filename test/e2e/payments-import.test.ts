import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { PaymentFactsRepository } from '../../src/modules/payments/repositories/payment-facts.repository.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { AgencyService } from '../../src/platform/agencies/agency.service.js';
import { makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

const HEADER =
  'externalRef,occurredAt,serviceCode,agencyCode,channel,kind,status,amountFils,feeFils,currency,originalRef';
const row = (
  ref: string,
  over: Partial<
    Record<'at' | 'channel' | 'kind' | 'status' | 'amount' | 'agency' | 'original', string>
  > = {},
) =>
  [
    ref,
    over.at ?? '2025-06-10T10:00:00+03:00',
    'NPRA-0001',
    over.agency ?? 'NPRA',
    over.channel ?? 'web',
    over.kind ?? 'payment',
    over.status ?? 'succeeded',
    over.amount ?? '1000',
    '0',
    'BHD',
    over.original ?? '',
  ].join(',');

describe('payments CSV import', () => {
  let t: TestApp;
  let key: string;
  let readKey: string;
  const upload = (csv: string, type = 'text/csv') =>
    t
      .http()
      .post('/v1/payments/imports')
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', type)
      .send(csv);
  const day = async (date: string) =>
    (
      await t
        .http()
        .get('/v1/payments/stats')
        .query({ period: 'day', date })
        .set('Authorization', `Bearer ${readKey}`)
        .expect(200)
    ).body;

  beforeAll(async () => {
    // The registry's demo services make NPRA-0001 a published service of NPRA.
    t = await startTestApp();
    await t.get(RegistryDemoSeeder).seed();
    const npra = (await t.get(AgencyService).findByCode('NPRA'))!;
    key = (await makeApiClient(t, npra.id, ['payments:write'])).apiKey;
    readKey = (await makeApiClient(t, npra.id, ['payments:read'])).apiKey;
  }, 300_000);
  afterAll(() => t.close());

  it('imports a file, and a re-upload of the same file counts nothing twice', async () => {
    const csv = [
      HEADER,
      row('C-1'),
      row('C-2', { channel: 'counter', amount: '3000' }),
      row('C-3', { kind: 'refund', amount: '500', original: 'C-1' }),
    ].join('\r\n');
    const first = await upload(csv).expect(201);
    expect(first.body).toMatchObject({
      outcome: 'merged',
      rows: 3,
      inserted: 3,
      duplicates: 0,
      errorCount: 0,
    });
    const again = await upload(csv).expect(201);
    expect(again.body).toMatchObject({ outcome: 'merged', rows: 3, inserted: 0, duplicates: 3 });
    const s = await day('2025-06-10');
    expect(s.totals).toMatchObject({ grossFils: '4000', refundsFils: '500', netFils: '3500' });
  });

  it('rejects the whole file when a row is invalid, reporting line numbers', async () => {
    const csv = [
      HEADER,
      row('D-1', { at: '2025-06-11T10:00:00+03:00' }),
      row('D-2', { at: '2025-06-11T10:00:00+03:00', amount: '12.5' }),
      row('D-3', { at: '2025-06-11T10:00:00+03:00', channel: 'fax' }),
      row('D-1', { at: '2025-06-11T10:00:00+03:00' }),
      row('D-5', { at: '2025-06-11T10:00:00+03:00', agency: 'GDT' }),
    ].join('\n');
    const res = await upload(csv).expect(422);
    expect(res.body.code).toBe('PAYMENTS_CSV_INVALID_ROWS');
    expect(res.body.report).toMatchObject({ outcome: 'rejected', rows: 5, inserted: 0 });
    const lines = (res.body.report.errors as { line: number; field: string }[]).map(
      (e) => `${e.line}:${e.field}`,
    );
    expect(lines).toEqual(['3:amountFils', '4:channel', '6:agencyCode']);
    expect((await day('2025-06-11')).totals.count.payments).toBe('0');
  });

  it('reports set-wide errors (repeated reference, unknown original) by line, merging nothing', async () => {
    const csv = [
      HEADER,
      row('E-1', { at: '2025-06-12T10:00:00+03:00' }),
      row('E-1', { at: '2025-06-12T10:00:00+03:00' }),
      row('E-3', { at: '2025-06-12T10:00:00+03:00', kind: 'reversal', original: 'NOPE' }),
    ].join('\n');
    const res = await upload(csv).expect(422);
    expect(
      (res.body.report.errors as { line: number; reason: string }[]).map(
        (e) => `${e.line}:${e.reason}`,
      ),
    ).toEqual(['3:duplicate', '4:not_found']);
    expect((await day('2025-06-12')).totals.count.payments).toBe('0');
  });

  it('refuses a changed re-upload of a reference already imported', async () => {
    const res = await upload(
      [HEADER, row('C-2', { channel: 'counter', amount: '3001' })].join('\n'),
    ).expect(422);
    expect(res.body.report.errors[0]).toMatchObject({
      line: 2,
      field: 'externalRef',
      reason: 'conflict',
    });
  });

  it('round-trips money edge cases exactly through CSV: 1 fils, 2^31 fils, 74,000,000.000 BHD', async () => {
    const at = '2025-06-13T23:30:00+03:00';
    const csv = [
      HEADER,
      row('M-1', { at, amount: '1' }),
      row('M-2', { at, amount: String(2n ** 31n) }),
      row('M-3', { at, amount: '74000000000' }),
    ].join('\n');
    await upload(csv).expect(201);
    const s = await day('2025-06-13');
    expect(s.totals.grossFils).toBe(String(1n + 2n ** 31n + 74_000_000_000n));
    expect(s.totals.netBhd).toBe('76147483.649');
  });

  it('refuses a body that is not text/csv, an empty file and a broken quote', async () => {
    expect((await upload('{}', 'application/json').expect(415)).body.code).toBe(
      'PAYMENTS_CSV_UNSUPPORTED_MEDIA_TYPE',
    );
    expect((await upload(HEADER).expect(400)).body.code).toBe('PAYMENTS_CSV_EMPTY');
    expect((await upload(`${HEADER}\n"X-1,2025`).expect(400)).body.code).toBe(
      'PAYMENTS_CSV_MALFORMED',
    );
  });

  it('checks service codes against the registry, naming the first line of each unknown one', async () => {
    const csv = [
      HEADER,
      row('R-1', { at: '2025-06-14T10:00:00+03:00' }),
      row('R-2', { at: '2025-06-14T10:00:00+03:00' }).replace('NPRA-0001', 'NPRA-9999'),
    ].join('\n');
    const res = await upload(csv).expect(422);
    expect(res.body.report.errors).toEqual([
      expect.objectContaining({ line: 3, field: 'serviceCode', reason: 'unknown' }),
    ]);
  });

  it('copies a plain file straight into the database, and reads any other file row by row with the same outcome', async () => {
    const facts = t.get(PaymentFactsRepository);
    const fast = jest.spyOn(facts, 'insertRaw');
    const checked = jest.spyOn(facts, 'insertStaged');
    try {
      const at = '2025-06-15T10:00:00+03:00';
      // Plain: canonical header, no quotes, LF or CRLF. Goes through COPY.
      const plain = [HEADER, row('P-1', { at }), row('P-2', { at, amount: '2000' })];
      expect((await upload(plain.join('\r\n')).expect(201)).body).toMatchObject({
        rows: 2,
        inserted: 2,
      });
      // The embedded database has no COPY: every file takes the row-by-row path there.
      const copies = facts.supportsCopy ? 1 : 0;
      expect([fast.mock.calls.length, checked.mock.calls.length]).toEqual([copies, 1 - copies]);
      // A quoted field: not plain, read by the row-by-row path, same result.
      const quoted = [HEADER, row('P-3', { at }).replace('P-3', '"P-3"')];
      expect((await upload(quoted.join('\n')).expect(201)).body).toMatchObject({ inserted: 1 });
      expect([fast.mock.calls.length, checked.mock.calls.length]).toEqual([copies, 2 - copies]);
      // Plain but a day that does not exist: COPY refuses it, the row-by-row path names the line.
      const bad = [HEADER, row('P-4', { at }), row('P-5', { at: '2025-04-31T10:00:00+03:00' })];
      const res = await upload(bad.join('\n')).expect(422);
      expect(res.body.report.errors).toEqual([
        expect.objectContaining({ line: 3, field: 'occurredAt' }),
      ]);
      // A refund whose payment is nowhere: found set-wise, then named by line.
      const orphan = [HEADER, row('P-6', { at, kind: 'refund', original: 'P-404' })];
      const res2 = await upload(orphan.join('\n')).expect(422);
      expect(res2.body.report.errors).toEqual([
        expect.objectContaining({ line: 2, field: 'originalRef', reason: 'not_found' }),
      ]);
      expect(fast.mock.calls.length).toBe(copies);
      const s = await day('2025-06-15');
      expect(s.totals).toMatchObject({ grossFils: '4000' });
      expect(s.totals.count.payments).toBe('3');
    } finally {
      fast.mockRestore();
      checked.mockRestore();
    }
  });

  it('needs payments:write', async () => {
    await t
      .http()
      .post('/v1/payments/imports')
      .set('Authorization', `Bearer ${readKey}`)
      .set('Content-Type', 'text/csv')
      .send(HEADER)
      .expect(403);
  });
});

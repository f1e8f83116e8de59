import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModulesContainer } from '@nestjs/core';
import ExcelJS from 'exceljs';
import { makeAgency, makeApiClient, startTestApp, type TestApp } from '../support/test-app.js';

function bindSource(t: TestApp, token: abstract new () => object, instance: object) {
  const container = t.diwan.app.get(ModulesContainer);
  const mod = [...container.values()].find((m) => m.metatype?.name === 'StrategyModule')!;
  mod.addProvider({ provide: token, useValue: instance });
}
class PaymentStatsService {}

const binaryParser = (res: request.Response, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface Manifest {
  exportId: string;
  rowCount: number;
  requestedBy: { label: string };
  filters: Record<string, string>;
  controlTotals: Record<string, Record<string, { count: number; fils: string }>>;
  file: { sha256: string; bytes: number };
  signature: { algorithm: string; keyId: string; value: string };
  auditChainHead?: { seq: string; hash: string };
}

/** Sample payment facts for the stand-in payments module: 2 succeeded payments, a refund, a failure. */
const FACTS = [
  {
    externalRef: 'P1',
    occurredAt: '2017-03-01T10:00:00+03:00',
    serviceCode: 'NPRA-PASS',
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'payment',
    status: 'succeeded',
    amountFils: '12500',
    feeFils: '0',
    originalRef: null,
  },
  {
    externalRef: 'P2',
    occurredAt: '2017-03-02T10:00:00+03:00',
    serviceCode: 'NPRA-PASS',
    agencyCode: 'NPRA',
    channel: 'counter',
    kind: 'payment',
    status: 'succeeded',
    amountFils: '20000',
    feeFils: '0',
    originalRef: null,
  },
  {
    externalRef: 'R1',
    occurredAt: '2017-03-03T10:00:00+03:00',
    serviceCode: 'NPRA-PASS',
    agencyCode: 'NPRA',
    channel: 'web',
    kind: 'refund',
    status: 'succeeded',
    amountFils: '2500',
    feeFils: '0',
    originalRef: 'P1',
  },
  {
    externalRef: 'P3',
    occurredAt: '2017-03-04T10:00:00+03:00',
    serviceCode: '=HYPERLINK("http://x")',
    agencyCode: 'NPRA',
    channel: 'mobile',
    kind: 'payment',
    status: 'failed',
    amountFils: '999',
    feeFils: '0',
    originalRef: null,
  },
];

describe('auditor exports over HTTP', () => {
  let t: TestApp;
  let auditorKey: string;
  let otherKey: string;
  let writerKey: string;
  let rollupNet = 30_000n;
  beforeAll(async () => {
    t = await startTestApp();
    const agency = await makeAgency(t);
    // A hostile name: it reaches the export as the actor label of the audit events.
    auditorKey = (await makeApiClient(t, agency.id, ['reports:read'], '=2+5 auditor tool')).apiKey;
    otherKey = (await makeApiClient(t, agency.id, ['reports:read'], 'other auditor')).apiKey;
    writerKey = (await makeApiClient(t, agency.id, ['payments:write'])).apiKey;
    bindSource(t, PaymentStatsService, {
      electronicShare: async () => ({
        count: { electronic: 1, total: 2 },
        valueFils: { electronic: 10_000n, total: 30_000n },
      }),
      async *streamTransactions() {
        for (const f of FACTS) yield { ...f };
      },
      controlTotals: async () => ({
        from: '2017-01-01',
        to: '2017-12-31',
        count: 3n,
        grossFils: 32_500n,
        refundsFils: 2_500n,
        netFils: rollupNet,
        feeFils: 0n,
      }),
      serviceYear: async () => ({
        byChannel: [],
        electronicShareByCount: 0,
        electronicShareByValue: 0,
      }),
    });
  });
  afterAll(() => t.close());

  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

  async function runExport(body: object, key = auditorKey) {
    const created = await t.http().post('/v1/exports').set(auth(key)).send(body).expect(202);
    expect(created.body.status).toBe('queued');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await t.http().get(`/v1/exports/${created.body.id}`).set(auth(key)).expect(200);
      if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
      if (Date.now() > deadline) throw new Error(`export still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function download(id: string, key = auditorKey): Promise<Buffer> {
    const res = await t
      .http()
      .get(`/v1/exports/${id}/file`)
      .set(auth(key))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    return res.body as Buffer;
  }

  const verify = (file: Buffer, manifest: object | Buffer) =>
    t
      .http()
      .post('/v1/exports/verify')
      .set(auth(auditorKey))
      .attach('file', file, 'export.bin')
      .attach(
        'manifest',
        Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest)),
        'manifest.json',
      )
      .expect(200);

  it('exports the audit log as a signed CSV that verifies, and one changed byte does not', async () => {
    const job = await runExport({ kind: 'audit_log', format: 'csv' });
    expect(job.status).toBe('succeeded');
    const manifest = job.manifest as Manifest;
    const file = await download(job.id);
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(createHash('sha256').update(file).digest('hex')).toBe(manifest.file.sha256);
    expect(manifest.file.bytes).toBe(file.length);
    const text = file.toString('utf8');
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'seq,occurredAt,actorType,actorId,actorLabel,action,objectType,objectId,outcome,ip,correlationId,details,prevHash,hash',
    );
    expect(lines.length - 1).toBe(manifest.rowCount);
    // The export request itself is in the export: the snapshot ends at the chain head.
    expect(text).toContain('export.request');
    expect(manifest.auditChainHead?.seq).toBe(String(manifest.rowCount));
    // The hostile client name is neutralised as text.
    expect(text).toContain(",'=2+5 auditor tool,");
    expect(text).not.toMatch(/,=2\+5/);
    const outcomes = Object.values(manifest.controlTotals.outcome).reduce((s, c) => s + c.count, 0);
    expect(outcomes).toBe(manifest.rowCount);
    expect(manifest.signature.algorithm).toBe('Ed25519');

    const ok = await verify(file, manifest);
    expect(ok.body).toMatchObject({ valid: true, signatureValid: true, sha256Matches: true });

    const flipped = Buffer.from(file);
    flipped[flipped.length - 10] ^= 0x01;
    const bad = await verify(flipped, manifest);
    expect(bad.body).toMatchObject({ valid: false, signatureValid: true, sha256Matches: false });

    const forged = { ...manifest, rowCount: manifest.rowCount + 1 };
    expect((await verify(file, forged)).body).toMatchObject({
      valid: false,
      signatureValid: false,
    });
    const reSigned = {
      ...manifest,
      file: { ...manifest.file, sha256: createHash('sha256').update(flipped).digest('hex') },
    };
    expect((await verify(flipped, reSigned)).body).toMatchObject({
      valid: false,
      signatureValid: false,
    });

    // The manifest as a file says the same.
    const asFile = await t
      .http()
      .get(`/v1/exports/${job.id}/manifest`)
      .set(auth(auditorKey))
      .expect(200);
    expect(asFile.body.signature.value).toBe(manifest.signature.value);
  });

  it('exports every event in chain order past seq 9, after chaining what high-volume writers queued (a crashed process included)', async () => {
    // Committed to the queue by "another process" that died before chaining it.
    await t.db.query(
      `INSERT INTO audit_event_queue (occurred_at, actor_type, actor_label, action, object_type, outcome)
       VALUES (now(), 'system', 'crashed worker', 'payments.batch.orphan', 'payment_batch', 'success')`,
    );
    // A filter of its own: the same request as an earlier test's would be given that export.
    const job = await runExport({
      kind: 'audit_log',
      format: 'csv',
      filters: { from: '2020-01-01' },
    });
    expect(job.status).toBe('succeeded');
    const text = (await download(job.id)).toString('utf8');
    expect(text).toContain(',payments.batch.orphan,');
    // Every event up to the head, in chain order (more than 9 of them: numbers, not text).
    const seqs = text
      .slice(1)
      .split('\r\n')
      .filter(Boolean)
      .slice(1)
      .map((line) => Number(line.split(',')[0]));
    const [{ max }] = await t.db.query<{ max: string }>('SELECT max(seq) AS max FROM audit_event');
    expect(seqs.length).toBeGreaterThan(9);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
    expect(job.manifest.auditChainHead.seq).toBe(String(seqs.length));
    expect(Number(max)).toBeGreaterThanOrEqual(seqs.length);
    const [{ n }] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_event_queue');
    expect(n).toBe('0');
  });

  it('audits every request and download, and reports the audit chain as intact', async () => {
    const job = await runExport({ kind: 'kpi_values', format: 'csv' });
    await download(job.id);
    await download(job.id);
    const rows = await t.db.query<{ action: string; actor_label: string }>(
      'SELECT action, actor_label FROM audit_event WHERE object_id = $1 ORDER BY seq',
      [job.id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'export.request',
      'export.complete',
      'export.download',
      'export.download',
    ]);
    expect(rows[0].actor_label).toBe('=2+5 auditor tool');
    const chain = await t.http().get('/v1/audit/chain').set(auth(auditorKey)).expect(200);
    expect(chain.body.ok).toBe(true);
    expect(chain.body.events).toBeGreaterThan(5);
    await t.http().get('/v1/audit/chain').set(auth(writerKey)).expect(403);
  });

  it('streams an XLSX export that opens, with the header and every row', async () => {
    const job = await runExport({
      kind: 'audit_log',
      format: 'xlsx',
      filters: { from: '2000-01-01' },
    });
    expect(job.status).toBe('succeeded');
    const file = await download(job.id);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('seq');
    expect(sheet.rowCount - 1).toBe(job.manifest.rowCount);
    expect((await verify(file, job.manifest)).body.valid).toBe(true);
  });

  it('writes a PDF summary with the row count and control totals', async () => {
    const job = await runExport({ kind: 'audit_log', format: 'pdf' });
    expect(job.status).toBe('succeeded');
    const file = await download(job.id);
    const dir = mkdtempSync(join(tmpdir(), 'diwan-x-'));
    try {
      writeFileSync(join(dir, 'x.pdf'), file);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'x.pdf'), '-'], {
        encoding: 'utf8',
      });
      expect(text).toContain('Audit log');
      expect(text).toContain(`Rows: ${job.manifest.rowCount}`);
      expect(text).toContain('سجل التدقيق');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports payment transactions that add up to the module rollup, with totals by status, channel and kind', async () => {
    const job = await runExport({
      kind: 'payment_transactions',
      format: 'csv',
      filters: { from: '2017-01-01', to: '2017-12-31' },
    });
    expect(job.status).toBe('succeeded');
    const m = job.manifest as Manifest;
    expect(m.rowCount).toBe(4);
    expect(m.controlTotals.status).toEqual({
      failed: { count: 1, fils: '999' },
      succeeded: { count: 3, fils: '35000' },
    });
    expect(m.controlTotals.channel.web).toEqual({ count: 2, fils: '15000' });
    expect(m.controlTotals.kind.refund).toEqual({ count: 1, fils: '2500' });
    const text = (await download(job.id)).toString('utf8');
    expect(text).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(text).toContain(',12500,');
  });

  it('fails, and delivers nothing, when the rows do not add up to the rollup', async () => {
    rollupNet = 30_001n;
    try {
      const job = await runExport({
        kind: 'payment_transactions',
        format: 'csv',
        filters: { from: '2017-01-01', to: '2017-12-31' },
      });
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/netFils: exported rows give 30000, the rollup says 30001/);
      expect(job.manifest).toBeNull();
      const res = await t
        .http()
        .get(`/v1/exports/${job.id}/file`)
        .set(auth(auditorKey))
        .expect(409);
      expect(res.body.code).toBe('STRATEGY_EXPORT_FAILED');
    } finally {
      rollupNet = 30_000n;
    }
  });

  it('refuses bad filters, unknown kinds, wrong scopes and other clients’ exports', async () => {
    const bad = await t
      .http()
      .post('/v1/exports')
      .set(auth(auditorKey))
      .send({ kind: 'audit_log', format: 'csv', filters: { from: '2017-13-45' } })
      .expect(400);
    expect(bad.body.code).toBe('STRATEGY_EXPORT_INVALID_FILTER');
    await t
      .http()
      .post('/v1/exports')
      .set(auth(auditorKey))
      .send({ kind: 'payment_transactions', format: 'csv' })
      .expect(400);
    const unknown = await t
      .http()
      .post('/v1/exports')
      .set(auth(auditorKey))
      .send({ kind: 'everything', format: 'csv' })
      .expect(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    await t
      .http()
      .post('/v1/exports')
      .set(auth(writerKey))
      .send({ kind: 'audit_log', format: 'csv' })
      .expect(403);
    await t.http().post('/v1/exports').send({ kind: 'audit_log', format: 'csv' }).expect(401);
    const mine = await runExport({ kind: 'registry_changes', format: 'csv' });
    expect(mine.status).toBe('succeeded');
    expect(mine.manifest.rowCount).toBe(0);
    await t.http().get(`/v1/exports/${mine.id}`).set(auth(otherKey)).expect(404);
    await t.http().get(`/v1/exports/${mine.id}/file`).set(auth(otherKey)).expect(404);
    await t.http().get('/v1/exports/not-a-uuid').set(auth(auditorKey)).expect(400);
  });

  it('publishes the export key so manifests can be checked offline', async () => {
    const res = await t.http().get('/v1/exports/public-key').expect(200);
    expect(res.body.algorithm).toBe('Ed25519');
    expect(res.body.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { ChainReport } from '../../../platform/audit/audit-chain.js';
import { hasRole, hasScope } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import type { CsvCell } from '../../../platform/csv/csv-writer.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { JobQueues } from '../../../platform/queue/job-queues.js';
import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  type ExportFormat,
  type ExportJob,
  type ExportKind,
} from '../entities/export-job.entity.js';
import { StrategyErrors } from '../errors/strategy.errors.js';
import { ControlTotalsAccumulator } from '../exports/control-totals.js';
import { HashingFileSink, writeCsvExport, writeXlsxExport } from '../exports/export-file-writer.js';
import { ExportSigner } from '../exports/export-signer.js';
import { type ExportSource, ExportSources } from '../exports/export-sources.js';
import { renderExportSummaryHtml } from '../report/export-summary-html.js';
import { PdfRenderer } from '../report/pdf-renderer.js';
import { ExportRepository } from '../repositories/export.repository.js';

export const EXPORT_QUEUE = 'strategy-exports';
const FILTER_KEYS = ['from', 'to', 'period', 'serviceCode', 'agencyCode'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PROGRESS_EVERY = 50_000;

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  filters?: Partial<Record<(typeof FILTER_KEYS)[number], string>>;
}

export interface VerifyResult {
  valid: boolean;
  signatureValid: boolean;
  sha256Matches: boolean;
  sizeMatches: boolean;
  sha256: string;
  keyId: string;
  exportId: string | null;
  problems: string[];
}

/** Auditors read; so do admins and API clients holding `reports:read`. */
export function canExport(actor: Actor): boolean {
  return hasRole(actor, 'auditor', 'admin') || hasScope(actor, 'reports:read');
}

function requireExporter(actor: Actor): void {
  if (!canExport(actor))
    throw new DomainException(
      PlatformErrors.FORBIDDEN,
      'Exports are for auditors, admins and API clients with reports:read',
    );
}

/**
 * Auditor exports: a job that streams rows to a file (constant memory), totals them as it goes,
 * checks the totals against an independent rollup of the same filter, and only then delivers the
 * file with a signed manifest. A mismatch fails the export and deletes the file.
 */
@Injectable()
export class ExportService {
  readonly signer: ExportSigner;
  private readonly dir: string;

  constructor(
    private readonly repo: ExportRepository,
    private readonly sources: ExportSources,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
    private readonly pdf: PdfRenderer,
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
  ) {
    if (config.app.env === 'production' && !config.reports.exportSigningKey)
      throw new Error('REPORTS_EXPORT_SIGNING_KEY is required when NODE_ENV=production');
    this.signer = ExportSigner.fromConfig(
      config.reports.exportSigningKey,
      config.security.encryptionKey,
    );
    this.dir = resolve(config.reports.exportDir);
  }

  async request(actor: Actor, input: ExportRequest): Promise<ExportJob> {
    requireExporter(actor);
    const filters = this.checkRequest(input);
    if (!this.sources.available(input.kind))
      throw new DomainException(
        StrategyErrors.SOURCE_UNAVAILABLE,
        `The ${input.kind} export needs the payments module, which is not running`,
      );
    const job = await this.tx.run(async (tx) => {
      const row = await this.repo.insert(tx, {
        kind: input.kind,
        format: input.format,
        filters,
        status: 'queued',
        requestedByType: actor.type,
        requestedById: actor.id ?? actor.type,
        requestedByLabel: actor.label,
      });
      await this.audit.record(tx, {
        actor,
        action: 'export.request',
        objectType: 'export_job',
        objectId: row.id,
        details: { kind: input.kind, format: input.format, filters },
      });
      return row;
    });
    await this.queues.add(EXPORT_QUEUE, { exportId: job.id }, { jobId: `export:${job.id}` });
    return job;
  }

  async get(actor: Actor, id: string): Promise<ExportJob> {
    requireExporter(actor);
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.findById(id) : null;
    if (!job) throw new DomainException(StrategyErrors.EXPORT_NOT_FOUND, id);
    // An API client sees its own exports; auditors and admins see all.
    if (actor.type === 'api_client' && job.requestedById !== actor.id)
      throw new DomainException(StrategyErrors.EXPORT_NOT_FOUND, id);
    return job;
  }

  /** The newest exports (staff see every export; an API client only its own). */
  async recent(actor: Actor, limit = 50): Promise<ExportJob[]> {
    requireExporter(actor);
    const jobs = await this.repo.findRecent(limit);
    return actor.type === 'api_client' ? jobs.filter((j) => j.requestedById === actor.id) : jobs;
  }

  /** The delivered file, audited as a download. */
  async download(actor: Actor, id: string): Promise<{ job: ExportJob; stream: Readable }> {
    const job = await this.get(actor, id);
    if (job.status === 'failed')
      throw new DomainException(StrategyErrors.EXPORT_FAILED, job.error ?? undefined);
    if (job.status !== 'succeeded' || !job.fileName)
      throw new DomainException(StrategyErrors.EXPORT_NOT_READY, `status ${job.status}`);
    await this.audit.recordAlone({
      actor,
      action: 'export.download',
      objectType: 'export_job',
      objectId: job.id,
      details: { kind: job.kind, format: job.format, sha256: job.sha256 },
    });
    return { job, stream: createReadStream(join(this.dir, job.fileName)) };
  }

  /** Checks a file against a manifest: Diwan's signature, then the file's size and SHA-256. */
  async verify(actor: Actor, file: Readable, manifest: unknown): Promise<VerifyResult> {
    requireExporter(actor);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of file) {
      const b = chunk as Buffer;
      hash.update(b);
      bytes += b.length;
    }
    const sha256 = hash.digest('hex');
    const problems: string[] = [];
    const m = manifest && typeof manifest === 'object' ? (manifest as Record<string, unknown>) : {};
    const signatureValid = this.signer.verify(m);
    if (!signatureValid) problems.push('the manifest is not signed by this Diwan export key');
    const f = (m.file ?? {}) as { sha256?: unknown; bytes?: unknown };
    const sha256Matches = f.sha256 === sha256;
    if (!sha256Matches) problems.push('the file does not match the SHA-256 in the manifest');
    const sizeMatches = String(f.bytes) === String(bytes);
    if (!sizeMatches) problems.push('the file size differs from the manifest');
    const result: VerifyResult = {
      valid: signatureValid && sha256Matches && sizeMatches,
      signatureValid,
      sha256Matches,
      sizeMatches,
      sha256,
      keyId: this.signer.keyId,
      exportId: typeof m.exportId === 'string' ? m.exportId : null,
      problems,
    };
    await this.audit.recordAlone({
      actor,
      action: 'export.verify',
      objectType: 'export_job',
      objectId: result.exportId,
      outcome: result.valid ? 'success' : 'failure',
      details: { sha256, valid: result.valid },
    });
    return result;
  }

  /** The state of the audit hash chain, for auditors. The check itself is audited. */
  async auditChain(actor: Actor): Promise<ChainReport> {
    requireExporter(actor);
    const report = await this.audit.verify();
    await this.audit.recordAlone({
      actor,
      action: 'audit.chain.verify',
      objectType: 'audit_event',
      outcome: report.ok ? 'success' : 'failure',
      details: { ok: report.ok, events: report.events, headSeq: report.headSeq },
    });
    return report;
  }

  /** The job: idempotent (a job already running or done is left alone). */
  async run(exportId: string): Promise<void> {
    if (!(await this.repo.claim(exportId, this.clock.now()))) return;
    const job = (await this.repo.findById(exportId))!;
    await mkdir(this.dir, { recursive: true });
    const fileName = `${job.id}.${job.format}`;
    const path = join(this.dir, fileName);
    await rm(path, { force: true });
    try {
      const source = await this.sources.open(job);
      const acc = new ControlTotalsAccumulator(source.dimensions);
      const sink = new HashingFileSink(path);
      const rowCount = await this.writeFile(job, source, acc, sink);
      const { bytes, sha256 } = await sink.finish();
      const actual = acc.totals();
      const differences = await source.reconcile(actual);
      if (differences.length)
        throw new ReconciliationError(
          `The exported rows do not add up to the rollup (${source.reconciledAgainst}): ${differences.slice(0, 5).join('; ')}`,
        );
      const finishedAt = this.clock.now();
      const body = {
        manifestVersion: 1,
        exportId: job.id,
        kind: job.kind,
        format: job.format,
        title: { en: source.titleEn, ar: source.titleAr },
        requestedBy: {
          type: job.requestedByType,
          id: job.requestedById,
          label: job.requestedByLabel,
        },
        requestedAt: job.createdAt.toISOString(),
        completedAt: finishedAt.toISOString(),
        filters: job.filters,
        rowCount,
        controlTotals: actual,
        reconciliation: { against: source.reconciledAgainst, matched: true },
        ...source.extras,
        file: { name: `diwan-${job.kind}-${job.id.slice(0, 8)}.${job.format}`, bytes, sha256 },
      };
      const manifest = { ...body, signature: this.signer.sign(body) };
      await this.tx.run(async (tx) => {
        const fresh = (await this.repo.findById(job.id, tx))!;
        Object.assign(fresh, {
          status: 'succeeded',
          rowsWritten: String(rowCount),
          fileName,
          fileBytes: String(bytes),
          sha256,
          manifest,
          finishedAt,
        });
        await this.repo.save(tx, fresh);
        await this.audit.record(tx, {
          actor: { type: 'system', id: 'exports', label: 'Diwan exports' },
          action: 'export.complete',
          objectType: 'export_job',
          objectId: job.id,
          details: { kind: job.kind, format: job.format, rowCount, sha256 },
        });
      });
    } catch (e) {
      await rm(path, { force: true });
      const message = (e as Error).message.slice(0, 1000);
      await this.tx.run(async (tx) => {
        const fresh = (await this.repo.findById(job.id, tx))!;
        Object.assign(fresh, { status: 'failed', error: message, finishedAt: this.clock.now() });
        await this.repo.save(tx, fresh);
        await this.audit.record(tx, {
          actor: { type: 'system', id: 'exports', label: 'Diwan exports' },
          action: 'export.fail',
          objectType: 'export_job',
          objectId: job.id,
          outcome: 'failure',
          details: { kind: job.kind, reason: message },
        });
      });
      if (!(e instanceof ReconciliationError)) throw e;
    }
  }

  private async writeFile(
    job: ExportJob,
    source: ExportSource,
    acc: ControlTotalsAccumulator,
    sink: HashingFileSink,
  ): Promise<number> {
    const repo = this.repo;
    let n = 0;
    async function* cells(): AsyncGenerator<CsvCell[]> {
      for await (const row of source.rows()) {
        acc.add(row.keys, row.fils ?? 0n);
        n++;
        if (n % PROGRESS_EVERY === 0) await repo.updateProgress(job.id, n);
        yield row.cells;
      }
    }
    switch (job.format) {
      case 'csv':
        return writeCsvExport(sink, source.header, cells());
      case 'xlsx':
        return writeXlsxExport(sink, source.titleEn, source.header, cells());
      case 'pdf': {
        // A summary: the rows are read and totalled, the PDF states the totals.
        for await (const _ of cells());
        const html = renderExportSummaryHtml({
          titleEn: source.titleEn,
          titleAr: source.titleAr,
          filters: job.filters,
          rowCount: n,
          totals: acc.totals(),
          requestedBy: job.requestedByLabel,
          generatedAt: this.clock.now().toISOString(),
        });
        sink.end(await this.pdf.render(html));
        return n;
      }
    }
  }

  private checkRequest(input: ExportRequest): Record<string, string> {
    const errors: { field: string; message: string; reason: string }[] = [];
    if (!EXPORT_KINDS.includes(input.kind))
      errors.push({ field: 'kind', message: `one of ${EXPORT_KINDS.join(', ')}`, reason: 'enum' });
    if (!EXPORT_FORMATS.includes(input.format))
      errors.push({
        field: 'format',
        message: `one of ${EXPORT_FORMATS.join(', ')}`,
        reason: 'enum',
      });
    const filters: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.filters ?? {})) {
      if (!(FILTER_KEYS as readonly string[]).includes(k)) {
        errors.push({ field: `filters.${k}`, message: 'unknown filter', reason: 'unknown' });
        continue;
      }
      if (v === undefined || v === null || v === '') continue;
      if ((k === 'from' || k === 'to') && (!DAY.test(v) || Number.isNaN(Date.parse(v))))
        errors.push({ field: `filters.${k}`, message: 'a day, YYYY-MM-DD', reason: 'format' });
      if (k === 'period' && !/^\d{4}$/.test(v))
        errors.push({ field: 'filters.period', message: 'a year, YYYY', reason: 'format' });
      filters[k] = v;
    }
    if (filters.from && filters.to && filters.from > filters.to)
      errors.push({ field: 'filters.to', message: 'not before from', reason: 'range' });
    if (
      (input.kind === 'payment_transactions' || input.kind === 'payment_statistics') &&
      (!filters.from || !filters.to)
    )
      errors.push({
        field: 'filters',
        message: 'payment exports need from and to',
        reason: 'required',
      });
    if (errors.length)
      throw new DomainException(StrategyErrors.EXPORT_INVALID_FILTER, undefined, errors);
    return filters;
  }
}

export class ReconciliationError extends Error {}

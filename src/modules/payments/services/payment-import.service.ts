import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { TransactionRunner, type Tx } from '../../../platform/database/transaction-runner.js';
import {
  csvRecordToObject,
  CsvParseError,
  parseCsvBatches,
} from '../../../platform/csv/csv-parser.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import {
  AGENCY_CODE_PATTERN,
  fastCheckCsvRow,
  FUTURE_TOLERANCE_MS,
  SERVICE_CODE_PATTERN,
  TRANSACTION_FIELDS,
  validateTransaction,
} from '../domain/transaction-input.js';
import {
  needsOriginal,
  PAYMENT_CHANNELS,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
  type TransactionKind,
} from '../domain/channels.js';
import { PlainCsvScanner } from '../domain/plain-csv.js';
import { PaymentsErrors } from '../errors/payments.errors.js';
import {
  ConcurrentImportError,
  PaymentFactsRepository,
  stagingLine,
  stagingLineOfFields,
} from '../repositories/payment-facts.repository.js';
import { PaymentIngestService } from './payment-ingest.service.js';
import { ServiceCatalog } from './service-catalog.js';

export interface ImportLineError {
  line: number;
  field: string;
  reason: string;
  message: string;
}

export interface ImportReport {
  [k: string]: unknown;
  importId: string | null;
  outcome: 'merged' | 'rejected';
  rows: number;
  inserted: number;
  duplicates: number;
  errorCount: number;
  /** The first errors by line number (at most MAX_REPORTED). */
  errors: ImportLineError[];
}

const MAX_REPORTED = 1000;
/** validateTransaction's lower bound (UTC year 2000). */
const EARLIEST = new Date('2000-01-01T00:00:00Z');

/** The fast path declines the file; the diagnosing path takes it. */
class NotPlain extends Error {}

interface SpooledCsv {
  path: string;
  /** Data rows when the file is plain (`PlainCsvScanner`), null otherwise. */
  plainRows: number | null;
  remove(): Promise<void>;
}

/** Writes the upload to a private temporary file, scanning it for the fast path on the way. */
async function spoolCsv(source: AsyncIterable<Uint8Array | string>): Promise<SpooledCsv> {
  const dir = await mkdtemp(join(tmpdir(), 'diwan-import-'));
  const path = join(dir, 'upload.csv');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const out = createWriteStream(path, { mode: 0o600 });
    const scanner = new PlainCsvScanner();
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      scanner.push(buf);
      if (!out.write(buf)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    return { path, plainRows: scanner.finish(), remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/**
 * CSV import of historic transactions: rows checked one by one while streaming into a staging
 * table (COPY), then set-wide checks in SQL, then one merge that skips references already
 * reported (a re-upload adds nothing). All-or-nothing: any error, nothing merged, and the
 * report lists the lines.
 */
@Injectable()
export class PaymentImportService {
  constructor(
    private readonly facts: PaymentFactsRepository,
    private readonly ingest: PaymentIngestService,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly catalog: ServiceCatalog,
  ) {}

  async importCsv(actor: Actor, source: AsyncIterable<Uint8Array | string>): Promise<ImportReport> {
    const own = await this.ingest.reportingAgencyCode(actor);
    const now = this.clock.now();
    // The upload is kept in a file first: no transaction stays open while a client sends, and
    // the diagnosing path can read the file again when the fast one refuses it.
    const upload = await spoolCsv(source);
    try {
      if (upload.plainRows !== null && upload.plainRows > 0 && this.facts.supportsCopy) {
        const fast = await this.importPlainFile(actor, upload.path, upload.plainRows, own, now);
        if (fast) return fast;
      }
      return await this.importChecked(
        actor,
        createReadStream(upload.path, { highWaterMark: 1 << 20 }),
        own,
        now,
      );
    } finally {
      await upload.remove();
    }
  }

  /**
   * The fast path for a plain file (`PlainCsvScanner`): its bytes go straight into `COPY`,
   * which parses them in C and checks types and the time range; the rest is set-wise: new
   * references by claiming them all at once, refunds' originals, then (on the distinct values
   * the rollups' pass yields) codes, the registry, enums, currency. Null when anything is
   * doubtful (a row refused, a reference seen before, an unknown service…): the transaction
   * is rolled back and `importChecked` takes over, which names every error by line and counts
   * duplicates. Same report, audit entry and all-or-nothing.
   */
  private async importPlainFile(
    actor: Actor,
    file: string,
    rows: number,
    own: string | null,
    now: Date,
  ): Promise<ImportReport | null> {
    const catalogue = await this.catalog.snapshot();
    return this.tx
      .run(async (tx) => {
        const copied = await this.facts.copyFileIntoRaw(
          tx,
          file,
          EARLIEST,
          new Date(now.getTime() + FUTURE_TOLERANCE_MS),
        );
        if (copied !== rows) throw new NotPlain();
        if (!(await this.facts.claimAllRaw(tx))) throw new NotPlain();
        if (await this.facts.rawOriginalsMissing(tx)) throw new NotPlain();
        // Facts and rollups first: the rollups' pass yields the distinct values to check, and
        // any refusal below rolls everything back.
        const stored = await this.facts.insertRaw(tx);
        if (!stored) throw new NotPlain();
        for (const g of stored.groups) {
          const ok =
            SERVICE_CODE_PATTERN.test(g.serviceCode) &&
            AGENCY_CODE_PATTERN.test(g.agencyCode) &&
            (own === null || g.agencyCode === own) &&
            (!catalogue || catalogue.get(g.serviceCode)?.agencyCode === g.agencyCode) &&
            Object.hasOwn(PAYMENT_CHANNELS, g.channel) &&
            Object.hasOwn(TRANSACTION_KINDS, g.kind) &&
            Object.hasOwn(TRANSACTION_STATUSES, g.status) &&
            g.currency === 'BHD' &&
            g.hasOriginal === needsOriginal(g.kind as TransactionKind) &&
            !g.ownOriginal;
          if (!ok) throw new NotPlain();
        }
        const inserted = stored.inserted;
        return this.recordMerged(tx, actor, rows, inserted);
      })
      .catch((e: unknown) => {
        if (e instanceof NotPlain) return null;
        throw e;
      });
  }

  private async recordMerged(
    tx: Tx,
    actor: Actor,
    rows: number,
    inserted: number,
  ): Promise<ImportReport> {
    const result: ImportReport = {
      importId: null,
      outcome: 'merged',
      rows,
      inserted,
      duplicates: rows - inserted,
      errorCount: 0,
      errors: [],
    };
    result.importId = await this.facts.saveImportReport(tx, actor, result);
    await this.audit.record(tx, {
      actor,
      action: 'payments.import',
      objectType: 'payment_import',
      objectId: result.importId,
      details: { rows, inserted, duplicates: result.duplicates },
    });
    return result;
  }

  /** The diagnosing path: every row parsed and checked in JavaScript, errors named by line. */
  private async importChecked(
    actor: Actor,
    source: AsyncIterable<Uint8Array | string>,
    own: string | null,
    now: Date,
  ): Promise<ImportReport> {
    const errors: ImportLineError[] = [];
    let errorCount = 0;
    let rows = 0;
    /** First line of each service code, for the registry check after streaming. */
    const services = new Map<string, { line: number; agencyCode: string }>();
    const fail = (e: ImportLineError) => {
      errorCount++;
      if (errors.length < MAX_REPORTED) errors.push(e);
    };

    const catalogue = await this.catalog.snapshot();
    const report = await this.tx.run(async (tx) => {
      await this.facts.createStaging(tx);
      let header: string[] | null = null;
      let canonical = false;
      async function* lines(): AsyncGenerator<string[]> {
        try {
          for await (const batch of parseCsvBatches(source)) {
            const out: string[] = [];
            for (const record of batch) {
              if (!header) {
                header = record.fields.map((f) => f.trim());
                canonical =
                  header.length === TRANSACTION_FIELDS.length &&
                  header.every((h, i) => h === TRANSACTION_FIELDS[i]);
                continue;
              }
              rows++;
              // The common row, checked without building objects; anything else takes the long way.
              const fast = canonical ? fastCheckCsvRow(record.fields, now) : null;
              if (fast) {
                const agencyCode = fast.fields[3];
                if (own === null || agencyCode === own) {
                  const serviceCode = fast.fields[2];
                  if (!services.has(serviceCode))
                    services.set(serviceCode, { line: record.line, agencyCode });
                  if (errorCount === 0)
                    out.push(stagingLineOfFields(record.line, fast.fields, fast.occurredAt));
                  continue;
                }
              }
              const obj = csvRecordToObject(header, record);
              if ('error' in obj) {
                fail({ line: record.line, field: 'row', reason: 'columns', message: obj.error });
                continue;
              }
              const r = validateTransaction(obj.value, { now });
              if ('errors' in r) {
                for (const e of r.errors)
                  fail({
                    line: record.line,
                    field: e.field,
                    reason: e.reason ?? 'invalid',
                    message: e.message,
                  });
                continue;
              }
              if (own !== null && r.ok.agencyCode !== own) {
                fail({
                  line: record.line,
                  field: 'agencyCode',
                  reason: 'other_agency',
                  message: `must be ${own}`,
                });
                continue;
              }
              if (!services.has(r.ok.serviceCode))
                services.set(r.ok.serviceCode, {
                  line: record.line,
                  agencyCode: r.ok.agencyCode,
                });
              // Nothing is merged once a row failed: stop sending rows, keep checking.
              if (errorCount === 0) out.push(stagingLine(record.line, r.ok));
            }
            yield out;
          }
        } catch (e) {
          if (e instanceof CsvParseError)
            throw new DomainException(PaymentsErrors.CSV_MALFORMED, e.message, [
              { field: `line ${e.line}`, reason: e.reason, message: e.message },
            ]);
          throw e;
        }
      }
      await this.facts.copyIntoStaging(tx, lines());
      if (!header || rows === 0) throw new DomainException(PaymentsErrors.CSV_EMPTY);
      const published = catalogue;
      if (published)
        for (const [code, first] of services) {
          const s = published.get(code);
          if (!s)
            fail({
              line: first.line,
              field: 'serviceCode',
              reason: 'unknown',
              message: `${code} is not a published service`,
            });
          else if (s.agencyCode !== first.agencyCode)
            fail({
              line: first.line,
              field: 'serviceCode',
              reason: 'other_agency',
              message: `${code} belongs to ${s.agencyCode}`,
            });
        }
      if (errorCount > 0) return null;
      let inserted: number;
      if (await this.facts.claimAllStaged(tx)) {
        // Every reference was new: only refunds and reversals remain to check.
        const missing = await this.facts.claimedOriginalsMissing(tx, MAX_REPORTED);
        if (missing.length) {
          errorCount += await this.facts.countClaimedOriginalsMissing(tx);
          errors.push(...missing);
          await this.facts.undoClaim(tx);
          return null;
        }
        inserted = await this.facts.insertStaged(tx);
      } else {
        const setErrors = await this.facts.stagingErrors(tx, MAX_REPORTED);
        if (setErrors.length) {
          errorCount += await this.facts.countStagingErrors(tx);
          errors.push(...setErrors);
          return null;
        }
        inserted = await this.facts.mergeStaging(tx).catch((e: unknown) => {
          if (e instanceof ConcurrentImportError)
            throw new DomainException(
              PlatformErrors.CONFLICT,
              `${e.message}; upload the file again`,
            );
          throw e;
        });
      }
      return this.recordMerged(tx, actor, rows, inserted);
    });
    if (report) return report;

    const rejected: ImportReport = {
      importId: null,
      outcome: 'rejected',
      rows,
      inserted: 0,
      duplicates: 0,
      errorCount,
      errors: errors.sort((a, b) => a.line - b.line),
    };
    rejected.importId = await this.tx.run(async (tx) => {
      const id = await this.facts.saveImportReport(tx, actor, rejected);
      await this.audit.record(tx, {
        actor,
        action: 'payments.import',
        objectType: 'payment_import',
        objectId: id,
        outcome: 'failure',
        details: { rows, errorCount },
      });
      return id;
    });
    throw new DomainException(
      PaymentsErrors.CSV_INVALID_ROWS,
      `${errorCount} error(s) in ${rows} row(s); nothing was imported`,
      rejected.errors.slice(0, 100).map((e) => ({
        field: `line ${e.line}: ${e.field}`,
        reason: e.reason,
        message: e.message,
      })),
      { report: rejected },
    );
  }
}

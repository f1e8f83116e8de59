import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../../../../platform/audit/audit.service.js';
import {
  agencyOf,
  hasRole,
  hasScope,
  requireSameAgency,
} from '../../../../platform/auth/access.js';
import { ApiClientService } from '../../../../platform/auth/api-client.service.js';
import type { Actor } from '../../../../platform/auth/roles.js';
import { Clock } from '../../../../platform/clock.js';
import type { DiwanConfig } from '../../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../../platform/config/config.tokens.js';
import { FieldCipher } from '../../../../platform/crypto/field-cipher.js';
import { CsvParseError, parseCsvBatches } from '../../../../platform/csv/csv-parser.js';
import { TransactionRunner } from '../../../../platform/database/transaction-runner.js';
import { DomainException, type FieldError } from '../../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../../platform/errors/platform.errors.js';
import { ROOT_LOGGER } from '../../../../platform/logging/logger.tokens.js';
import { JobQueues } from '../../../../platform/queue/job-queues.js';
import {
  NotificationQueryService,
  type StatusCounts,
} from '../../../notifications/services/notification-query.service.js';
import { TemplateService } from '../../../notifications/services/template.service.js';
import {
  type BulkRowContent,
  type BulkRowInput,
  type BulkTemplate,
  checkBulkRow,
  csvLayout,
  csvRow,
} from '../domain/bulk-rows.js';
import { NotifyJob, type JobStatus } from '../entities/notify-job.entity.js';
import type { JobRowStatus } from '../entities/notify-job-row.entity.js';
import { BulkJobErrors } from '../errors/bulk-job.errors.js';
import {
  NotifyJobRepository,
  type RowOutcome,
  type StoredRow,
} from '../repositories/notify-job.repository.js';
import type { NotifyKeyType } from '../../entities/notify-api-key.entity.js';
import type { ApiClientActor } from '../../services/notify-send.service.js';
import { BulkRowSender } from './bulk-row-sender.js';

export const BULK_QUEUE = 'notify-bulk';
/** Queue priority of bulk work (the core's `bulk` lane is 10 too). */
export const BULK_PRIORITY = 10;
/** Most row errors listed in one refusal; `errorCount` gives the total. */
const MAX_REPORTED = 1000;
/** Rows of one chunk handed to the send path at once. */
const SEND_CONCURRENCY = 50;
const ROW_LOOKUP = 'notify.job-row';
/**
 * Checking and encrypting 100,000 rows takes seconds of CPU: other requests and workers of
 * the process get a turn every this many rows.
 */
const YIELD_EVERY = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const rowAad = (jobId: string, rowNo: number) => `notify_job:${jobId}:row:${rowNo}`;

/** What a job creation says besides its rows. */
export interface JobOptionsInput {
  templateId?: unknown;
  lang?: unknown;
  scheduledFor?: unknown;
  reference?: unknown;
  critical?: unknown;
  replacesPaperLetter?: unknown;
}

export interface JobView {
  id: string;
  templateId: string;
  channel: 'sms' | 'email';
  lang: 'ar' | 'en' | null;
  status: JobStatus;
  rowCount: number;
  originalFileName: string | null;
  reference: string | null;
  scheduledFor: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  /** Rows per state: not yet sent, being sent, handed to the core, refused at send time, cancelled. */
  counts: Record<JobRowStatus, number>;
  /**
   * The job's notifications (its `sent` rows) per delivery status, in Diwan's and in Notify's
   * words; given for one job (create, read, cancel), null in lists.
   */
  delivery: StatusCounts | null;
}

interface JobContext {
  actor: Actor & { type: 'api_client' };
  templateId: string;
  agencyId: string;
  template: BulkTemplate;
  lang: 'ar' | 'en' | null;
  scheduledFor: Date | null;
  reference: string | null;
  critical: boolean;
  replacesPaperLetter: boolean;
}

/** Collects row errors: all of them counted, the first MAX_REPORTED listed. */
class RowErrors {
  readonly list: FieldError[] = [];
  count = 0;
  add(errors: FieldError[], prefix: string, suffix = ''): void {
    for (const e of errors) {
      this.count++;
      if (this.list.length < MAX_REPORTED)
        this.list.push({ ...e, field: `${prefix}.${e.field}`, message: `${e.message}${suffix}` });
    }
  }
}

/**
 * Bulk jobs: up to NOTIFY_BULK_MAX_ROWS rows, each checked against the template before the
 * job exists (one bad row refuses the whole job, listing every bad row), rows unique per
 * job, stored encrypted, then sent in chunks by workers through the one send path. A row is
 * sent at most once (conditional claim); a scheduled job starts at its minute (delayed
 * queue job, and a sweeper for jobs whose queue job was lost).
 */
@Injectable()
export class BulkJobService {
  private readonly maxRows: number;
  private readonly horizonDays: number;
  private readonly chunkRows: number;
  private readonly smsMaxParts: number;

  constructor(
    private readonly repo: NotifyJobRepository,
    private readonly templates: TemplateService,
    private readonly notifications: NotificationQueryService,
    private readonly sender: BulkRowSender,
    private readonly clients: ApiClientService,
    private readonly cipher: FieldCipher,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
    @Inject(DIWAN_CONFIG) config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.maxRows = config.notify.bulkMaxRows;
    this.horizonDays = config.notify.bulkScheduleHorizonDays;
    this.chunkRows = config.notify.bulkChunkRows;
    this.smsMaxParts = config.notifications.smsMaxParts;
  }

  /** `POST /v1/notifications/jobs`: `{ templateId, rows: [{ to | ekeyAccountId, personalisation }], … }`. */
  async createFromRows(actor: Actor, body: unknown): Promise<JobView> {
    const input = (body ?? {}) as JobOptionsInput & { rows?: unknown };
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, 'The body is a JSON object', [
        { field: 'body', message: 'must be an object', reason: 'type' },
      ]);
    const unknown = Object.keys(input).filter(
      (k) =>
        ![
          'templateId',
          'lang',
          'scheduledFor',
          'reference',
          'critical',
          'replacesPaperLetter',
          'rows',
        ].includes(k),
    );
    if (unknown.length)
      throw new DomainException(
        PlatformErrors.VALIDATION_FAILED,
        undefined,
        unknown.map((field) => ({ field, message: 'unknown field', reason: 'unknown' })),
      );
    const ctx = await this.context(actor, input);
    if (!Array.isArray(input.rows))
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, [
        { field: 'rows', message: 'an array of rows is required', reason: 'required' },
      ]);
    const rows = input.rows as unknown[];
    this.checkRowCount(rows.length);
    const errors = new RowErrors();
    const prepared = await this.prepareRows(
      ctx,
      rows.map((raw, i) => {
        const parsed = jsonRow(raw);
        if ('errors' in parsed) errors.add(parsed.errors, `rows[${i}]`);
        return {
          rowNo: i + 1,
          prefix: `rows[${i}]`,
          input: 'errors' in parsed ? null : parsed.row,
        };
      }),
      errors,
    );
    return this.store(ctx, prepared, errors, null);
  }

  /**
   * `POST /v1/notifications/jobs/csv`: a Notify-style spreadsheet: a `phone number` /
   * `email address` (or `ekey account`) column and one column per placeholder.
   */
  async createFromCsv(
    actor: Actor,
    options: JobOptionsInput,
    file: { bytes: Uint8Array; fileName: string | null },
  ): Promise<JobView> {
    const ctx = await this.context(actor, options);
    const errors = new RowErrors();
    const inputs: { rowNo: number; prefix: string; suffix: string; input: BulkRowInput }[] = [];
    let layout: ReturnType<typeof csvLayout> | null = null;
    let rowNo = 0;
    let columns = 0;
    try {
      for await (const batch of parseCsvBatches([file.bytes])) {
        for (const record of batch) {
          if (!layout) {
            columns = record.fields.length;
            layout = csvLayout(
              record.fields.map((f) => f.trim()),
              ctx.template.channel,
              ctx.template.ar,
            );
            if ('errors' in layout)
              throw new DomainException(
                BulkJobErrors.CSV_INVALID,
                'The header row does not fit the template',
                layout.errors,
              );
            continue;
          }
          rowNo++;
          if (rowNo > this.maxRows) this.checkRowCount(rowNo);
          if (record.fields.length !== columns) {
            errors.add(
              [
                {
                  field: 'row',
                  message: `${record.fields.length} fields where the header has ${columns}`,
                  reason: 'columns',
                },
              ],
              `rows[${rowNo}]`,
              ` (line ${record.line})`,
            );
            continue;
          }
          inputs.push({
            rowNo,
            prefix: `rows[${rowNo}]`,
            suffix: ` (line ${record.line})`,
            input: csvRow(layout.layout, record.fields),
          });
        }
      }
    } catch (e) {
      if (e instanceof CsvParseError)
        throw new DomainException(BulkJobErrors.CSV_INVALID, e.message, [
          { field: `line ${e.line}`, message: e.message, reason: e.reason },
        ]);
      throw e;
    }
    if (!layout) throw new DomainException(BulkJobErrors.NO_ROWS, 'The file is empty');
    this.checkRowCount(rowNo);
    const prepared = await this.prepareRows(ctx, inputs, errors);
    return this.store(ctx, prepared, errors, file.fileName);
  }

  async get(actor: Actor, id: string): Promise<JobView> {
    const job = await this.readable(actor, id);
    return (await this.views([job], true))[0];
  }

  /** Newest first, 50 a page; `before` is the `createdAt` of the last job of the previous page. */
  async list(actor: Actor, before?: string): Promise<JobView[]> {
    const agencyId = this.listScope(actor);
    let beforeDate: Date | undefined;
    if (before !== undefined) {
      beforeDate = new Date(before);
      if (Number.isNaN(beforeDate.getTime()))
        throw new DomainException(PlatformErrors.INVALID_PARAMETER, undefined, [
          { field: 'query.before', message: 'an ISO 8601 time', reason: 'format' },
        ]);
    }
    return this.views(await this.repo.list(agencyId, 50, beforeDate));
  }

  /** Rows per status of each job, for the back office's progress column. */
  rowCounts(jobIds: string[]): Promise<Map<string, Record<JobRowStatus, number>>> {
    return this.repo.countRowsByStatus(jobIds);
  }

  /**
   * A job's notifications per delivery status: the ids its `sent` rows recorded, counted by
   * the core in one aggregate.
   */
  async deliveryCounts(jobId: string): Promise<StatusCounts> {
    return this.notifications.countByStatusForIds(await this.repo.notificationIdsOf(jobId));
  }

  /** Stops a job: rows not yet taken by a worker are never sent. */
  async cancel(actor: Actor, id: string): Promise<JobView> {
    const job = await this.readable(actor, id);
    await this.tx.run(async (tx) => {
      const rows = await this.repo.cancel(tx, id, this.clock.now());
      if (rows === null)
        throw new DomainException(BulkJobErrors.JOB_NOT_CANCELLABLE, `The job is ${job.status}`);
      await this.audit.record(tx, {
        actor,
        action: 'notify_job.cancel',
        objectType: 'notify_job',
        objectId: id,
        details: { rowsCancelled: rows },
      });
    });
    return this.get(actor, id);
  }

  /**
   * One step of a job (queue handler): start it if due, claim a chunk of rows, send them,
   * record what became of each, and queue the next chunk. Replaying it is harmless: rows
   * already claimed or sent are not claimed again.
   */
  async runChunk(jobId: string): Promise<void> {
    const job = await this.repo.findById(jobId);
    if (!job || job.status === 'finished' || job.status === 'cancelled') return;
    const now = this.clock.now();
    if (job.status !== 'in_progress') {
      if (job.scheduledFor && job.scheduledFor > now) return; // too early: its delayed job or the sweeper comes back
      await this.repo.markStarted(jobId, now);
    }
    const claimed = await this.repo.claimRows(jobId, this.chunkRows, now);
    if (!claimed.length) {
      await this.repo.finishIfDone(jobId, this.clock.now());
      return;
    }
    const client = await this.clients.actorFor(job.createdById ?? '');
    const actor = client?.type === 'api_client' ? client : null;
    const outcomes: RowOutcome[] = [];
    // Set inside the workers below (an object, so the check after them is not narrowed away).
    const crash: { error?: Error } = {};
    const released: number[] = [];
    const queue = [...claimed];
    const work = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const outcome = await this.sendRow(job, actor, row.rowNo, row.contentCipher);
        if ('crash' in outcome) {
          crash.error ??=
            outcome.crash instanceof Error ? outcome.crash : new Error(String(outcome.crash));
          if (this.sender.idempotentPerRow) released.push(row.rowNo);
          else
            outcomes.push({
              rowNo: row.rowNo,
              status: 'failed',
              notificationId: null,
              error: 'outcome unknown: the send path failed',
            });
          // With an idempotent send path the row is simply tried again by the queue's retry.
        } else outcomes.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, claimed.length) }, work));
    await this.repo.recordOutcomes(jobId, outcomes);
    if (crash.error) {
      await this.repo.releaseClaims(jobId, released);
      throw crash.error; // the queue retries the chunk with back-off
    }
    if (claimed.length < this.chunkRows) await this.repo.finishIfDone(jobId, this.clock.now());
    else
      await this.queues.add(
        BULK_QUEUE,
        { jobId },
        {
          jobId: `bulk:${jobId}:after-${claimed[claimed.length - 1].rowNo}`,
          priority: BULK_PRIORITY,
        },
      );
  }

  /** Starts due jobs whose queue job was lost, and settles rows of workers that died. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    await this.repo.resolveStaleClaims(
      new Date(now.getTime() - 10 * 60_000),
      this.sender.idempotentPerRow,
    );
    const due = await this.repo.findDue(now, new Date(now.getTime() - 2 * 60_000), 100);
    for (const { id } of due) await this.kick(id, 0, `sweep-${now.getTime()}`);
    return due.length;
  }

  private async sendRow(
    job: NotifyJob,
    actor: ApiClientActor | null,
    rowNo: number,
    contentCipher: string | null,
  ): Promise<RowOutcome | { crash: unknown }> {
    const failed = (error: string): RowOutcome => ({
      rowNo,
      status: 'failed',
      notificationId: null,
      error,
    });
    if (!actor) return failed('the API client that created the job is revoked');
    if (!contentCipher) return failed('the row has no content');
    try {
      const content = JSON.parse(
        this.cipher.decrypt(contentCipher, rowAad(job.id, rowNo)),
      ) as BulkRowContent;
      const { id } = await this.sender.send({
        actor,
        keyType: job.keyType as NotifyKeyType,
        channel: job.channel,
        to: content.to,
        ekeyAccountId: content.ekeyAccountId,
        templateId: job.templateId,
        personalisation: content.personalisation,
        lang: job.lang,
        reference: job.reference ?? undefined,
        critical: job.critical,
        replacesPaperLetter: job.replacesPaperLetter,
        jobId: job.id,
        jobRow: rowNo,
      });
      return { rowNo, status: 'sent', notificationId: id, error: null };
    } catch (e) {
      if (e instanceof DomainException)
        return failed(`${e.code}: ${e.detail ?? e.definition.title}`);
      this.logger.error(
        { err: e, jobId: job.id, rowNo },
        'bulk row could not be handed to the send path',
      );
      return { crash: e };
    }
  }

  private async kick(jobId: string, delayMs: number, occasion: string): Promise<void> {
    await this.queues.add(
      BULK_QUEUE,
      { jobId },
      { jobId: `bulk:${jobId}:${occasion}`, delayMs, priority: BULK_PRIORITY },
    );
  }

  private async context(actor: Actor, input: JobOptionsInput): Promise<JobContext> {
    if (actor.type !== 'api_client' || !hasScope(actor, 'notifications:send'))
      throw new DomainException(
        PlatformErrors.FORBIDDEN,
        'This needs the notifications:send scope',
      );
    const errors: FieldError[] = [];
    const str = (name: keyof JobOptionsInput, max: number): string | null => {
      const v = input[name];
      if (v === undefined || v === null || v === '') return null;
      if (typeof v !== 'string' || v.length > max) {
        errors.push({
          field: name,
          message: `a string of at most ${max} characters`,
          reason: 'type',
        });
        return null;
      }
      return v;
    };
    const bool = (name: keyof JobOptionsInput): boolean => {
      const v = input[name];
      if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
      if (v === true || v === 'true') return true;
      errors.push({ field: name, message: 'true or false', reason: 'type' });
      return false;
    };
    const templateId = str('templateId', 36);
    if (!templateId) errors.push({ field: 'templateId', message: 'required', reason: 'required' });
    const lang = str('lang', 2);
    if (lang !== null && lang !== 'ar' && lang !== 'en')
      errors.push({ field: 'lang', message: 'ar or en', reason: 'format' });
    const reference = str('reference', 200);
    const critical = bool('critical');
    const replacesPaperLetter = bool('replacesPaperLetter');
    const scheduledFor = this.parseSchedule(str('scheduledFor', 40), errors);
    if (errors.length)
      throw new DomainException(PlatformErrors.VALIDATION_FAILED, undefined, errors);
    const { template, version } = await this.templates.current(templateId!);
    requireSameAgency(actor, template.agencyId);
    return {
      actor,
      templateId: template.id,
      agencyId: template.agencyId,
      template: {
        channel: template.channel,
        ar: { subject: version.subjectAr, body: version.bodyAr },
        en: { subject: version.subjectEn, body: version.bodyEn },
        lang: lang as 'ar' | 'en' | null,
        smsMaxParts: this.smsMaxParts,
      },
      lang: lang as 'ar' | 'en' | null,
      scheduledFor,
      reference,
      critical,
      replacesPaperLetter,
    };
  }

  /** A whole minute (seconds dropped), after now, within the horizon. */
  private parseSchedule(raw: string | null, errors: FieldError[]): Date | null {
    if (raw === null) return null;
    const at = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(raw) || Number.isNaN(at.getTime())) {
      errors.push({
        field: 'scheduledFor',
        message: 'an ISO 8601 time with offset',
        reason: 'format',
      });
      return null;
    }
    at.setUTCSeconds(0, 0);
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.horizonDays * 86_400_000);
    if (at <= now || at > horizon) {
      errors.push({
        field: 'scheduledFor',
        message: `a future minute at most ${this.horizonDays} days ahead`,
        reason: 'range',
      });
      return null;
    }
    return at;
  }

  private checkRowCount(n: number): void {
    if (n === 0) throw new DomainException(BulkJobErrors.NO_ROWS);
    if (n > this.maxRows)
      throw new DomainException(
        BulkJobErrors.TOO_MANY_ROWS,
        `A job has at most ${this.maxRows} rows`,
        [{ field: 'rows', message: `at most ${this.maxRows} rows`, reason: 'range' }],
        { maxRows: this.maxRows },
      );
  }

  /** Every row checked, duplicates found, contents encrypted; nothing stored yet. */
  private async prepareRows(
    ctx: JobContext,
    rows: { rowNo: number; prefix: string; suffix?: string; input: BulkRowInput | null }[],
    errors: RowErrors,
  ): Promise<{ rowNo: number; rowHash: string; content: BulkRowContent }[]> {
    const seen = new Map<string, number>();
    const out: { rowNo: number; rowHash: string; content: BulkRowContent }[] = [];
    for (const [i, { rowNo, prefix, suffix, input }] of rows.entries()) {
      if (i % YIELD_EVERY === 0) await yieldToEventLoop();
      if (!input) continue;
      const checked = checkBulkRow(ctx.template, input);
      if ('errors' in checked) {
        errors.add(checked.errors, prefix, suffix);
        continue;
      }
      const rowHash = this.cipher.lookupHash(checked.dedupeKey, ROW_LOOKUP);
      const first = seen.get(rowHash);
      if (first !== undefined) {
        errors.add(
          [
            {
              field: 'to',
              message: `the same recipient and personalisation as row ${first}`,
              reason: 'duplicate',
            },
          ],
          prefix,
          suffix,
        );
        continue;
      }
      seen.set(rowHash, rowNo);
      out.push({ rowNo, rowHash, content: checked.ok });
    }
    return out;
  }

  private async store(
    ctx: JobContext,
    rows: { rowNo: number; rowHash: string; content: BulkRowContent }[],
    errors: RowErrors,
    fileName: string | null,
  ): Promise<JobView> {
    if (errors.count)
      throw new DomainException(
        BulkJobErrors.ROWS_INVALID,
        `${errors.count} problem(s) in the rows; nothing was created`,
        errors.list,
        { errorCount: errors.count },
      );
    const id = randomUUID();
    const stored: StoredRow[] = [];
    for (const [i, r] of rows.entries()) {
      if (i % YIELD_EVERY === 0) await yieldToEventLoop();
      stored.push({
        rowNo: r.rowNo,
        rowHash: r.rowHash,
        contentCipher: this.cipher.encrypt(JSON.stringify(r.content), rowAad(id, r.rowNo)),
      });
    }
    const now = this.clock.now();
    const job = Object.assign(new NotifyJob(), {
      id,
      agencyId: ctx.agencyId,
      templateId: ctx.templateId,
      channel: ctx.template.channel,
      lang: ctx.lang,
      status: ctx.scheduledFor ? 'scheduled' : 'pending',
      rowCount: rows.length,
      originalFileName: fileName?.slice(0, 200) ?? null,
      reference: ctx.reference,
      critical: ctx.critical,
      replacesPaperLetter: ctx.replacesPaperLetter,
      keyType: 'live',
      createdByType: ctx.actor.type,
      createdById: ctx.actor.id,
      scheduledFor: ctx.scheduledFor,
      createdAt: now,
      startedAt: null,
      lastChunkAt: null,
      finishedAt: null,
      cancelledAt: null,
    } satisfies Partial<NotifyJob>);
    await this.tx.run(async (tx) => {
      await this.repo.insertJob(tx, job);
      await this.repo.insertRows(tx, id, stored);
      await this.audit.record(tx, {
        actor: ctx.actor,
        action: 'notify_job.create',
        objectType: 'notify_job',
        objectId: id,
        details: {
          templateId: ctx.templateId,
          rows: rows.length,
          scheduledFor: ctx.scheduledFor?.toISOString() ?? null,
        },
      });
    });
    const delayMs = ctx.scheduledFor ? ctx.scheduledFor.getTime() - this.clock.now().getTime() : 0;
    try {
      await this.kick(id, Math.max(0, delayMs), 'start');
    } catch (e) {
      // Committed is what counts: the sweeper starts a due job whose queue job is missing.
      this.logger.warn(
        { err: e, jobId: id },
        'bulk job stored but not queued; the sweeper will start it',
      );
    }
    return (await this.views([job], true))[0];
  }

  private async readable(actor: Actor, id: string): Promise<NotifyJob> {
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.findById(id) : null;
    if (!job) throw new DomainException(BulkJobErrors.JOB_NOT_FOUND);
    if (!hasRole(actor, 'admin', 'operator', 'auditor')) {
      // Another agency's job is "not found", so ids cannot be probed.
      if (agencyOf(actor) !== job.agencyId) throw new DomainException(BulkJobErrors.JOB_NOT_FOUND);
    }
    return job;
  }

  private listScope(actor: Actor): string | null {
    if (hasRole(actor, 'admin', 'operator', 'auditor')) return null;
    const agencyId = agencyOf(actor);
    if (!agencyId) throw new DomainException(PlatformErrors.FORBIDDEN);
    return agencyId;
  }

  private async views(jobs: NotifyJob[], withDelivery = false): Promise<JobView[]> {
    const counts = await this.repo.countRowsByStatus(jobs.map((j) => j.id));
    const delivery = new Map<string, StatusCounts>();
    if (withDelivery) for (const j of jobs) delivery.set(j.id, await this.deliveryCounts(j.id));
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return jobs.map((j) => ({
      id: j.id,
      templateId: j.templateId,
      channel: j.channel,
      lang: j.lang,
      status: j.status,
      rowCount: j.rowCount,
      originalFileName: j.originalFileName,
      reference: j.reference,
      scheduledFor: iso(j.scheduledFor),
      createdAt: iso(j.createdAt)!,
      startedAt: iso(j.startedAt),
      finishedAt: iso(j.finishedAt),
      cancelledAt: iso(j.cancelledAt),
      counts: counts.get(j.id)!,
      delivery: delivery.get(j.id) ?? null,
    }));
  }
}

const ROW_KEYS = new Set(['to', 'ekeyAccountId', 'personalisation']);

/** One JSON row, type-checked (values are checked against the template afterwards). */
function jsonRow(raw: unknown): { row: BulkRowInput } | { errors: FieldError[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { errors: [{ field: 'row', message: 'must be an object', reason: 'type' }] };
  const r = raw as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(r)
    .filter((k) => !ROW_KEYS.has(k))
    .map((field) => ({ field, message: 'unknown field', reason: 'unknown' }));
  for (const k of ['to', 'ekeyAccountId'] as const)
    if (r[k] !== undefined && typeof r[k] !== 'string')
      errors.push({ field: k, message: 'must be a string', reason: 'type' });
  const personalisation: Record<string, string> = {};
  const p = r.personalisation;
  if (p !== undefined && (typeof p !== 'object' || p === null || Array.isArray(p)))
    errors.push({ field: 'personalisation', message: 'must be an object', reason: 'type' });
  else
    for (const [k, v] of Object.entries((p ?? {}) as Record<string, unknown>)) {
      if (typeof v === 'string') personalisation[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') personalisation[k] = String(v);
      else
        errors.push({ field: `personalisation.${k}`, message: 'must be a string', reason: 'type' });
    }
  if (errors.length) return { errors };
  return {
    row: {
      to: r.to as string | undefined,
      ekeyAccountId: r.ekeyAccountId as string | undefined,
      personalisation,
    },
  };
}

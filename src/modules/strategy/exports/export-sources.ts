import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service.js';
import type { CsvCell } from '../../../platform/csv/csv-writer.js';
import type { ExportJob, ExportKind } from '../entities/export-job.entity.js';
import { type ElectronicShare, type PaymentFilter, StrategySources } from '../ports/sources.js';
import { ExportRepository } from '../repositories/export.repository.js';
import { StrategyRepository } from '../repositories/strategy.repository.js';
import { type ControlTotals, compareTotals } from './control-totals.js';

export interface ExportRow {
  cells: CsvCell[];
  /** The row's value per dimension, in `dimensions` order. */
  keys: string[];
  fils?: bigint;
}

/** What an export reads, how it is totalled, and the rollup it must add up to. */
export interface ExportSource {
  titleEn: string;
  titleAr: string;
  header: string[];
  dimensions: string[];
  rows(): AsyncIterable<ExportRow>;
  /**
   * Compares what was exported (after the last row) with totals computed independently for the
   * same filter (SQL rollup, the module's control totals); returns the differences.
   */
  reconcile(exported: ControlTotals): Promise<string[]>;
  reconciledAgainst: string;
  /** Facts the manifest carries besides the totals (e.g. the audit chain head). */
  extras: Record<string, unknown>;
}

export class SourceUnavailableError extends Error {}

const PAYMENT_COLUMNS = [
  'externalRef',
  'occurredAt',
  'serviceCode',
  'agencyCode',
  'channel',
  'kind',
  'status',
  'amountFils',
  'feeFils',
  'currency',
  'originalRef',
] as const;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function field(row: Record<string, unknown>, key: string): unknown {
  return row[key] ?? row[snake(key)];
}
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
function fils(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new Error(`not an amount in fils: ${String(v)}`);
}

/** What the payments module's `controlTotals` states: succeeded transactions of a filter. */
export interface SucceededSummary {
  count: bigint;
  grossFils: bigint;
  refundsFils: bigint;
  netFils: bigint;
}

function addSucceeded(
  s: SucceededSummary,
  r: { status: string; kind: string; amountFils: bigint },
) {
  if (r.status !== 'succeeded') return;
  s.count++;
  if (r.kind === 'payment') s.grossFils += r.amountFils;
  else s.refundsFils += r.amountFils;
  s.netFils = s.grossFils - s.refundsFils;
}

/** Differences between the rows' summary and `controlTotals` (count, gross, refunds, net). */
export function compareWithControlTotals(rows: SucceededSummary, raw: unknown): string[] {
  if (!raw || typeof raw !== 'object') return ['the payments module returned no control totals'];
  const o = raw as Record<string, unknown>;
  const out: string[] = [];
  for (const key of ['count', 'grossFils', 'refundsFils', 'netFils'] as const) {
    let expected: bigint;
    try {
      expected = fils(o[key]);
    } catch {
      out.push(`control totals lack ${key}`);
      continue;
    }
    if (expected !== rows[key])
      out.push(`${key}: exported rows give ${rows[key]}, the rollup says ${expected}`);
  }
  return out;
}

function countsOnly(rows: { keys: Record<string, string>; count: string }[]): ControlTotals {
  const out: ControlTotals = {};
  for (const r of rows)
    for (const [dim, key] of Object.entries(r.keys)) {
      out[dim] ??= {};
      const prev = out[dim][key]?.count ?? 0;
      out[dim][key] = { count: prev + Number(r.count), fils: '0' };
    }
  return out;
}

@Injectable()
export class ExportSources {
  constructor(
    private readonly exportsRepo: ExportRepository,
    private readonly strategyRepo: StrategyRepository,
    private readonly sources: StrategySources,
    private readonly auditLog: AuditService,
  ) {}

  /** Whether the kind can run in this build (its module is there). */
  available(kind: ExportKind): boolean {
    if (kind === 'payment_transactions' || kind === 'payment_statistics')
      return this.sources.payments() !== null;
    return true;
  }

  async open(job: ExportJob): Promise<ExportSource> {
    switch (job.kind) {
      case 'audit_log':
      case 'registry_changes':
        return this.audit(job);
      case 'kpi_values':
        return this.kpiValues(job);
      case 'payment_transactions':
        return this.paymentTransactions(job);
      case 'payment_statistics':
        return this.paymentStatistics(job);
    }
  }

  private async audit(job: ExportJob): Promise<ExportSource> {
    // Entries queued by high-volume writers (payment batches) and committed, but not yet
    // chained, go into the chain first: the export then holds everything committed before it.
    const head = await this.auditLog.sealedHead();
    const range = {
      maxSeq: head?.seq ?? '0',
      from: job.filters.from,
      to: job.filters.to,
      actionPrefix: job.kind === 'registry_changes' ? 'registry.' : undefined,
    };
    const repo = this.exportsRepo;
    return {
      titleEn: job.kind === 'audit_log' ? 'Audit log' : 'Registry changes',
      titleAr: job.kind === 'audit_log' ? 'سجل التدقيق' : 'التغييرات في سجل الخدمات',
      header: [
        'seq',
        'occurredAt',
        'actorType',
        'actorId',
        'actorLabel',
        'action',
        'objectType',
        'objectId',
        'outcome',
        'ip',
        'correlationId',
        'details',
        'prevHash',
        'hash',
      ],
      dimensions: ['outcome', 'area'],
      async *rows() {
        for await (const page of repo.auditPages(range))
          for (const e of page)
            yield {
              cells: [
                BigInt(e.seq),
                e.occurred_at.toISOString(),
                e.actor_type,
                e.actor_id,
                e.actor_label,
                e.action,
                e.object_type,
                e.object_id,
                e.outcome,
                e.ip,
                e.correlation_id,
                JSON.stringify(e.details),
                e.prev_hash,
                e.hash,
              ],
              keys: [e.outcome, e.action.split('.')[0]],
            };
      },
      reconcile: async (exported) =>
        compareTotals(
          exported,
          countsOnly(
            (await repo.auditRollup(range)).map((r) => ({
              keys: { outcome: r.outcome, area: r.area },
              count: r.count,
            })),
          ),
        ),
      reconciledAgainst: 'audit_event rollup (SQL count per outcome and area, same filter)',
      extras: { auditChainHead: head ? { seq: head.seq, hash: head.hash } : null },
    };
  }

  private kpiValues(job: ExportJob): ExportSource {
    const period = job.filters.period ?? null;
    const repo = this.strategyRepo;
    const exportsRepo = this.exportsRepo;
    return {
      titleEn: 'KPI values',
      titleAr: 'قيم مؤشرات الأداء',
      header: [
        'kpiCode',
        'kpiNameEn',
        'unit',
        'period',
        'numerator',
        'denominator',
        'target',
        'coveragePercent',
        'status',
        'recordedBy',
        'approvedBy',
        'computedAt',
        'evidenceRef',
      ],
      dimensions: ['status'],
      async *rows() {
        for await (const page of repo.kpiValueRows({ period: period ?? undefined }))
          for (const v of page)
            yield {
              cells: [
                v.kpi_code,
                v.name_en,
                v.unit,
                v.period,
                BigInt(v.numerator),
                v.denominator === null ? null : BigInt(v.denominator),
                v.target === null ? null : BigInt(v.target),
                v.coverage_percent,
                v.status,
                v.recorded_by,
                v.approved_by,
                v.computed_at.toISOString(),
                v.evidence_ref,
              ],
              keys: [v.status],
            };
      },
      reconcile: async (exported) =>
        compareTotals(
          exported,
          countsOnly(
            (await exportsRepo.kpiValueRollup(period)).map((r) => ({
              keys: { status: r.status },
              count: r.count,
            })),
          ),
        ),
      reconciledAgainst: 'kpi_value rollup (SQL count per status, same filter)',
      extras: {},
    };
  }

  private paymentFilter(job: ExportJob): PaymentFilter {
    return {
      from: job.filters.from,
      to: job.filters.to,
      ...(job.filters.serviceCode ? { serviceCode: job.filters.serviceCode } : {}),
      ...(job.filters.agencyCode ? { agencyCode: job.filters.agencyCode } : {}),
    };
  }

  private paymentTransactions(job: ExportJob): ExportSource {
    const payments = this.sources.payments();
    if (!payments) throw new SourceUnavailableError('the payments module is not available');
    const filter = this.paymentFilter(job);
    const succeeded: SucceededSummary = { count: 0n, grossFils: 0n, refundsFils: 0n, netFils: 0n };
    return {
      titleEn: 'Payment transactions',
      titleAr: 'المعاملات المالية',
      header: [...PAYMENT_COLUMNS],
      dimensions: ['status', 'channel', 'kind'],
      async *rows() {
        for await (const r of payments.streamTransactions(filter)) {
          const amount = fils(field(r, 'amountFils'));
          const fee = field(r, 'feeFils');
          const status = text(field(r, 'status')) ?? '';
          const kind = text(field(r, 'kind')) ?? '';
          addSucceeded(succeeded, { status, kind, amountFils: amount });
          yield {
            cells: PAYMENT_COLUMNS.map((c) =>
              c === 'amountFils'
                ? amount
                : c === 'feeFils'
                  ? fee === null || fee === undefined
                    ? null
                    : fils(fee)
                  : text(field(r, c)),
            ),
            keys: [
              text(field(r, 'status')) ?? '',
              text(field(r, 'channel')) ?? '',
              text(field(r, 'kind')) ?? '',
            ],
            fils: amount,
          };
        }
      },
      reconcile: async () =>
        compareWithControlTotals(succeeded, await payments.controlTotals(filter)),
      reconciledAgainst:
        'PaymentStatsService.controlTotals (succeeded: count, gross, refunds, net; same filter)',
      extras: {},
    };
  }

  private paymentStatistics(job: ExportJob): ExportSource {
    const payments = this.sources.payments();
    if (!payments) throw new SourceUnavailableError('the payments module is not available');
    const filter = this.paymentFilter(job);
    let totals: Record<string, unknown> = {};
    let share: ElectronicShare | null = null;
    return {
      titleEn: 'Payment statistics',
      titleAr: 'إحصاءات المدفوعات',
      header: ['measure', 'value'],
      dimensions: ['measure'],
      async *rows() {
        totals = ((await payments.controlTotals(filter)) ?? {}) as Record<string, unknown>;
        share = await payments.electronicShare(filter);
        const measures: [string, bigint][] = [
          ['succeededCount', fils(totals.count)],
          ['grossFils', fils(totals.grossFils)],
          ['refundsFils', fils(totals.refundsFils)],
          ['netFils', fils(totals.netFils)],
          ['feeFils', fils(totals.feeFils ?? '0')],
          ['electronicNetCount', BigInt(share.count.electronic)],
          ['netCount', BigInt(share.count.total)],
          ['electronicNetFils', share.valueFils.electronic],
          ['netFilsByShare', share.valueFils.total],
        ];
        for (const [m, v] of measures) yield { cells: [m, v], keys: [m], fils: v };
      },
      // Two of the module's contract methods must agree on the net value of the same filter.
      reconcile: async () =>
        share && fils(totals.netFils) !== share.valueFils.total
          ? [
              `controlTotals.netFils ${String(totals.netFils)} differs from electronicShare total ${share.valueFils.total}`,
            ]
          : [],
      reconciledAgainst: 'PaymentStatsService.controlTotals vs electronicShare (net fils)',
      extras: {},
    };
  }
}

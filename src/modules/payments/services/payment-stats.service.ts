import { Injectable } from '@nestjs/common';
import { AgencyService } from '../../../platform/agencies/agency.service.js';
import { hasScope } from '../../../platform/auth/access.js';
import type { Actor } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { DomainException, type FieldError } from '../../../platform/errors/domain-exception.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { filsToJson, formatBhd } from '../../../platform/money/fils.js';
import {
  isElectronic,
  PAYMENT_CHANNELS,
  type PaymentChannel,
  TRANSACTION_KINDS,
} from '../domain/channels.js';
import {
  bahrainDay,
  bahrainDayStart,
  previousPeriod,
  type ReportingPeriod,
  resolvePeriod,
} from '../domain/periods.js';
import { AGENCY_CODE_PATTERN, SERVICE_CODE_PATTERN } from '../domain/transaction-input.js';
import { PaymentsErrors } from '../errors/payments.errors.js';
import { PaymentFactsRepository } from '../repositories/payment-facts.repository.js';
import {
  type RollupDimension,
  type RollupFilter,
  PaymentRollupRepository,
  type RollupSum,
} from '../repositories/payment-rollup.repository.js';

export type StatsGroupBy = 'channel' | 'electronic' | 'service' | 'agency' | 'kind';
export const STATS_GROUP_BY: readonly StatsGroupBy[] = [
  'channel',
  'electronic',
  'service',
  'agency',
  'kind',
];

export interface StatsRange {
  from: string;
  to: string;
  serviceCode?: string;
  agencyCode?: string;
}

/** Money and counts of a set of succeeded transactions, exact (bigint). */
export interface Totals {
  payments: bigint;
  refunds: bigint;
  reversals: bigint;
  grossFils: bigint;
  refundsFils: bigint;
  feeFils: bigint;
  electronicPayments: bigint;
  electronicReversals: bigint;
  electronicGrossFils: bigint;
  electronicRefundsFils: bigint;
}

const zero = (): Totals => ({
  payments: 0n,
  refunds: 0n,
  reversals: 0n,
  grossFils: 0n,
  refundsFils: 0n,
  feeFils: 0n,
  electronicPayments: 0n,
  electronicReversals: 0n,
  electronicGrossFils: 0n,
  electronicRefundsFils: 0n,
});

function add(t: Totals, s: RollupSum): void {
  const e = isElectronic(s.channel);
  if (s.kind === 'payment') {
    t.payments += s.count;
    t.grossFils += s.amountFils;
    if (e) {
      t.electronicPayments += s.count;
      t.electronicGrossFils += s.amountFils;
    }
  } else {
    if (s.kind === 'refund') t.refunds += s.count;
    else t.reversals += s.count;
    t.refundsFils += s.amountFils;
    if (e) {
      t.electronicRefundsFils += s.amountFils;
      if (s.kind === 'reversal') t.electronicReversals += s.count;
    }
  }
  t.feeFils += s.feeFils;
}

/**
 * Net count: payments minus reversals (a reversed payment never stood; a refunded one did
 * happen). Net value: payments minus refunds and reversals.
 */
export const netCount = (t: Totals) => t.payments - t.reversals;
export const netFils = (t: Totals) => t.grossFils - t.refundsFils;
const electronicNetCount = (t: Totals) => t.electronicPayments - t.electronicReversals;
const electronicNetFils = (t: Totals) => t.electronicGrossFils - t.electronicRefundsFils;

/** part / whole rounded to 4 decimals, computed on integers; 0 when nothing was paid. */
export function share(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 20000n + whole) / (2n * whole)) / 10000;
}

export interface TotalsJson {
  count: { payments: string; refunds: string; reversals: string; net: string };
  grossFils: string;
  refundsFils: string;
  netFils: string;
  feeFils: string;
  netBhd: string;
  electronic: { netCount: string; netFils: string; netBhd: string };
  electronicShareByCount: number;
  electronicShareByValue: number;
}

export function totalsJson(t: Totals): TotalsJson {
  return {
    count: {
      payments: t.payments.toString(),
      refunds: t.refunds.toString(),
      reversals: t.reversals.toString(),
      net: netCount(t).toString(),
    },
    grossFils: filsToJson(t.grossFils),
    refundsFils: filsToJson(t.refundsFils),
    netFils: filsToJson(netFils(t)),
    feeFils: filsToJson(t.feeFils),
    netBhd: formatBhd(netFils(t)),
    electronic: {
      netCount: electronicNetCount(t).toString(),
      netFils: filsToJson(electronicNetFils(t)),
      netBhd: formatBhd(electronicNetFils(t)),
    },
    electronicShareByCount: share(electronicNetCount(t), netCount(t)),
    electronicShareByValue: share(electronicNetFils(t), netFils(t)),
  };
}

export interface StatsReport {
  period: { kind: string; label: string; from: string; to: string };
  filters: { agency: string | null; service: string | null };
  groupBy: StatsGroupBy | null;
  totals: TotalsJson;
  groups: (TotalsJson & { key: string; labelEn: string; labelAr: string })[];
  previous: {
    period: { kind: string; label: string; from: string; to: string };
    totals: TotalsJson;
  };
}

export interface StatsQuery {
  period?: string;
  date?: string;
  from?: string;
  to?: string;
  groupBy?: string;
  agency?: string;
  service?: string;
}

/**
 * Statistics from the rollups (never the facts), and the contract other modules use.
 * Who may read: API clients with `reports:read` (national figures, every agency) and with
 * `payments:read` (their own agency only); staff through the back office (national roles see
 * everything, agency staff their agency).
 */
@Injectable()
export class PaymentStatsService {
  constructor(
    private readonly rollups: PaymentRollupRepository,
    private readonly facts: PaymentFactsRepository,
    private readonly agencies: AgencyService,
    private readonly clock: Clock,
  ) {}

  async totals(range: StatsRange, dim: RollupDimension = 'none'): Promise<Map<string, Totals>> {
    return byKey(await this.rollups.sumSucceeded(filterOf(range), dim));
  }

  private async grand(range: StatsRange): Promise<Totals> {
    return (await this.totals(range)).get('') ?? zero();
  }

  /** Contract: electronic vs all succeeded transactions, net of refunds and reversals. */
  async electronicShare(range: StatsRange): Promise<{
    count: { electronic: number; total: number };
    valueFils: { electronic: bigint; total: bigint };
  }> {
    const t = await this.grand(range);
    return {
      count: { electronic: Number(electronicNetCount(t)), total: Number(netCount(t)) },
      valueFils: { electronic: electronicNetFils(t), total: netFils(t) },
    };
  }

  /** Contract: one service's year by channel. */
  async serviceYear(
    code: string,
    year: number,
  ): Promise<{
    byChannel: { channel: string; electronic: boolean; count: number; netFils: bigint }[];
    electronicShareByCount: number;
    electronicShareByValue: number;
  }> {
    const sums = await this.rollups.sumSucceeded(
      { from: `${year}-01-01`, to: `${year}-12-31`, serviceCode: code },
      'none',
    );
    const total = zero();
    const per = new Map<PaymentChannel, Totals>();
    for (const s of sums) {
      add(total, s);
      let t = per.get(s.channel);
      if (!t) per.set(s.channel, (t = zero()));
      add(t, s);
    }
    return {
      byChannel: [...per.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([channel, t]) => ({
          channel,
          electronic: isElectronic(channel),
          count: Number(netCount(t)),
          netFils: netFils(t),
        })),
      electronicShareByCount: share(electronicNetCount(total), netCount(total)),
      electronicShareByValue: share(electronicNetFils(total), netFils(total)),
    };
  }

  /** Contract: control totals of a filter (auditors tie an export to these). */
  async controlTotals(filter: StatsRange): Promise<{
    from: string;
    to: string;
    count: bigint;
    grossFils: bigint;
    refundsFils: bigint;
    netFils: bigint;
    feeFils: bigint;
  }> {
    const t = await this.grand(filter);
    return {
      from: filter.from,
      to: filter.to,
      count: t.payments + t.refunds + t.reversals,
      grossFils: t.grossFils,
      refundsFils: t.refundsFils,
      netFils: netFils(t),
      feeFils: t.feeFils,
    };
  }

  /** Contract: every fact of a filter as plain rows (amounts as digit strings), streamed. */
  async *streamTransactions(filter: StatsRange): AsyncGenerator<Record<string, string | null>> {
    const to = bahrainDayStart(filter.to);
    to.setUTCDate(to.getUTCDate() + 1);
    for await (const t of this.facts.streamFacts({
      from: bahrainDayStart(filter.from),
      to,
      agencyCode: filter.agencyCode,
      serviceCode: filter.serviceCode,
    }))
      yield {
        agencyCode: t.agencyCode,
        externalRef: t.externalRef,
        occurredAt: t.occurredAtText,
        bahrainDay: bahrainDay(t.occurredAt),
        serviceCode: t.serviceCode,
        channel: t.channel,
        electronic: String(isElectronic(t.channel)),
        kind: t.kind,
        status: t.status,
        amountFils: t.amountFils.toString(),
        feeFils: t.feeFils.toString(),
        originalRef: t.originalRef,
      };
  }

  /** The agency an actor may see: null = every agency. */
  async visibleAgency(actor: Actor, requested: string | undefined): Promise<string | null> {
    let own: string | null;
    if (actor.type === 'api_client') {
      if (hasScope(actor, 'reports:read')) own = null;
      else if (hasScope(actor, 'payments:read'))
        own = (await this.agencies.getById(actor.agencyId)).code;
      else
        throw new DomainException(
          PlatformErrors.INSUFFICIENT_SCOPE,
          'Needs payments:read or reports:read',
          [],
          {
            requiredScopes: ['payments:read'],
          },
        );
    } else if (actor.type === 'staff') {
      own = actor.agencyId ? (await this.agencies.getById(actor.agencyId)).code : null;
    } else if (actor.type === 'system') own = null;
    else throw new DomainException(PlatformErrors.UNAUTHENTICATED);
    if (own === null) return requested ?? null;
    if (requested !== undefined && requested !== own)
      throw new DomainException(PlatformErrors.OTHER_AGENCY, `This client sees only ${own}`);
    return own;
  }

  /** GET /v1/payments/stats. */
  async report(actor: Actor, q: StatsQuery): Promise<StatsReport> {
    const errors: FieldError[] = [];
    const resolved = resolvePeriod(q, { today: bahrainDay(this.clock.now()) });
    if ('errors' in resolved) errors.push(...resolved.errors);
    if (q.groupBy !== undefined && !STATS_GROUP_BY.includes(q.groupBy as StatsGroupBy))
      errors.push({
        field: 'query.groupBy',
        reason: 'enum',
        message: `must be one of ${STATS_GROUP_BY.join(', ')}`,
      });
    if (q.agency !== undefined && !AGENCY_CODE_PATTERN.test(q.agency))
      errors.push({
        field: 'query.agency',
        reason: 'format',
        message: 'must be an agency code like NPRA',
      });
    if (q.service !== undefined && !SERVICE_CODE_PATTERN.test(q.service))
      errors.push({
        field: 'query.service',
        reason: 'format',
        message: 'must be a service code like NPRA-0001',
      });
    if (errors.length || 'errors' in resolved)
      throw new DomainException(PaymentsErrors.INVALID_STATS_QUERY, undefined, errors);
    const period = resolved.ok;
    const agency = await this.visibleAgency(actor, q.agency);
    const groupBy = (q.groupBy as StatsGroupBy | undefined) ?? null;
    const range = {
      from: period.from,
      to: period.to,
      agencyCode: agency ?? undefined,
      serviceCode: q.service,
    };
    const prev = previousPeriod(period);

    const dim: RollupDimension =
      groupBy === 'service' ? 'service' : groupBy === 'agency' ? 'agency' : 'none';
    // The period and the previous one in one statement (one round trip, one snapshot).
    const [current, before] = await this.rollups.sumSucceededMany(
      [filterOf(range), filterOf({ ...range, from: prev.from, to: prev.to })],
      dim,
    );
    const groups =
      groupBy === 'channel' || groupBy === 'electronic' || groupBy === 'kind'
        ? regroup(current, groupBy)
        : byKey(current);
    const previous = zero();
    for (const s of before) add(previous, s);
    const total = zero();
    for (const t of groups.values())
      for (const k of Object.keys(t) as (keyof Totals)[]) total[k] += t[k];
    const names =
      groupBy === 'agency' ? await this.agencyNames() : new Map<string, [string, string]>();
    const describe = (p: ReportingPeriod) => ({
      kind: p.period,
      label: p.label,
      from: p.from,
      to: p.to,
    });
    return {
      period: describe(period),
      filters: { agency, service: q.service ?? null },
      groupBy,
      totals: totalsJson(total),
      groups: groupBy
        ? [...groups.entries()]
            .sort(([, a], [, b]) =>
              netFils(b) > netFils(a) ? 1 : netFils(b) < netFils(a) ? -1 : 0,
            )
            .map(([key, t]) => ({ key, ...label(groupBy, key, names), ...totalsJson(t) }))
        : [],
      previous: { period: describe(prev), totals: totalsJson(previous) },
    };
  }

  private async agencyNames(): Promise<Map<string, [string, string]>> {
    return new Map((await this.agencies.list()).map((a) => [a.code, [a.nameEn, a.nameAr]]));
  }
}

const filterOf = (range: StatsRange): RollupFilter => ({
  from: range.from,
  to: range.to,
  agencyCode: range.agencyCode,
  serviceCode: range.serviceCode,
});

function byKey(sums: RollupSum[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const s of sums) {
    let t = out.get(s.key);
    if (!t) out.set(s.key, (t = zero()));
    add(t, s);
  }
  return out;
}

/** Channel, electronic and kind groups come from the channel/kind columns of every sum. */
function regroup(sums: RollupSum[], by: 'channel' | 'electronic' | 'kind'): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const s of sums) {
    const key =
      by === 'channel'
        ? s.channel
        : by === 'kind'
          ? s.kind
          : isElectronic(s.channel)
            ? 'electronic'
            : 'in_person';
    let t = out.get(key);
    if (!t) out.set(key, (t = zero()));
    add(t, s);
  }
  return out;
}

function label(
  by: StatsGroupBy,
  key: string,
  agencies: Map<string, [string, string]>,
): { labelEn: string; labelAr: string } {
  switch (by) {
    case 'channel': {
      const c = PAYMENT_CHANNELS[key as PaymentChannel];
      return { labelEn: c?.en ?? key, labelAr: c?.ar ?? key };
    }
    case 'kind': {
      const k = TRANSACTION_KINDS[key as keyof typeof TRANSACTION_KINDS];
      return { labelEn: k?.en ?? key, labelAr: k?.ar ?? key };
    }
    case 'electronic':
      return key === 'electronic'
        ? { labelEn: 'Electronic channels', labelAr: 'القنوات الإلكترونية' }
        : { labelEn: 'In person', labelAr: 'الحضور الشخصي' };
    case 'agency': {
      const a = agencies.get(key);
      return { labelEn: a?.[0] ?? key, labelAr: a?.[1] ?? key };
    }
    case 'service':
      return { labelEn: key, labelAr: key };
  }
}

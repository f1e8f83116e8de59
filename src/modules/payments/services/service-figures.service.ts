import { Injectable } from '@nestjs/common';
import { filsToJson } from '../../../platform/money/fils.js';
import {
  isElectronic,
  PAYMENT_CHANNEL_CODES,
  type PaymentChannel,
  type TransactionKind,
} from '../domain/channels.js';
import {
  ServiceFiguresRepository,
  type ServiceYearChannelSum,
} from '../repositories/service-figures.repository.js';

/** One channel of a service's year (the registry's ServiceChannelFigures, structurally). */
export interface ServiceChannelYear {
  channel: PaymentChannel;
  electronic: boolean;
  count: number;
  grossFils: string;
  netFils: string;
}

/** A service's succeeded payments in one Asia/Bahrain year, by channel, with electronic shares. */
export interface ServiceYear {
  serviceCode: string;
  year: number;
  channels: ServiceChannelYear[];
  electronicShare: { byCount: number; byValue: number };
}

interface Acc {
  payments: bigint;
  reversals: bigint;
  grossFils: bigint;
  /** Refunds and reversals: money given back. */
  returnedFils: bigint;
}

/** part / whole rounded to 4 decimals on integers; 0 when nothing was paid. */
function ratio(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 20000n + whole) / (2n * whole)) / 10000;
}

const netCount = (a: Acc) => a.payments - a.reversals;
const netFils = (a: Acc) => a.grossFils - a.returnedFils;

/**
 * Per-service yearly payment figures for the registry (issue #8): volume by channel and the
 * electronic share by count and by value, net of refunds and reversals as in the payments
 * statistics, so a service's figures add up to the national ones. Reads monthly rollups only.
 */
@Injectable()
export class ServiceFiguresService {
  constructor(private readonly repo: ServiceFiguresRepository) {}

  /** Every year of one service, oldest first. */
  async figuresOf(serviceCode: string): Promise<ServiceYear[]> {
    return group(await this.repo.sumByServiceYearChannel(serviceCode));
  }

  /** Every year of every service with payments, by code then year. */
  async allFigures(): Promise<ServiceYear[]> {
    return group(await this.repo.sumByServiceYearChannel());
  }
}

function group(sums: ServiceYearChannelSum[]): ServiceYear[] {
  const years = new Map<string, { code: string; year: number; channels: Map<string, Acc> }>();
  for (const s of sums) {
    const key = `${s.serviceCode}\u0000${s.year}`;
    let y = years.get(key);
    if (!y) years.set(key, (y = { code: s.serviceCode, year: s.year, channels: new Map() }));
    let a = y.channels.get(s.channel);
    if (!a)
      y.channels.set(
        s.channel,
        (a = { payments: 0n, reversals: 0n, grossFils: 0n, returnedFils: 0n }),
      );
    const kind = s.kind as TransactionKind;
    if (kind === 'payment') {
      a.payments += s.count;
      a.grossFils += s.amountFils;
    } else {
      if (kind === 'reversal') a.reversals += s.count;
      a.returnedFils += s.amountFils;
    }
  }
  const out: ServiceYear[] = [];
  for (const y of years.values()) {
    const total: Acc = { payments: 0n, reversals: 0n, grossFils: 0n, returnedFils: 0n };
    const electronic: Acc = { payments: 0n, reversals: 0n, grossFils: 0n, returnedFils: 0n };
    const channels: ServiceChannelYear[] = [];
    // The vocabulary's order: electronic channels first, then desks.
    for (const channel of PAYMENT_CHANNEL_CODES) {
      const a = y.channels.get(channel);
      if (!a) continue;
      const e = isElectronic(channel);
      for (const t of e ? [total, electronic] : [total]) {
        t.payments += a.payments;
        t.reversals += a.reversals;
        t.grossFils += a.grossFils;
        t.returnedFils += a.returnedFils;
      }
      channels.push({
        channel,
        electronic: e,
        count: Number(a.payments),
        grossFils: filsToJson(a.grossFils),
        netFils: filsToJson(netFils(a)),
      });
    }
    out.push({
      serviceCode: y.code,
      year: y.year,
      channels,
      electronicShare: {
        byCount: ratio(netCount(electronic), netCount(total)),
        byValue: ratio(netFils(electronic), netFils(total)),
      },
    });
  }
  return out;
}

import { Injectable } from '@nestjs/common';
import type { KpiDefinition, KpiSource } from '../entities/kpi-definition.entity.js';
import { yearRange } from '../domain/kpi-math.js';
import { StrategySources } from '../ports/sources.js';

/** A computed figure, or why there is none. */
export type Computed =
  | {
      available: true;
      numerator: bigint;
      denominator: bigint | null;
      coveragePercent: number;
      /** Extra figures shown beside the KPI (counts and fils behind a share). */
      details?: Record<string, string>;
    }
  | { available: false; coveragePercent: 0; reason: string };

const unavailable = (reason: string): Computed => ({
  available: false,
  coveragePercent: 0,
  reason,
});

/**
 * Computes KPIs from the modules' exported services. A module that is not there (or fails)
 * makes that KPI unavailable with coverage 0; the report still renders.
 */
@Injectable()
export class KpiCalculator {
  constructor(private readonly sources: StrategySources) {}

  async compute(def: KpiDefinition, year: number): Promise<Computed | null> {
    const range = yearRange(year);
    const source: KpiSource = def.source;
    try {
      switch (source) {
        case 'computed:ekey.registrations': {
          const ekey = this.sources.ekey();
          if (!ekey) return unavailable('the eKey module (EkeyStatsService) is not available');
          return this.count(await ekey.registrations(range));
        }
        case 'computed:registry.online_services_added': {
          const registry = this.sources.registry();
          if (!registry)
            return unavailable('the registry module (RegistryService) is not available');
          return this.count(await registry.countOnlineServicesFirstPublishedIn(year));
        }
        case 'computed:notifications.paper_letters_replaced': {
          const n = this.sources.notifications();
          if (!n)
            return unavailable(
              'the notifications module (NotificationStatsService) is not available',
            );
          return this.count(await n.paperLettersReplaced(range));
        }
        case 'computed:payments.electronic_share_count':
        case 'computed:payments.electronic_share_value': {
          const payments = this.sources.payments();
          if (!payments)
            return unavailable('the payments module (PaymentStatsService) is not available');
          const s = await payments.electronicShare(range);
          const details = {
            electronicCount: String(s.count.electronic),
            totalCount: String(s.count.total),
            electronicFils: s.valueFils.electronic.toString(),
            totalFils: s.valueFils.total.toString(),
          };
          return source === 'computed:payments.electronic_share_count'
            ? {
                available: true,
                numerator: BigInt(s.count.electronic),
                denominator: BigInt(s.count.total),
                coveragePercent: 100,
                details,
              }
            : {
                available: true,
                numerator: BigInt(s.valueFils.electronic),
                denominator: BigInt(s.valueFils.total),
                coveragePercent: 100,
                details,
              };
        }
        case 'computed:strategy.goals_achieved':
        case 'entered':
          return null;
      }
    } catch (e) {
      return unavailable(`the source failed: ${(e as Error).message}`);
    }
  }

  private count(n: number): Computed {
    if (!Number.isSafeInteger(n) || n < 0) return unavailable(`the source returned ${String(n)}`);
    return { available: true, numerator: BigInt(n), denominator: null, coveragePercent: 100 };
  }
}

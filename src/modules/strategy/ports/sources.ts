import { Injectable } from '@nestjs/common';
import { SourceResolver } from './source-resolver.js';

/** A Bahrain-day range, both ends inclusive (`YYYY-MM-DD`). */
export interface DayRange {
  from: string;
  to: string;
}

/** The slice of `EkeyStatsService` strategy uses. */
export interface EkeyStatsPort {
  registrations(range: DayRange): Promise<number>;
}

/** The slice of `RegistryService` strategy uses. */
export interface RegistryPort {
  countOnlineServicesFirstPublishedIn(year: number): Promise<number>;
}

export interface ElectronicShare {
  count: { electronic: number; total: number };
  valueFils: { electronic: bigint; total: bigint };
}

export interface PaymentFilter {
  from: string;
  to: string;
  serviceCode?: string;
  agencyCode?: string;
}

/** The slice of `PaymentStatsService` strategy uses. */
export interface PaymentStatsPort {
  electronicShare(range: PaymentFilter): Promise<ElectronicShare>;
  controlTotals(filter: PaymentFilter): Promise<unknown>;
  streamTransactions(filter: PaymentFilter): AsyncIterable<Record<string, unknown>>;
  serviceYear(
    code: string,
    year: number,
  ): Promise<{
    byChannel: { channel: string; electronic: boolean; count: number; netFils: bigint }[];
    electronicShareByCount: number;
    electronicShareByValue: number;
  }>;
}

/** The slice of `NotificationStatsService` strategy uses. */
export interface NotificationStatsPort {
  paperLettersReplaced(range: DayRange): Promise<number>;
}

/**
 * The other modules' services, each or null when that module is not running in this build.
 * Resolved at every call so a module that lands later is picked up without changes here.
 */
@Injectable()
export class StrategySources {
  constructor(private readonly resolver: SourceResolver) {}

  ekey(): EkeyStatsPort | null {
    return this.resolver.find<EkeyStatsPort>('EkeyStatsService', ['registrations']);
  }

  registry(): RegistryPort | null {
    return this.resolver.find<RegistryPort>('RegistryService', [
      'countOnlineServicesFirstPublishedIn',
    ]);
  }

  payments(): PaymentStatsPort | null {
    return this.resolver.find<PaymentStatsPort>('PaymentStatsService', ['electronicShare']);
  }

  notifications(): NotificationStatsPort | null {
    return this.resolver.find<NotificationStatsPort>('NotificationStatsService', [
      'paperLettersReplaced',
    ]);
  }
}

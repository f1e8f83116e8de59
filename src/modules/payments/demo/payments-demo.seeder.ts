import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../../platform/auth/roles.js';
import { Clock } from '../../../platform/clock.js';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import type { PaymentChannel } from '../domain/channels.js';
import type { RollupDelta } from '../domain/rollup-key.js';
import type { TransactionInput } from '../domain/transaction-input.js';
import { PaymentFactsRepository } from '../repositories/payment-facts.repository.js';
import { PaymentIngestService } from '../services/payment-ingest.service.js';

/**
 * The published 2017 figures, loaded as historic aggregates (no facts exist for that year):
 * from electronic channels, 1,025,000 succeeded payments worth exactly 74,000,000.000 BHD,
 * 41 % of all transactions by count (2,500,000) and by value (180,487,804,878 fils).
 */
export const DEMO_2017 = {
  year: 2017,
  electronicCount: 1_025_000n,
  totalCount: 2_500_000n,
  electronicFils: 74_000_000_000n,
  totalFils: 180_487_804_878n,
} as const;

const SERVICES: [string, string, bigint][] = [
  ['NPRA-0001', 'NPRA', 30n],
  ['GDT-0001', 'GDT', 25n],
  ['EWA-0001', 'EWA', 20n],
  ['LMRA-0001', 'LMRA', 15n],
  ['MOIC-0001', 'MOIC', 10n],
];
const ELECTRONIC: [PaymentChannel, bigint][] = [
  ['web', 40n],
  ['mobile', 35n],
  ['kiosk', 10n],
  ['gateway', 15n],
];
const IN_PERSON: [PaymentChannel, bigint][] = [
  ['counter', 70n],
  ['cash_office', 20n],
  ['cheque', 10n],
];

/** Splits `total` over `weights` exactly (largest share takes the rounding remainder). */
export function splitExact(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  const parts = weights.map((w) => (total * w) / sum);
  parts[0] += total - parts.reduce((a, b) => a + b, 0n);
  return parts;
}

const days = (year: number): string[] => {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

/** Demo data: the 2017 aggregates and a few hundred live facts over the last 90 days. */
@Injectable()
export class PaymentsDemoSeeder {
  constructor(
    private readonly facts: PaymentFactsRepository,
    private readonly ingest: PaymentIngestService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async seed(): Promise<void> {
    await this.tx.run(async (tx) => {
      const y = DEMO_2017.year;
      if (await this.facts.hasHistoric(tx, `${y}-01-01`, `${y}-12-31`)) return;
      const all = days(y);
      const deltas: RollupDelta[] = [];
      const spread = (count: bigint, fils: bigint, channels: [PaymentChannel, bigint][]) => {
        // Same weights for count and value so every cell keeps a realistic average amount.
        const svcCounts = splitExact(
          count,
          SERVICES.map(([, , w]) => w),
        );
        const svcFils = splitExact(
          fils,
          SERVICES.map(([, , w]) => w),
        );
        SERVICES.forEach(([code, agency], si) => {
          const chCounts = splitExact(
            svcCounts[si],
            channels.map(([, w]) => w),
          );
          const chFils = splitExact(
            svcFils[si],
            channels.map(([, w]) => w),
          );
          channels.forEach(([channel], ci) => {
            const dayCounts = splitExact(
              chCounts[ci],
              all.map(() => 1n),
            );
            const dayFils = splitExact(
              chFils[ci],
              all.map(() => 1n),
            );
            all.forEach((day, di) =>
              deltas.push({
                day,
                serviceCode: code,
                agencyCode: agency,
                channel,
                kind: 'payment',
                status: 'succeeded',
                count: Number(dayCounts[di]),
                amountFils: dayFils[di],
                feeFils: 0n,
              }),
            );
          });
        });
      };
      spread(DEMO_2017.electronicCount, DEMO_2017.electronicFils, ELECTRONIC);
      spread(
        DEMO_2017.totalCount - DEMO_2017.electronicCount,
        DEMO_2017.totalFils - DEMO_2017.electronicFils,
        IN_PERSON,
      );
      deltas.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
      for (let i = 0; i < deltas.length; i += 2000)
        await this.facts.applyRollupDeltas(tx, deltas.slice(i, i + 2000), 'historic_aggregate');
    });
    await this.seedLiveFacts();
  }

  /** Deterministic references: a second run reports the same transactions, which are duplicates. */
  private async seedLiveFacts(): Promise<void> {
    const now = this.clock.now().getTime();
    const items: TransactionInput[] = [];
    const channels: PaymentChannel[] = [
      'web',
      'mobile',
      'counter',
      'web',
      'gateway',
      'kiosk',
      'cash_office',
      'mobile',
    ];
    for (let i = 0; i < 400; i++) {
      const [code, agency] = SERVICES[i % SERVICES.length];
      // Whole hours back from a fixed anchor so reruns on the same day produce the same rows.
      const at = new Date(Math.floor(now / 86_400_000) * 86_400_000 - (i * 5 + 1) * 3_600_000);
      const amount = BigInt(1000 + ((i * 7919) % 50) * 500);
      items.push({
        externalRef: `DEMO-${at.toISOString().slice(0, 10)}-${i}`,
        occurredAt: at,
        occurredAtText: at.toISOString(),
        serviceCode: code,
        agencyCode: agency,
        channel: channels[i % channels.length],
        kind: 'payment',
        status: i % 37 === 0 ? 'failed' : i % 53 === 0 ? 'pending' : 'succeeded',
        amountFils: amount,
        feeFils: amount / 100n,
        currency: 'BHD',
      });
    }
    await this.tx.run((tx) => this.ingest.store(tx, SYSTEM_ACTOR, items));
  }
}

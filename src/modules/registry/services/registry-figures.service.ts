import { Inject, Injectable, Optional } from '@nestjs/common';
import { TransactionRunner } from '../../../platform/database/transaction-runner.js';
import {
  SERVICE_FIGURES_SOURCE,
  type ServiceFiguresSource,
} from '../ports/service-figures.port.js';
import type { PublicYearFigures } from '../entities/service-payment-figures.entity.js';
import {
  ServiceFiguresRepository,
  type LowShareRow,
} from '../repositories/service-figures.repository.js';

/**
 * Each service's yearly payment figures in the registry (issue #8). `refresh` copies them
 * from payments (through the port) into the registry's `service_payment_figures`, where the
 * public service page reads them with its edition in one query; the `registry.refresh-figures`
 * scheduled task runs it every few minutes.
 */
@Injectable()
export class RegistryFiguresService {
  constructor(
    private readonly repo: ServiceFiguresRepository,
    private readonly tx: TransactionRunner,
    @Optional()
    @Inject(SERVICE_FIGURES_SOURCE)
    private readonly source: ServiceFiguresSource | null = null,
  ) {}

  /** Whether a figures source is wired in this process. */
  get available(): boolean {
    return this.source !== null;
  }

  /** Reads every service's figures and makes the registry's copy equal to them. */
  async refresh(): Promise<{ changed: number; deleted: number }> {
    if (!this.source) return { changed: 0, deleted: 0 };
    // Read before the transaction opens (on the embedded database a second connection would
    // wait for it forever).
    const all = await this.source.allFigures();
    return this.tx.run((tx) =>
      this.repo.replaceAll(
        tx,
        all.map((y) => {
          let count = 0n;
          let gross = 0n;
          for (const c of y.channels) {
            count += BigInt(c.count);
            gross += BigInt(c.grossFils);
          }
          return {
            code: y.serviceCode,
            year: y.year,
            paymentsCount: count.toString(),
            grossFils: gross.toString(),
            shareByCount: y.electronicShare.byCount,
            shareByValue: y.electronicShare.byValue,
            figures: { year: y.year, channels: y.channels, electronicShare: y.electronicShare },
          };
        }),
      ),
    );
  }

  /** The public figures of one service (by id), oldest year first. */
  figuresOf(serviceId: string): Promise<PublicYearFigures[]> {
    return this.repo.figuresOf(serviceId);
  }

  /**
   * Services that still run mostly on paper and counters: service-years of `year` whose
   * electronic share by count is below `below`, lowest first, for one agency or all.
   */
  lowElectronicShare(
    year: number,
    below: number,
    agencyId: string | null,
    limit = 100,
  ): Promise<LowShareRow[]> {
    return this.repo.lowShare(year, below, agencyId, limit);
  }
}

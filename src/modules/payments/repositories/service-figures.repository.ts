import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Succeeded transactions of one service, year (Asia/Bahrain), channel and kind. */
export interface ServiceYearChannelSum {
  serviceCode: string;
  year: number;
  channel: string;
  kind: string;
  count: bigint;
  amountFils: bigint;
}

/**
 * Per-service yearly sums, read from the monthly rollups only (never the facts): months are
 * Bahrain months, so a month's year is the Bahrain year. Live and historic sources both count.
 */
@Injectable()
export class ServiceFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sumByServiceYearChannel(serviceCode?: string): Promise<ServiceYearChannelSum[]> {
    const rows = await this.dataSource.query<
      {
        service_code: string;
        year: number;
        channel: string;
        kind: string;
        n: string;
        amount: string;
      }[]
    >(
      `SELECT service_code, extract(year FROM month)::int AS year, channel, kind,
              sum(tx_count)::text AS n, sum(amount_fils)::text AS amount
       FROM payment_rollup_month
       WHERE status = 'succeeded' AND ($1::varchar IS NULL OR service_code = $1)
       GROUP BY 1, 2, 3, 4
       ORDER BY 1, 2, 3, 4`,
      [serviceCode ?? null],
    );
    return rows.map((r) => ({
      serviceCode: r.service_code,
      year: r.year,
      channel: r.channel,
      kind: r.kind,
      count: BigInt(r.n),
      amountFils: BigInt(r.amount),
    }));
  }
}

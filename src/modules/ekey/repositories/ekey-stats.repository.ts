import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import { EkeyRegistrationYear } from '../entities/ekey-registration-year.entity.js';

export type RegistrationGrain = 'day' | 'month' | 'year';

export interface RegistrationRow {
  period: string;
  level: string;
  channel: string;
  residency: string;
  count: number;
}

/** Bahrain has no daylight saving: days are fixed UTC+3. */
const TZ = 'Asia/Bahrain';

@Injectable()
export class EkeyStatsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Accounts activated from `from` to `to` inclusive (Bahrain days). */
  async countActivated(from: string, to: string): Promise<number> {
    const [row] = await this.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ekey_account
       WHERE activated_at >= ($1::date)::timestamp AT TIME ZONE '${TZ}'
         AND activated_at < ($2::date + 1)::timestamp AT TIME ZONE '${TZ}'`,
      [from, to],
    );
    return row.n;
  }

  async activatedBy(
    from: string,
    to: string,
    grain: RegistrationGrain,
  ): Promise<RegistrationRow[]> {
    const fmt = { day: 'YYYY-MM-DD', month: 'YYYY-MM', year: 'YYYY' }[grain];
    const rows = await this.ds.query<RegistrationRow[]>(
      `SELECT to_char(activated_at AT TIME ZONE '${TZ}', '${fmt}') AS period, level, channel, residency,
              count(*)::int AS count
       FROM ekey_account
       WHERE activated_at >= ($1::date)::timestamp AT TIME ZONE '${TZ}'
         AND activated_at < ($2::date + 1)::timestamp AT TIME ZONE '${TZ}'
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [from, to],
    );
    return rows;
  }

  /** Historic aggregates of the whole years lying inside the range. */
  async historicWithin(fromYear: number, toYear: number): Promise<EkeyRegistrationYear[]> {
    if (toYear < fromYear) return [];
    return this.ds
      .getRepository(EkeyRegistrationYear)
      .createQueryBuilder('y')
      .where('y.year BETWEEN :fromYear AND :toYear AND y.historic_registrations IS NOT NULL', {
        fromYear,
        toYear,
      })
      .orderBy('y.year')
      .getMany();
  }

  findYear(year: number, tx?: Tx): Promise<EkeyRegistrationYear | null> {
    return managerOf(this.ds, tx).findOneBy(EkeyRegistrationYear, { year });
  }

  async upsertYear(
    tx: Tx,
    year: number,
    values: { target?: number | null; historicRegistrations?: number | null },
  ): Promise<void> {
    const existing = await tx.manager.findOneBy(EkeyRegistrationYear, { year });
    await tx.manager.save(EkeyRegistrationYear, {
      year,
      target: values.target !== undefined ? values.target : (existing?.target ?? null),
      historicRegistrations:
        values.historicRegistrations !== undefined
          ? values.historicRegistrations
          : (existing?.historicRegistrations ?? null),
    });
  }
}

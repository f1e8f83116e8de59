import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../../platform/database/transaction-runner.js';
import type { PublicYearFigures } from '../entities/service-payment-figures.entity.js';

/** One service-year as the refresh writes it. */
export interface FiguresRow {
  code: string;
  year: number;
  paymentsCount: string;
  grossFils: string;
  shareByCount: number;
  shareByValue: number;
  figures: PublicYearFigures;
}

export interface LowShareRow {
  code: string;
  agency_code: string;
  year: number;
  payments_count: string;
  share_by_count: number;
  share_by_value: number;
}

/** The registry's copy of per-service payment figures (`service_payment_figures`). */
@Injectable()
export class ServiceFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Makes the table equal to `rows` in one statement: codes the registry does not know are
   * ignored; a row whose figures did not change keeps its `refreshed_at` (and so the page's
   * ETag); years no longer reported are deleted.
   */
  async replaceAll(tx: Tx, rows: FiguresRow[]): Promise<{ changed: number; deleted: number }> {
    const [r] = await tx.manager.query<{ changed: number; deleted: number }[]>(
      `WITH src AS (
         SELECT s.id AS service_id, s.agency_id, s.code, x.year, x.payments_count, x.gross_fils,
                x.share_by_count, x.share_by_value, x.figures
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, year int, payments_count bigint,
              gross_fils bigint, share_by_count float8, share_by_value float8, figures jsonb)
         JOIN service s ON s.code = x.code
       ), up AS (
         INSERT INTO service_payment_figures AS f (service_id, year, agency_id, service_code,
           payments_count, gross_fils, share_by_count, share_by_value, figures, refreshed_at)
         SELECT service_id, year, agency_id, code, payments_count, gross_fils, share_by_count,
                share_by_value, figures, clock_timestamp() FROM src
         ON CONFLICT (service_id, year) DO UPDATE SET agency_id = EXCLUDED.agency_id,
           payments_count = EXCLUDED.payments_count, gross_fils = EXCLUDED.gross_fils,
           share_by_count = EXCLUDED.share_by_count, share_by_value = EXCLUDED.share_by_value,
           figures = EXCLUDED.figures, refreshed_at = EXCLUDED.refreshed_at
         WHERE f.figures IS DISTINCT FROM EXCLUDED.figures OR f.agency_id IS DISTINCT FROM EXCLUDED.agency_id
         RETURNING 1
       ), del AS (
         DELETE FROM service_payment_figures f
         WHERE NOT EXISTS (SELECT 1 FROM src WHERE src.service_id = f.service_id AND src.year = f.year)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM up)::int AS changed, (SELECT count(*) FROM del)::int AS deleted`,
      [
        JSON.stringify(
          rows.map((x) => ({
            code: x.code,
            year: x.year,
            payments_count: x.paymentsCount,
            gross_fils: x.grossFils,
            share_by_count: x.shareByCount,
            share_by_value: x.shareByValue,
            figures: x.figures,
          })),
        ),
      ],
    );
    return r;
  }

  /** Service-years of a year below an electronic share (by count), lowest first. */
  lowShare(year: number, below: number, agencyId: string | null, limit: number) {
    return this.dataSource.query<LowShareRow[]>(
      `SELECT f.service_code AS code, a.code AS agency_code, f.year, f.payments_count::text AS payments_count,
              f.share_by_count, f.share_by_value
       FROM service_payment_figures f JOIN agency a ON a.id = f.agency_id
       WHERE f.year = $1 AND f.share_by_count < $2 AND ($3::uuid IS NULL OR f.agency_id = $3)
       ORDER BY f.share_by_count, f.service_code LIMIT $4`,
      [year, below, agencyId, limit],
    );
  }

  /** The public figures of one service, oldest year first. */
  async figuresOf(serviceId: string): Promise<PublicYearFigures[]> {
    const rows = await this.dataSource.query<{ figures: PublicYearFigures }[]>(
      'SELECT figures FROM service_payment_figures WHERE service_id = $1 ORDER BY year',
      [serviceId],
    );
    return rows.map((r) => r.figures);
  }
}

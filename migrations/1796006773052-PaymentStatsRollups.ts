import type { MigrationInterface, QueryRunner } from 'typeorm';

// The succeeded deltas of a statement on payment_rollup_day, kinds pivoted into columns.
const pivot = (period: string, source: string, order: string) => `
    SELECT ${period} AS period, agency_code, channel,
           coalesce(sum(d_count) FILTER (WHERE kind = 'payment'), 0)::bigint AS payment_count,
           coalesce(sum(d_amount) FILTER (WHERE kind = 'payment'), 0)::bigint AS payment_fils,
           coalesce(sum(d_fee) FILTER (WHERE kind = 'payment'), 0)::bigint AS payment_fee_fils,
           coalesce(sum(d_count) FILTER (WHERE kind = 'refund'), 0)::bigint AS refund_count,
           coalesce(sum(d_amount) FILTER (WHERE kind = 'refund'), 0)::bigint AS refund_fils,
           coalesce(sum(d_fee) FILTER (WHERE kind = 'refund'), 0)::bigint AS refund_fee_fils,
           coalesce(sum(d_count) FILTER (WHERE kind = 'reversal'), 0)::bigint AS reversal_count,
           coalesce(sum(d_amount) FILTER (WHERE kind = 'reversal'), 0)::bigint AS reversal_fils,
           coalesce(sum(d_fee) FILTER (WHERE kind = 'reversal'), 0)::bigint AS reversal_fee_fils
    FROM (${source}) delta
    WHERE status = 'succeeded'
    GROUP BY 1, 2, 3
    HAVING sum(d_count) <> 0 OR sum(d_amount) <> 0 OR sum(d_fee) <> 0
    ORDER BY ${order}`;
const upsert = (table: string, key: string, source: string) => `
    INSERT INTO ${table} AS s (${key}, agency_code, channel, payment_count, payment_fils, payment_fee_fils,
                               refund_count, refund_fils, refund_fee_fils, reversal_count, reversal_fils, reversal_fee_fils)
    ${
      key === 'month'
        ? pivot("date_trunc('month', day)::date", source, '1, 2, 3')
        : pivot('day', source, "date_trunc('month', day), 2, 3, 1")
    }
    ON CONFLICT (${key}, agency_code, channel) DO UPDATE SET
      payment_count = s.payment_count + EXCLUDED.payment_count,
      payment_fils = s.payment_fils + EXCLUDED.payment_fils,
      payment_fee_fils = s.payment_fee_fils + EXCLUDED.payment_fee_fils,
      refund_count = s.refund_count + EXCLUDED.refund_count,
      refund_fils = s.refund_fils + EXCLUDED.refund_fils,
      refund_fee_fils = s.refund_fee_fils + EXCLUDED.refund_fee_fils,
      reversal_count = s.reversal_count + EXCLUDED.reversal_count,
      reversal_fils = s.reversal_fils + EXCLUDED.reversal_fils,
      reversal_fee_fils = s.reversal_fee_fils + EXCLUDED.reversal_fee_fils;`;
const body = (source: string) =>
  `BEGIN${upsert('payment_stats_day', 'day', source)}${upsert('payment_stats_month', 'month', source)}
    RETURN NULL;
  END`;

/** The bodies of the trigger functions as this migration created them (a later one replaces them). */
export const STATS_TRIGGER_BODIES_V1 = {
  inserted: body(
    'SELECT day, agency_code, channel, kind, status, tx_count AS d_count, amount_fils AS d_amount, fee_fils AS d_fee FROM new_rows',
  ),
  updated: body(`SELECT n.day, n.agency_code, n.channel, n.kind, n.status,
                n.tx_count - o.tx_count AS d_count, n.amount_fils - o.amount_fils AS d_amount, n.fee_fils - o.fee_fils AS d_fee
         FROM new_rows n JOIN old_rows o USING (day, service_code, agency_code, channel, kind, status, source)`),
};

/**
 * Issue 4 (statistics speed): narrow rollups for the statistics questions that do not involve a
 * service (national or one agency, grouped by channel, electronic, kind or agency).
 *
 * `payment_rollup_day` has one row per (day, service, agency, channel, kind, status, source):
 * ~690 rows a day with 10 M transactions over 36 months, and `payment_rollup_month` ~1,860 a
 * month. A 19-month range with its previous period read ~32,000 of them. Statistics only count
 * `succeeded` transactions and add every source, so these tables keep only what they read:
 * succeeded figures per (day or month, agency, channel), the three kinds side by side in columns.
 * That is ~80 rows a day or a month (10 agencies x 8 channels), a tenth of the rows to read.
 *
 * Agency stays in the key on purpose: writers of different agencies never update the same row,
 * as with the monthly rollups, so concurrent ingest of two agencies does not queue on these rows.
 *
 * Maintained from `payment_rollup_day` by statement-level triggers with transition tables, like
 * the monthly rollups (one set-based upsert per statement, rows locked in one key order: month,
 * agency, channel, day), and emptied with it by TRUNCATE. Every writer of the rollups goes
 * through `payment_rollup_day` (inserts and updates of the sums only; keys never change and no
 * row is deleted), so these tables always equal a GROUP BY over it; the property tests check it.
 */
export class PaymentStatsRollups1796006773052 implements MigrationInterface {
  name = 'PaymentStatsRollups1796006773052';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const columns = `
      "agency_code" varchar(10) NOT NULL,
      "channel" varchar(16) NOT NULL,
      "payment_count" bigint NOT NULL,
      "payment_fils" bigint NOT NULL,
      "payment_fee_fils" bigint NOT NULL,
      "refund_count" bigint NOT NULL,
      "refund_fils" bigint NOT NULL,
      "refund_fee_fils" bigint NOT NULL,
      "reversal_count" bigint NOT NULL,
      "reversal_fils" bigint NOT NULL,
      "reversal_fee_fils" bigint NOT NULL`;
    await queryRunner.query(`CREATE TABLE "payment_stats_day" (
      "day" date NOT NULL,${columns},
      CONSTRAINT "pk_payment_stats_day" PRIMARY KEY ("day", "agency_code", "channel")
    )`);
    await queryRunner.query(`CREATE TABLE "payment_stats_month" (
      "month" date NOT NULL,${columns},
      CONSTRAINT "pk_payment_stats_month" PRIMARY KEY ("month", "agency_code", "channel")
    )`);

    await queryRunner.query(`CREATE FUNCTION payment_stats_from_day_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      ${STATS_TRIGGER_BODIES_V1.inserted}
      $$`);
    await queryRunner.query(`CREATE FUNCTION payment_stats_from_day_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      ${STATS_TRIGGER_BODIES_V1.updated}
      $$`);
    await queryRunner.query(`CREATE FUNCTION payment_stats_from_day_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE payment_stats_day, payment_stats_month;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER payment_stats_from_day_inserted AFTER INSERT ON "payment_rollup_day" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_stats_from_day_inserted()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER payment_stats_from_day_updated AFTER UPDATE ON "payment_rollup_day" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_stats_from_day_updated()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER payment_stats_from_day_truncated AFTER TRUNCATE ON "payment_rollup_day" FOR EACH STATEMENT EXECUTE FUNCTION payment_stats_from_day_truncated()`,
    );
    // Backfill from the rollups already there, day by day so that a day's rows sit together.
    // The statement-level triggers above are in place, and this statement reads the daily
    // rollups in the same transaction, so no write is missed or counted twice.
    await queryRunner.query(`INSERT INTO payment_stats_day (day, agency_code, channel, payment_count, payment_fils, payment_fee_fils,
        refund_count, refund_fils, refund_fee_fils, reversal_count, reversal_fils, reversal_fee_fils)
      ${pivot('day', 'SELECT day, agency_code, channel, kind, status, tx_count AS d_count, amount_fils AS d_amount, fee_fils AS d_fee FROM payment_rollup_day', '1, 2, 3')}`);
    await queryRunner.query(`INSERT INTO payment_stats_month (month, agency_code, channel, payment_count, payment_fils, payment_fee_fils,
        refund_count, refund_fils, refund_fee_fils, reversal_count, reversal_fils, reversal_fee_fils)
      SELECT date_trunc('month', day)::date, agency_code, channel, sum(payment_count), sum(payment_fils), sum(payment_fee_fils),
             sum(refund_count), sum(refund_fils), sum(refund_fee_fils), sum(reversal_count), sum(reversal_fils), sum(reversal_fee_fils)
      FROM payment_stats_day GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    await queryRunner.query(`ANALYZE payment_stats_day`);
    await queryRunner.query(`ANALYZE payment_stats_month`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER payment_stats_from_day_truncated ON "payment_rollup_day"`,
    );
    await queryRunner.query(`DROP TRIGGER payment_stats_from_day_updated ON "payment_rollup_day"`);
    await queryRunner.query(`DROP TRIGGER payment_stats_from_day_inserted ON "payment_rollup_day"`);
    await queryRunner.query(`DROP FUNCTION payment_stats_from_day_truncated()`);
    await queryRunner.query(`DROP FUNCTION payment_stats_from_day_updated()`);
    await queryRunner.query(`DROP FUNCTION payment_stats_from_day_inserted()`);
    await queryRunner.query(`DROP TABLE "payment_stats_month"`);
    await queryRunner.query(`DROP TABLE "payment_stats_day"`);
  }
}

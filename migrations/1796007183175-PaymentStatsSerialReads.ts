import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4 (statistics speed): a marker that keeps the statistics reads serial.
 *
 * A statistics question is one statement that adds a few thousand rollup rows (a UNION ALL of
 * month and day ranges, ~4 ms of work). Its estimated cost is just above the point where the
 * planner prefers a parallel plan, and starting two parallel workers (new processes) costs far
 * more than the read itself: 15-30 ms instead of 4 ms on a loaded machine. A query that calls a
 * PARALLEL UNSAFE function is never planned in parallel; this one is IMMUTABLE and returns true,
 * so the planner folds `WHERE payment_stats_serial()` away and nothing runs per row. Only the
 * statements that use it are affected (the raw GROUP BY of the benchmark is not).
 */
export class PaymentStatsSerialReads1796007183175 implements MigrationInterface {
  name = 'PaymentStatsSerialReads1796007183175';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION payment_stats_serial() RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS 'SELECT true'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION payment_stats_serial()`);
  }
}

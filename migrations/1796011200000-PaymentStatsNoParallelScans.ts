import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLLUP_TABLES = [
  'payment_stats_day',
  'payment_stats_month',
  'payment_rollup_day',
  'payment_rollup_month',
];

/**
 * Issue 4 (statistics speed): the rollup tables are never scanned in parallel, with the table
 * setting meant for it instead of a marker function in every statement.
 *
 * A statistics question is one statement adding a few thousand rollup rows (~4 ms of work); its
 * estimated cost is just above the point where the planner prefers a parallel plan, and starting
 * two workers (new processes) costs 15-30 ms on a loaded machine. `parallel_workers = 0` gives
 * these tables no parallel scan paths, so no statement over them is planned in parallel; the facts
 * (and the raw GROUP BY the benchmark compares with) keep the planner's choice. Replaces
 * `payment_stats_serial()`, which did the same by being PARALLEL UNSAFE but had to be written
 * into each statement.
 */
export class PaymentStatsNoParallelScans1796011200000 implements MigrationInterface {
  name = 'PaymentStatsNoParallelScans1796011200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ROLLUP_TABLES)
      await queryRunner.query(`ALTER TABLE "${table}" SET (parallel_workers = 0)`);
    await queryRunner.query(`DROP FUNCTION payment_stats_serial()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION payment_stats_serial() RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS 'SELECT true'`,
    );
    for (const table of ROLLUP_TABLES)
      await queryRunner.query(`ALTER TABLE "${table}" RESET (parallel_workers)`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1795989035069 implements MigrationInterface {
  name = 'Payments1795989035069';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payment_import" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actor_type" character varying(16) NOT NULL, "actor_id" character varying(64), "outcome" character varying(16) NOT NULL, "row_count" bigint NOT NULL, "inserted_count" bigint NOT NULL, "duplicate_count" bigint NOT NULL, "error_count" integer NOT NULL, "errors" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7572cbf4f67fda715b55541362b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_ingest_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "api_client_id" uuid NOT NULL, "idempotency_key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer NOT NULL, "response_body" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78aa9d6df44973c21992c18ccdd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_payment_ingest_request_key" ON "payment_ingest_request"  ("api_client_id", "idempotency_key") `,
    );

    // Hand-written: what entities cannot express.
    // Facts, partitioned by month of occurred_at. A unique index on a partitioned table must
    // contain the partition key, so "one fact per (agency, external_ref)" lives in
    // payment_transaction_ref (plain table, primary key) that every insert goes through first.
    await queryRunner.query(`CREATE TABLE "payment_transaction" (
      "agency_code" varchar(10) NOT NULL,
      "external_ref" varchar(100) NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "occurred_at_text" varchar(40) NOT NULL,
      "service_code" varchar(16) NOT NULL,
      "channel" varchar(16) NOT NULL,
      "kind" varchar(10) NOT NULL,
      "status" varchar(10) NOT NULL,
      "amount_fils" bigint NOT NULL,
      "fee_fils" bigint NOT NULL,
      "original_ref" varchar(100),
      "source" varchar(8) NOT NULL DEFAULT 'api',
      "received_at" timestamptz NOT NULL DEFAULT now(),
      "status_changed_at" timestamptz,
      CONSTRAINT "ck_payment_transaction_amount" CHECK ("amount_fils" >= 0),
      CONSTRAINT "ck_payment_transaction_fee" CHECK ("fee_fils" >= 0),
      CONSTRAINT "ck_payment_transaction_channel" CHECK ("channel" IN ('web', 'mobile', 'kiosk', 'gateway', 'bank_transfer', 'counter', 'cash_office', 'cheque')),
      CONSTRAINT "ck_payment_transaction_kind" CHECK ("kind" IN ('payment', 'refund', 'reversal')),
      CONSTRAINT "ck_payment_transaction_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'cancelled')),
      CONSTRAINT "ck_payment_transaction_source" CHECK ("source" IN ('api', 'csv'))
    ) PARTITION BY RANGE ("occurred_at")`);
    await queryRunner.query(
      `CREATE INDEX "ix_payment_transaction_occurred_at" ON "payment_transaction" USING brin ("occurred_at")`,
    );
    // Safety net: a row outside every monthly partition still lands somewhere.
    await queryRunner.query(
      `CREATE TABLE "payment_transaction_default" PARTITION OF "payment_transaction" DEFAULT`,
    );
    // Creates the monthly partitions (Bahrain months start at 00:00+03:00) that do not exist yet.
    await queryRunner.query(`CREATE FUNCTION payment_transaction_ensure_partitions(first_month date, months integer)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        m date;
        created integer := 0;
        name text;
      BEGIN
        FOR i IN 0 .. months - 1 LOOP
          m := (date_trunc('month', first_month) + make_interval(months => i))::date;
          name := format('payment_transaction_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
          IF to_regclass(name) IS NULL THEN
            EXECUTE format(
              'CREATE TABLE %I PARTITION OF payment_transaction FOR VALUES FROM (%L) TO (%L)',
              name,
              (m::timestamp AT TIME ZONE 'UTC') - interval '3 hours',
              ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC') - interval '3 hours');
            created := created + 1;
          END IF;
        END LOOP;
        RETURN created;
      END $$`);
    await queryRunner.query(`SELECT payment_transaction_ensure_partitions('2020-01-01', 96)`);

    await queryRunner.query(`CREATE TABLE "payment_transaction_ref" (
      "agency_code" varchar(10) NOT NULL,
      "external_ref" varchar(100) NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "fingerprint" char(32) NOT NULL,
      CONSTRAINT "pk_payment_transaction_ref" PRIMARY KEY ("agency_code", "external_ref")
    )`);

    // Daily rollups (Bahrain day), kept in the same transaction as the facts. `source`
    // separates live figures from historic aggregates loaded without facts.
    const rollupColumns = `
      "service_code" varchar(16) NOT NULL,
      "agency_code" varchar(10) NOT NULL,
      "channel" varchar(16) NOT NULL,
      "kind" varchar(10) NOT NULL,
      "status" varchar(10) NOT NULL,
      "source" varchar(20) NOT NULL,
      "tx_count" bigint NOT NULL,
      "amount_fils" bigint NOT NULL,
      "fee_fils" bigint NOT NULL`;
    await queryRunner.query(`CREATE TABLE "payment_rollup_day" (
      "day" date NOT NULL,${rollupColumns},
      CONSTRAINT "ck_payment_rollup_day_source" CHECK ("source" IN ('facts', 'historic_aggregate')),
      CONSTRAINT "pk_payment_rollup_day" PRIMARY KEY ("day", "service_code", "agency_code", "channel", "kind", "status", "source")
    )`);
    // Monthly rollups, maintained from the daily ones by trigger, so a year reads twelve
    // months of rows instead of 365 days of rows.
    await queryRunner.query(`CREATE TABLE "payment_rollup_month" (
      "month" date NOT NULL,${rollupColumns},
      CONSTRAINT "ck_payment_rollup_month_source" CHECK ("source" IN ('facts', 'historic_aggregate')),
      CONSTRAINT "pk_payment_rollup_month" PRIMARY KEY ("month", "service_code", "agency_code", "channel", "kind", "status", "source")
    )`);
    // Statement-level triggers with transition tables: one set-based upsert per statement
    // (an ingest batch touches hundreds of daily rows), in key order so writers lock month rows
    // in one order. PostgreSQL allows transition tables only on single-event triggers, hence two.
    // The update join relies on rollup keys never changing: every writer updates only the sums.
    const monthUpsert = (source: string) => `
        INSERT INTO payment_rollup_month AS m
          (month, service_code, agency_code, channel, kind, status, source, tx_count, amount_fils, fee_fils)
        SELECT date_trunc('month', day)::date, service_code, agency_code, channel, kind, status, source,
               sum(d_count)::bigint, sum(d_amount)::bigint, sum(d_fee)::bigint
        FROM (${source}) delta
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(d_count) <> 0 OR sum(d_amount) <> 0 OR sum(d_fee) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (month, service_code, agency_code, channel, kind, status, source) DO UPDATE SET
          tx_count = m.tx_count + EXCLUDED.tx_count,
          amount_fils = m.amount_fils + EXCLUDED.amount_fils,
          fee_fils = m.fee_fils + EXCLUDED.fee_fils;`;
    await queryRunner.query(`CREATE FUNCTION payment_rollup_day_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${monthUpsert(
        'SELECT day, service_code, agency_code, channel, kind, status, source, tx_count AS d_count, amount_fils AS d_amount, fee_fils AS d_fee FROM new_rows',
      )}
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION payment_rollup_day_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${monthUpsert(
        `SELECT n.day, n.service_code, n.agency_code, n.channel, n.kind, n.status, n.source,
                n.tx_count - o.tx_count AS d_count, n.amount_fils - o.amount_fils AS d_amount, n.fee_fils - o.fee_fils AS d_fee
         FROM new_rows n JOIN old_rows o USING (day, service_code, agency_code, channel, kind, status, source)`,
      )}
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER payment_rollup_day_inserted AFTER INSERT ON "payment_rollup_day" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_rollup_day_inserted()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER payment_rollup_day_updated AFTER UPDATE ON "payment_rollup_day" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_rollup_day_updated()`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_payment_rollup_month_agency" ON "payment_rollup_month" ("agency_code", "month")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_payment_rollup_day_agency" ON "payment_rollup_day" ("agency_code", "day")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "payment_rollup_month"`);
    await queryRunner.query(`DROP TABLE "payment_rollup_day"`);
    await queryRunner.query(`DROP FUNCTION payment_rollup_day_inserted()`);
    await queryRunner.query(`DROP FUNCTION payment_rollup_day_updated()`);
    await queryRunner.query(`DROP TABLE "payment_transaction_ref"`);
    await queryRunner.query(`DROP TABLE "payment_transaction"`);
    await queryRunner.query(`DROP FUNCTION payment_transaction_ensure_partitions(date, integer)`);
    await queryRunner.query(`DROP INDEX "public"."uq_payment_ingest_request_key"`);
    await queryRunner.query(`DROP TABLE "payment_ingest_request"`);
    await queryRunner.query(`DROP TABLE "payment_import"`);
  }
}

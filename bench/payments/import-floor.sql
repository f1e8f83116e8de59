-- What the issue's CSV import design costs at the least, against the benchmark's baseline.
--
-- Issue #4 asks for the CSV import at 0.7x the rows/s of a `psql \copy` of the same rows into
-- payment_transaction, and for the file to be "loaded with COPY into a staging table,
-- validated, then merged". This script times, in one psql session over the benchmark's
-- database and files (run bench.js first; it TRUNCATEs the payment tables):
--
--   1. the baseline: \copy into payment_transaction (as bench.js does);
--   2. the floor of the design: \copy into a temporary staging table, then one
--      INSERT ... SELECT into payment_transaction. No reference claim, no rollups, no checks,
--      no Node: nothing an import can leave out, and nothing else;
--   3. the same with an UNLOGGED staging table;
--   4. the baseline again;
--   5. the reference claim alone: the staged references into payment_transaction_ref (its
--      primary key is the "one fact per agency reference" rule), with and without the
--      fingerprint;
--   6. staging, merge and the daily rollups (with their triggers): everything the issue itself
--      requires of an import ("a daily rollup ... kept in the same transaction as the facts"),
--      without the reference claim and without any check.
--
--   psql postgresql://postgres@127.0.0.1:5432/diwan_bench \
--     -v copyfile=/tmp/diwan-bench-10000000-s42.csv.copy -f bench/payments/import-floor.sql
--
-- Compare (1 + 4) / 2 with the sum of each staging variant's two statements, and with 6's
-- three: the ratio is the best any import of this design can reach. Results and what they mean: docs/payments.md,
-- "Session 7: the floor of the import's design".
\set ON_ERROR_STOP 1
\set cols 'external_ref, occurred_at, service_code, agency_code, channel, kind, status, amount_fils, fee_fils, occurred_at_text, original_ref'
\set empty 'TRUNCATE payment_transaction, payment_transaction_ref, payment_rollup_day, payment_rollup_month, payment_ingest_request; CHECKPOINT'
\timing on

:empty;
\echo === 1. baseline: psql copy into payment_transaction
\set copy_facts '\\copy payment_transaction (' :cols ') FROM ' :'copyfile' ' WITH (FORMAT csv, HEADER true)'
:copy_facts

:empty;
\echo === 2. floor, temporary staging: copy into it, then INSERT ... SELECT
BEGIN;
CREATE TEMP TABLE staging ON COMMIT DROP AS SELECT :cols FROM payment_transaction WITH NO DATA;
\set copy_staging '\\copy staging FROM ' :'copyfile' ' WITH (FORMAT csv, HEADER true)'
:copy_staging
INSERT INTO payment_transaction (:cols, source) SELECT *, 'csv' FROM staging;
COMMIT;

:empty;
\echo === 3. floor, unlogged staging: copy into it, then INSERT ... SELECT
BEGIN;
CREATE UNLOGGED TABLE staging AS SELECT :cols FROM payment_transaction WITH NO DATA;
:copy_staging
INSERT INTO payment_transaction (:cols, source) SELECT *, 'csv' FROM staging;
DROP TABLE staging;
COMMIT;

:empty;
\echo === 4. baseline again
:copy_facts

:empty;
\echo === 5. the reference claim alone, from a staged copy (timed: the two INSERTs)
BEGIN;
CREATE TEMP TABLE staging ON COMMIT DROP AS SELECT :cols FROM payment_transaction WITH NO DATA;
:copy_staging
\echo === 5a. with the fingerprint, as the import claims them
INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
SELECT agency_code, external_ref, occurred_at,
       md5(((date_part('epoch', occurred_at))::bigint * 1000)::text || '|' || service_code || '|' || channel
           || '|' || kind || '|' || amount_fils::text || '|' || fee_fils::text || '|' || coalesce(original_ref, ''))
FROM staging;
TRUNCATE payment_transaction_ref;
\echo === 5b. without the fingerprint
INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
SELECT agency_code, external_ref, occurred_at, '' FROM staging;
ROLLBACK;

:empty;
\echo === 6. staging, merge and daily rollups (timed: copy, INSERT, rollup upsert)
BEGIN;
CREATE TEMP TABLE staging ON COMMIT DROP AS SELECT :cols FROM payment_transaction WITH NO DATA;
:copy_staging
INSERT INTO payment_transaction (:cols, source) SELECT *, 'csv' FROM staging;
SET LOCAL work_mem = '768MB';
INSERT INTO payment_rollup_day AS r (day, service_code, agency_code, channel, kind, status, source, tx_count, amount_fils, fee_fils)
SELECT ((occurred_at AT TIME ZONE 'UTC') + interval '3 hours')::date, service_code, agency_code, channel, kind, status,
       'facts', count(*), sum(amount_fils)::bigint, sum(fee_fils)::bigint
FROM staging GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY date_trunc('month', ((occurred_at AT TIME ZONE 'UTC') + interval '3 hours')::date), 2, 3, 4, 5, 6, 1
ON CONFLICT (day, service_code, agency_code, channel, kind, status, source) DO UPDATE SET
  tx_count = r.tx_count + EXCLUDED.tx_count,
  amount_fils = r.amount_fils + EXCLUDED.amount_fils,
  fee_fils = r.fee_fils + EXCLUDED.fee_fils;
COMMIT;

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../../platform/config/config.js';
import { DATABASE_CONFIG } from '../../../platform/config/config.tokens.js';
import { rowsInTransaction, statementName } from '../../../platform/database/sql-reader.js';
import { managerOf, type Tx } from '../../../platform/database/transaction-runner.js';
import type { PaymentChannel, TransactionKind, TransactionStatus } from '../domain/channels.js';
import type { RollupDelta } from '../domain/rollup-key.js';
import type { TransactionInput } from '../domain/transaction-input.js';

/** The stored fact, as status updates and exports read it. */
export interface StoredTransaction {
  agencyCode: string;
  externalRef: string;
  occurredAt: Date;
  occurredAtText: string;
  serviceCode: string;
  channel: PaymentChannel;
  kind: TransactionKind;
  status: TransactionStatus;
  amountFils: bigint;
  feeFils: bigint;
  originalRef: string | null;
}

/**
 * What identifies a reported transaction's content (not its status, which may move on): a
 * second report of the same reference with the same fingerprint is a harmless duplicate; with
 * another one it is a conflict.
 */
export function transactionFingerprint(t: TransactionInput): string {
  return createHash('md5')
    .update(
      `${t.occurredAt.getTime()}|${t.serviceCode}|${t.channel}|${t.kind}|${t.amountFils}|${t.feeFils}|${t.originalRef ?? ''}`,
    )
    .digest('hex');
}

/**
 * The same fingerprint computed by the database from a row's columns (`alias.occurred_at`, …):
 * milliseconds since the epoch (inputs carry at most milliseconds), then the values as text.
 */
export const FINGERPRINT_SQL = (a: string) =>
  `md5(((extract(epoch FROM ${a}.occurred_at) * 1000)::bigint)::text || '|' || ${a}.service_code || '|' || ${a}.channel
    || '|' || ${a}.kind || '|' || ${a}.amount_fils::text || '|' || ${a}.fee_fils::text || '|' || coalesce(${a}.original_ref, ''))`;

/** Bahrain day of a timestamptz column, in SQL (UTC+3, no DST: same as periods.ts). */
export const BAHRAIN_DAY_SQL = (col: string) =>
  `((${col} AT TIME ZONE 'UTC') + interval '3 hours')::date`;

const FACT_COLUMNS =
  'agency_code, external_ref, occurred_at, occurred_at_text, service_code, channel, kind, status, amount_fils, fee_fils, original_ref, source';
const ROLLUP_KEY = 'day, service_code, agency_code, channel, kind, status, source';
/** One lock order for every writer (month first, as the month trigger locks in that order). */
const ROLLUP_ORDER =
  "date_trunc('month', day), service_code, agency_code, channel, kind, status, source, day";

/** Staging table of a CSV import: per transaction, a COPY of the validated rows. */
const STAGING_COLUMNS =
  'line, agency_code, external_ref, occurred_at, occurred_at_text, service_code, channel, kind, status, amount_fils, fee_fils, original_ref';

const copyText = (v: string | null): string =>
  v === null
    ? '\\N'
    : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** One staged row as a line of COPY text format (the database computes the fingerprint). */
export function stagingLine(line: number, t: TransactionInput): string {
  return `${line}\t${copyText(t.agencyCode)}\t${copyText(t.externalRef)}\t${t.occurredAt.toISOString()}\t${copyText(t.occurredAtText)}\t${t.serviceCode}\t${t.channel}\t${t.kind}\t${t.status}\t${t.amountFils}\t${t.feeFils}\t${copyText(t.originalRef ?? null)}\n`;
}

/** The same line from a row that passed `fastCheckCsvRow` (fields in TRANSACTION_FIELDS order). */
export function stagingLineOfFields(line: number, fields: readonly string[], at: Date): string {
  const [ref, text, service, agency, channel, kind, status, amount, fee, , original] = fields;
  return `${line}\t${agency}\t${copyText(ref)}\t${at.toISOString()}\t${copyText(text)}\t${service}\t${channel}\t${kind}\t${status}\t${amount}\t${fee}\t${original === '' ? '\\N' : copyText(original)}\n`;
}

/**
 * `FINGERPRINT_SQL` over the fast path's text columns. The times have whole seconds there, so
 * the epoch in float (`date_part`, exact for whole seconds) gives the same milliseconds as the
 * numeric `extract` at a fraction of the cost.
 */
const RAW_FINGERPRINT_SQL = `md5(((date_part('epoch', r.occurred_at_text::timestamptz))::bigint * 1000)::text || '|' || r.service_code
  || '|' || r.channel || '|' || r.kind || '|' || r.amount_fils::text || '|' || r.fee_fils::text || '|' || coalesce(r.original_ref, ''))`;

/** A batch's columns, each sent as one text joined by U+001F (see `storeBatch`). */
const batchColumn = (k: number, type: string) => `string_to_array($${k}, E'\\x1f')::${type}[]`;
const BATCH_INPUT = `input AS (
         SELECT i.*, ${FINGERPRINT_SQL('i')} AS fingerprint
         FROM unnest(${batchColumn(1, 'varchar')}, ${batchColumn(2, 'varchar')}, ${batchColumn(3, 'timestamptz')},
           ${batchColumn(4, 'varchar')}, ${batchColumn(5, 'varchar')}, ${batchColumn(6, 'varchar')}, ${batchColumn(7, 'varchar')},
           ${batchColumn(8, 'varchar')}, ${batchColumn(9, 'bigint')}, ${batchColumn(10, 'bigint')},
           string_to_array($11, E'\\x1f', ''))
           AS i(agency_code, external_ref, occurred_at, occurred_at_text, service_code, channel, kind, status,
                amount_fils, fee_fils, original_ref))`;
/** The daily rollups of the rows of `rows`, upserted in the writers' lock order. */
const batchRollups = (
  rows: string,
) => `INSERT INTO payment_rollup_day AS r (${ROLLUP_KEY}, tx_count, amount_fils, fee_fils)
         SELECT ${BAHRAIN_DAY_SQL('occurred_at')} AS day, service_code, agency_code, channel, kind, status, 'facts',
                count(*), sum(amount_fils)::bigint, sum(fee_fils)::bigint
         FROM ${rows} GROUP BY 1, 2, 3, 4, 5, 6
         ORDER BY date_trunc('month', ${BAHRAIN_DAY_SQL('occurred_at')}), 2, 3, 4, 5, 6, 1
         ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
           tx_count = r.tx_count + EXCLUDED.tx_count,
           amount_fils = r.amount_fils + EXCLUDED.amount_fils,
           fee_fils = r.fee_fils + EXCLUDED.fee_fils`;

/**
 * A batch whose references are all new (nearly every batch): a plain INSERT claims them, and
 * if it succeeds every row was claimed, so the facts and the rollups come straight from the
 * input, without joining back to the claimed references or returning a row (session 5: the
 * join's two sorts and the RETURNING tuples were ~15 % of the statement). Any reference
 * already known breaks the primary key and the whole statement fails.
 */
const STORE_NEW_BATCH = `WITH ${BATCH_INPUT},
       claimed AS (
         INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
         SELECT agency_code, external_ref, occurred_at, fingerprint FROM input),
       facts AS (
         INSERT INTO payment_transaction (${FACT_COLUMNS})
         SELECT agency_code, external_ref, occurred_at, occurred_at_text, service_code, channel, kind, status,
                amount_fils, fee_fils, original_ref, $12::varchar
         FROM input),
       rolled AS (${batchRollups('input')})
       SELECT 1`;

/**
 * Any batch: claims the new references only (ON CONFLICT DO NOTHING), inserts the facts of the
 * claimed ones and adds their rollups; returns the claimed references.
 */
const STORE_BATCH_SKIPPING_KNOWN = `WITH ${BATCH_INPUT},
       claimed AS (
         INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
         SELECT agency_code, external_ref, occurred_at, fingerprint FROM input
         ON CONFLICT DO NOTHING RETURNING agency_code, external_ref),
       facts AS (
         INSERT INTO payment_transaction (${FACT_COLUMNS})
         SELECT i.agency_code, i.external_ref, i.occurred_at, i.occurred_at_text, i.service_code, i.channel, i.kind,
                i.status, i.amount_fils, i.fee_fils, i.original_ref, $12::varchar
         FROM input i JOIN claimed c USING (agency_code, external_ref)
         RETURNING occurred_at, service_code, agency_code, channel, kind, status, amount_fils, fee_fils),
       rolled AS (${batchRollups('facts')} RETURNING 1)
       SELECT agency_code, external_ref FROM claimed`;

/** Two imports of overlapping files raced; the caller retries or reports a conflict. */
export class ConcurrentImportError extends Error {
  constructor() {
    super('another import stored some of these transactions at the same time');
  }
}

/** The distinct values of the copied rows that `insertRaw` returns for checking. */
export interface RawValueGroup {
  serviceCode: string;
  agencyCode: string;
  channel: string;
  kind: string;
  status: string;
  currency: string;
  hasOriginal: boolean;
  ownOriginal: boolean | null;
}

interface StagingError {
  line: number;
  field: string;
  reason: string;
  message: string;
}

@Injectable()
export class PaymentFactsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly db: DatabaseConfig,
  ) {}

  // ---- idempotency ---------------------------------------------------------------------------

  /** Claims the key; false when it exists (after waiting for a concurrent holder to finish). */
  async claimIdempotencyKey(tx: Tx, clientId: string, key: string, hash: string): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(
      `INSERT INTO payment_ingest_request (api_client_id, idempotency_key, request_hash, response_status, response_body)
       VALUES ($1, $2, $3, 0, '{}') ON CONFLICT (api_client_id, idempotency_key) DO NOTHING RETURNING id`,
      [clientId, key, hash],
    );
    return rows.length > 0;
  }

  async findIngestRequest(
    tx: Tx,
    clientId: string,
    key: string,
  ): Promise<{ requestHash: string; status: number; body: Record<string, unknown> } | null> {
    const rows = await tx.manager.query<
      { request_hash: string; response_status: number; response_body: Record<string, unknown> }[]
    >(
      'SELECT request_hash, response_status, response_body FROM payment_ingest_request WHERE api_client_id = $1 AND idempotency_key = $2',
      [clientId, key],
    );
    if (!rows.length) return null;
    return {
      requestHash: rows[0].request_hash,
      status: rows[0].response_status,
      body: rows[0].response_body,
    };
  }

  async storeIngestResponse(
    tx: Tx,
    clientId: string,
    key: string,
    status: number,
    body: Record<string, unknown>,
  ): Promise<void> {
    await tx.manager.query(
      'UPDATE payment_ingest_request SET response_status = $3, response_body = $4 WHERE api_client_id = $1 AND idempotency_key = $2',
      [clientId, key, status, JSON.stringify(body)],
    );
  }

  // ---- facts ---------------------------------------------------------------------------------

  /**
   * Claims the references of a batch (the unique key of a fact); returns those that were new.
   * A replayed or concurrent duplicate claims nothing, so it adds no fact and no rollup delta.
   */
  async claimRefs(tx: Tx, items: TransactionInput[]): Promise<Set<string>> {
    const rows = await tx.manager.query<{ agency_code: string; external_ref: string }[]>(
      `INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::char(32)[])
       ON CONFLICT DO NOTHING RETURNING agency_code, external_ref`,
      [
        items.map((t) => t.agencyCode),
        items.map((t) => t.externalRef),
        items.map((t) => t.occurredAt.toISOString()),
        items.map(transactionFingerprint),
      ],
    );
    return new Set(rows.map((r) => `${r.agency_code}|${r.external_ref}`));
  }

  /**
   * Stores a validated batch in one statement (one round trip, the rows sent once): claims the
   * references (new ones only, see below), inserts the facts of the claimed ones and adds their
   * daily rollups grouped in SQL, in the writers' lock order. Returns the claimed references
   * (`agency|ref`); the others were reported before (or by a concurrent request).
   */
  async storeBatch(tx: Tx, items: TransactionInput[], source: 'api' | 'csv'): Promise<Set<string>> {
    if (!items.length) return new Set();
    // Each column travels as one text joined by U+001F (a control character, which no
    // validated value contains; '' stands for a missing original): far cheaper to build and
    // to parse than array literals with quoting.
    const n = items.length;
    const cols: string[][] = Array.from({ length: 11 }, () => new Array<string>(n));
    for (let i = 0; i < n; i++) {
      const t = items[i];
      cols[0][i] = t.agencyCode;
      cols[1][i] = t.externalRef;
      cols[2][i] = t.occurredAt.toISOString();
      cols[3][i] = t.occurredAtText;
      cols[4][i] = t.serviceCode;
      cols[5][i] = t.channel;
      cols[6][i] = t.kind;
      cols[7][i] = t.status;
      cols[8][i] = t.amountFils.toString();
      cols[9][i] = t.feeFils.toString();
      cols[10][i] = t.originalRef ?? '';
    }
    const params = [...cols.map((c) => c.join('\x1f')), source];
    // Nearly every batch is new: a plain INSERT of the references first, under a savepoint,
    // which costs about half of ON CONFLICT's speculative insertion per row. A resend (or a
    // concurrent batch with the same references) breaks the primary key: back to the savepoint
    // and the statement with ON CONFLICT DO NOTHING, which tells the duplicates apart.
    await tx.manager.query('SAVEPOINT payment_batch');
    try {
      // Prepared once per connection (parsed and planned once: ~0.8 ms of a 1,000-row batch).
      await rowsInTransaction(
        tx,
        {
          name: statementName('payments_batch', STORE_NEW_BATCH),
          text: STORE_NEW_BATCH,
          values: params,
        },
        this.db.embedded,
      );
      await tx.manager.query('RELEASE SAVEPOINT payment_batch');
      // The plain INSERT claimed every reference, or it would have failed.
      return new Set(items.map((t) => `${t.agencyCode}|${t.externalRef}`));
    } catch (e) {
      if (sqlState(e) !== UNIQUE_VIOLATION) throw e;
      await tx.manager.query('ROLLBACK TO SAVEPOINT payment_batch');
    }
    type Claimed = { agency_code: string; external_ref: string }[];
    const rows = await tx.manager.query<Claimed>(STORE_BATCH_SKIPPING_KNOWN, params);
    return new Set(rows.map((r) => `${r.agency_code}|${r.external_ref}`));
  }

  /** One multi-row INSERT of facts whose references were just claimed. */
  async insertFacts(tx: Tx, items: TransactionInput[], source: 'api' | 'csv'): Promise<void> {
    if (!items.length) return;
    const col = <T>(f: (t: TransactionInput) => T) => items.map(f);
    await tx.manager.query(
      `INSERT INTO payment_transaction (${FACT_COLUMNS})
       SELECT *, $12::varchar FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::varchar[],
         $6::varchar[], $7::varchar[], $8::varchar[], $9::bigint[], $10::bigint[], $11::varchar[])`,
      [
        col((t) => t.agencyCode),
        col((t) => t.externalRef),
        col((t) => t.occurredAt.toISOString()),
        col((t) => t.occurredAtText),
        col((t) => t.serviceCode),
        col((t) => t.channel),
        col((t) => t.kind),
        col((t) => t.status),
        col((t) => t.amountFils.toString()),
        col((t) => t.feeFils.toString()),
        col((t) => t.originalRef ?? null),
        source,
      ],
    );
  }

  /** Fingerprints of already reported references of an agency. */
  async findFingerprints(tx: Tx, agencyCode: string, refs: string[]): Promise<Map<string, string>> {
    if (!refs.length) return new Map();
    const rows = await tx.manager.query<{ external_ref: string; fingerprint: string }[]>(
      'SELECT external_ref, fingerprint FROM payment_transaction_ref WHERE agency_code = $1 AND external_ref = ANY($2::varchar[])',
      [agencyCode, refs],
    );
    return new Map(rows.map((r) => [r.external_ref, r.fingerprint]));
  }

  /**
   * The transaction, its reference row locked so concurrent status changes queue up, then
   * the fact read at the time that row holds. Two statements on purpose: with the time passed
   * as a value the planner keeps only its partition, while a join learns it only at run time
   * and opens every partition to prune them (0.49 s against 0.02 s at 10 M facts).
   */
  async findForUpdate(tx: Tx, agencyCode: string, ref: string): Promise<StoredTransaction | null> {
    const [locked] = await tx.manager.query<Array<{ occurred_at: Date }>>(
      `SELECT occurred_at FROM payment_transaction_ref
       WHERE agency_code = $1 AND external_ref = $2 FOR UPDATE`,
      [agencyCode, ref],
    );
    if (!locked) return null;
    const rows = await tx.manager.query<Record<string, string | Date | null>[]>(
      `SELECT * FROM payment_transaction
       WHERE agency_code = $1 AND external_ref = $2 AND occurred_at = $3`,
      [agencyCode, ref, locked.occurred_at],
    );
    return rows.length ? toStored(rows[0]) : null;
  }

  async updateStatus(
    tx: Tx,
    t: StoredTransaction,
    status: TransactionStatus,
    at: Date,
  ): Promise<void> {
    await tx.manager.query(
      `UPDATE payment_transaction SET status = $4, status_changed_at = $5
       WHERE agency_code = $1 AND external_ref = $2 AND occurred_at = $3`,
      [t.agencyCode, t.externalRef, t.occurredAt, status, at],
    );
  }

  /** Adds deltas to the daily rollups (and through the trigger to the monthly ones). */
  async applyRollupDeltas(
    tx: Tx,
    deltas: RollupDelta[],
    source: 'facts' | 'historic_aggregate' = 'facts',
  ): Promise<void> {
    if (!deltas.length) return;
    const col = <T>(f: (d: RollupDelta) => T) => deltas.map(f);
    await tx.manager.query(
      `INSERT INTO payment_rollup_day AS r (${ROLLUP_KEY}, tx_count, amount_fils, fee_fils)
       SELECT ${ROLLUP_KEY}, tx_count, amount_fils, fee_fils FROM (
         SELECT *, $7::varchar AS source FROM unnest($1::date[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
                              $8::bigint[], $9::bigint[], $10::bigint[])
           AS d(day, service_code, agency_code, channel, kind, status, tx_count, amount_fils, fee_fils)) x
       ORDER BY ${ROLLUP_ORDER}
       ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
         tx_count = r.tx_count + EXCLUDED.tx_count,
         amount_fils = r.amount_fils + EXCLUDED.amount_fils,
         fee_fils = r.fee_fils + EXCLUDED.fee_fils`,
      [
        col((d) => d.day),
        col((d) => d.serviceCode),
        col((d) => d.agencyCode),
        col((d) => d.channel),
        col((d) => d.kind),
        col((d) => d.status),
        source,
        col((d) => String(d.count)),
        col((d) => d.amountFils.toString()),
        col((d) => d.feeFils.toString()),
      ],
    );
  }

  /** Creates the monthly partitions from `firstMonth` on; returns how many were new. */
  async ensurePartitions(firstMonth: string, months: number): Promise<number> {
    const rows = await this.dataSource.query<{ created: number }[]>(
      'SELECT payment_transaction_ensure_partitions($1::date, $2) AS created',
      [firstMonth, months],
    );
    return rows[0].created;
  }

  /** Every fact of a filter as plain rows, in pages (constant memory for auditor exports). */
  async *streamFacts(filter: {
    from: Date;
    to: Date;
    agencyCode?: string;
    serviceCode?: string;
  }): AsyncGenerator<StoredTransaction> {
    const pageSize = 5000;
    let after: { at: Date; agency: string; ref: string } | null = null;
    for (;;) {
      const params: unknown[] = [
        filter.from,
        filter.to,
        filter.agencyCode ?? null,
        filter.serviceCode ?? null,
      ];
      let cursor = '';
      if (after) {
        params.push(after.at, after.agency, after.ref);
        cursor = 'AND (occurred_at, agency_code, external_ref) > ($5, $6, $7)';
      }
      const rows: Record<string, string | Date | null>[] = await this.dataSource.query(
        `SELECT * FROM payment_transaction WHERE occurred_at >= $1 AND occurred_at < $2
           AND ($3::varchar IS NULL OR agency_code = $3) AND ($4::varchar IS NULL OR service_code = $4) ${cursor}
         ORDER BY occurred_at, agency_code, external_ref LIMIT ${pageSize}`,
        params,
      );
      for (const r of rows) yield toStored(r);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = {
        at: last.occurred_at as Date,
        agency: String(last.agency_code),
        ref: String(last.external_ref),
      };
    }
  }

  // ---- CSV staging ---------------------------------------------------------------------------

  async createStaging(tx: Tx): Promise<void> {
    await tx.manager.query(`CREATE TEMP TABLE payment_import_staging (
      line integer NOT NULL, agency_code varchar(10) NOT NULL, external_ref varchar(100) NOT NULL,
      occurred_at timestamptz NOT NULL, occurred_at_text varchar(40) NOT NULL, service_code varchar(16) NOT NULL,
      channel varchar(16) NOT NULL, kind varchar(10) NOT NULL, status varchar(10) NOT NULL,
      amount_fils bigint NOT NULL, fee_fils bigint NOT NULL, original_ref varchar(100)
    ) ON COMMIT DROP`);
  }

  /**
   * Streams COPY-text lines into the staging table. PostgreSQL gets a real COPY; the embedded
   * database (whose socket server does not speak the COPY sub-protocol) gets multi-row INSERTs.
   */
  async copyIntoStaging(tx: Tx, lines: AsyncIterable<string[]>): Promise<void> {
    if (this.db.embedded) {
      for await (const chunk of lines) {
        if (!chunk.length) continue;
        const cells = chunk.map((l) =>
          l
            .slice(0, -1)
            .split('\t')
            .map((c) => (c === '\\N' ? null : unescapeCopy(c))),
        );
        const cols = STAGING_COLUMNS.split(', ');
        await tx.manager.query(
          `INSERT INTO payment_import_staging (${STAGING_COLUMNS}) SELECT * FROM unnest(${cols
            .map((c, i) => `$${i + 1}::${stagingType(c)}[]`)
            .join(', ')})`,
          cols.map((_, i) => cells.map((row) => row[i])),
        );
      }
      return;
    }
    const client = (tx.manager.queryRunner as unknown as { databaseConnection: pg.PoolClient })
      .databaseConnection;
    const stream = client.query(
      copyFrom(`COPY payment_import_staging (${STAGING_COLUMNS}) FROM STDIN`),
    );
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const chunk of lines) if (chunk.length) yield chunk.join('');
        })(),
      ),
      stream,
    );
  }

  // ---- CSV fast path: the file's bytes straight into COPY --------------------------------------

  /** Whether the database speaks COPY (PostgreSQL does; the embedded database does not). */
  get supportsCopy(): boolean {
    return !this.db.embedded;
  }

  /**
   * The fast path's first step: the bytes of a plain file (`PlainCsvScanner`), header line
   * included, into a temporary table through `COPY … (FORMAT csv, HEADER)`: PostgreSQL parses
   * them in C, into the column types, and checks the time range as it copies. Returns the rows
   * copied, or null when COPY refused the file (an impossible date, a time out of range, a code
   * too long): the transaction is then aborted and the caller takes the diagnosing path.
   */
  async copyFileIntoRaw(
    tx: Tx,
    file: string,
    notBefore: Date,
    notAfter: Date,
  ): Promise<number | null> {
    await tx.manager.query(`CREATE TEMP TABLE payment_import_raw (
      external_ref varchar(100) NOT NULL, occurred_at_text varchar(40) NOT NULL, service_code varchar(16) NOT NULL,
      agency_code varchar(10) NOT NULL, channel varchar(16) NOT NULL, kind varchar(10) NOT NULL,
      status varchar(10) NOT NULL, amount_fils bigint NOT NULL, fee_fils bigint NOT NULL, currency text NOT NULL,
      original_ref varchar(100),
      CHECK (occurred_at_text::timestamptz BETWEEN '${notBefore.toISOString()}' AND '${notAfter.toISOString()}')
    ) ON COMMIT DROP`);
    const client = (tx.manager.queryRunner as unknown as { databaseConnection: pg.PoolClient })
      .databaseConnection;
    const stream = client.query(
      copyFrom('COPY payment_import_raw FROM STDIN WITH (FORMAT csv, HEADER true)'),
    );
    try {
      await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
    } catch (e) {
      // A PostgreSQL error (SQLSTATE): the file is not for the fast path.
      if (sqlState(e)) return null;
      throw e;
    }
    return stream.rowCount;
  }

  /**
   * Claims every copied reference in one plain INSERT; returns whether all were new. A reference
   * repeated in the file, reported before or being imported concurrently breaks the primary
   * key: the statement fails (false; the transaction is aborted) and the caller takes the
   * diagnosing path, which names lines and counts duplicates. No `ON CONFLICT` (its speculative
   * insertion doubled the cost per row) and no `ORDER BY` (sorting the references first cost
   * more than it saved: 157 s against 134 s for 10 M rows, even sorted in memory).
   */
  async claimAllRaw(tx: Tx): Promise<boolean> {
    try {
      await tx.manager.query(
        `INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
         SELECT agency_code, external_ref, occurred_at_text::timestamptz, ${RAW_FINGERPRINT_SQL}
         FROM payment_import_raw r`,
      );
      return true;
    } catch (e) {
      if (sqlState(e) === UNIQUE_VIOLATION) return false;
      throw e;
    }
  }

  /** After `claimAllRaw`: whether some refund or reversal names a payment reported nowhere. */
  async rawOriginalsMissing(tx: Tx): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(
      `SELECT 1 FROM payment_import_raw s
       WHERE s.original_ref IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM payment_transaction_ref o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)
       LIMIT 1`,
    );
    return rows.length > 0;
  }

  /**
   * Inserts the copied (claimed) rows as facts and adds their daily rollups. The rollups' GROUP
   * BY also yields, in the same pass, the distinct values the scan left unchecked (codes, enums,
   * currency, whether an original is given, whether one names its own row) for the caller to
   * check with `validateTransaction`'s rules before committing: one scan of the file's rows
   * fewer. Null when the database refused a value (a CHECK of the fact table, an overflow):
   * the transaction is then aborted and the caller takes the diagnosing path.
   */
  async insertRaw(tx: Tx): Promise<{ inserted: number; groups: RawValueGroup[] } | null> {
    try {
      const [{ n }] = await tx.manager.query<{ n: number }[]>(
        `WITH ins AS (
           INSERT INTO payment_transaction (${FACT_COLUMNS})
           SELECT agency_code, external_ref, occurred_at_text::timestamptz, occurred_at_text, service_code, channel, kind,
                  status, amount_fils, fee_fils, original_ref, 'csv' FROM payment_import_raw
           RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
      );
      // 10 M rows group into ~760k keys: at 256 MB the hash aggregates still spilled to disk
      // (5 batches, 236 MB); one import's statement may use more, the rest of the transaction not.
      await tx.manager.query("SET LOCAL work_mem = '768MB'");
      const groups = await tx.manager.query<RawValueGroup[]>(
        `WITH g AS MATERIALIZED (
           SELECT ${BAHRAIN_DAY_SQL('occurred_at_text::timestamptz')} AS day, service_code, agency_code, channel, kind,
                  status, currency, original_ref IS NOT NULL AS has_original,
                  bool_or(original_ref = external_ref) AS own_original,
                  count(*) AS n, sum(amount_fils) AS amount, sum(fee_fils) AS fee
           FROM payment_import_raw GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
         rolled AS (
           INSERT INTO payment_rollup_day AS r (${ROLLUP_KEY}, tx_count, amount_fils, fee_fils)
           SELECT day, service_code, agency_code, channel, kind, status, 'facts', sum(n)::bigint, sum(amount)::bigint,
                  sum(fee)::bigint
           FROM g GROUP BY 1, 2, 3, 4, 5, 6
           ORDER BY date_trunc('month', day), 2, 3, 4, 5, 6, 1
           ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
             tx_count = r.tx_count + EXCLUDED.tx_count,
             amount_fils = r.amount_fils + EXCLUDED.amount_fils,
             fee_fils = r.fee_fils + EXCLUDED.fee_fils)
         SELECT service_code AS "serviceCode", agency_code AS "agencyCode", channel, kind, status, currency,
                has_original AS "hasOriginal", bool_or(own_original) AS "ownOriginal"
         FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      );
      await tx.manager.query('SET LOCAL work_mem TO DEFAULT');
      return { inserted: n, groups };
    } catch (e) {
      // Data exceptions (22…) and integrity violations (23…): a value the fast path cannot take.
      if (/^2[23]/.test(sqlState(e) ?? '')) return null;
      throw e;
    }
  }

  /** Set-wide checks a single row cannot make: repeats in the file, conflicts, missing originals. */
  async stagingErrors(tx: Tx, limit: number): Promise<StagingError[]> {
    return tx.manager.query<StagingError[]>(
      `(SELECT s.line, 'externalRef' AS field, 'duplicate' AS reason,
               'repeats the reference of line ' || f.first_line AS message
        FROM payment_import_staging s
        JOIN (SELECT agency_code, external_ref, min(line) AS first_line FROM payment_import_staging
              GROUP BY 1, 2 HAVING count(*) > 1) f USING (agency_code, external_ref)
        WHERE s.line <> f.first_line)
       UNION ALL
       (SELECT s.line, 'externalRef', 'conflict',
               'was already reported with different values'
        FROM payment_import_staging s JOIN payment_transaction_ref r USING (agency_code, external_ref)
        WHERE r.fingerprint <> ${FINGERPRINT_SQL('s')})
       UNION ALL
       (SELECT s.line, 'originalRef', 'not_found', 'names a payment that was not reported'
        FROM payment_import_staging s
        WHERE s.original_ref IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM payment_import_staging o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)
          AND NOT EXISTS (SELECT 1 FROM payment_transaction_ref o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref))
       ORDER BY line LIMIT ${Number(limit)}`,
    );
  }

  async countStagingErrors(tx: Tx): Promise<number> {
    const [r] = await tx.manager.query<{ n: number }[]>(
      `SELECT ((SELECT count(*) FROM payment_import_staging s JOIN (SELECT agency_code, external_ref FROM payment_import_staging GROUP BY 1, 2 HAVING count(*) > 1) f USING (agency_code, external_ref))
             - (SELECT count(*) FROM (SELECT 1 FROM payment_import_staging GROUP BY agency_code, external_ref HAVING count(*) > 1) g)
             + (SELECT count(*) FROM payment_import_staging s JOIN payment_transaction_ref r USING (agency_code, external_ref) WHERE r.fingerprint <> ${FINGERPRINT_SQL('s')})
             + (SELECT count(*) FROM payment_import_staging s WHERE s.original_ref IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM payment_import_staging o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)
                  AND NOT EXISTS (SELECT 1 FROM payment_transaction_ref o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)))::int AS n`,
    );
    return r.n;
  }

  /**
   * The common case, a file of new transactions, in the fewest passes: claims every staged
   * reference under a savepoint. When all were claimed, nothing in the file repeats itself or
   * an earlier report (no duplicate, no conflict), and the claim stands. Otherwise the claim is
   * rolled back to the savepoint and the caller takes the diagnosing path (`stagingErrors`,
   * `mergeStaging`). Returns whether the claim stands (`undoClaim` still can take it back).
   */
  async claimAllStaged(tx: Tx): Promise<boolean> {
    // In key order: the primary key's b-tree is then written page after page, not at random.
    await tx.manager.query('SAVEPOINT payment_import_claim');
    const [{ claimed, staged }] = await tx.manager.query<{ claimed: number; staged: number }[]>(
      `WITH ins AS (
         INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
         SELECT agency_code, external_ref, occurred_at, ${FINGERPRINT_SQL('s')} FROM payment_import_staging s
         ORDER BY agency_code, external_ref
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS claimed, (SELECT count(*) FROM payment_import_staging)::int AS staged`,
    );
    if (claimed === staged) return true;
    await this.undoClaim(tx);
    return false;
  }

  /** Undoes `claimAllStaged` (the transaction goes on, e.g. to commit nothing but a report). */
  async undoClaim(tx: Tx): Promise<void> {
    await tx.manager.query('ROLLBACK TO SAVEPOINT payment_import_claim');
  }

  /** After `claimAllStaged`: staged refunds and reversals whose payment is nowhere. */
  async claimedOriginalsMissing(tx: Tx, limit: number): Promise<StagingError[]> {
    return tx.manager.query<StagingError[]>(
      `SELECT s.line, 'originalRef' AS field, 'not_found' AS reason, 'names a payment that was not reported' AS message
       FROM payment_import_staging s
       WHERE s.original_ref IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM payment_transaction_ref o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)
       ORDER BY line LIMIT ${Number(limit)}`,
    );
  }

  async countClaimedOriginalsMissing(tx: Tx): Promise<number> {
    const [r] = await tx.manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM payment_import_staging s
       WHERE s.original_ref IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM payment_transaction_ref o WHERE o.agency_code = s.agency_code AND o.external_ref = s.original_ref)`,
    );
    return r.n;
  }

  /**
   * The diagnosing path (some references were reported before or repeat in the file, checked
   * by `stagingErrors` first): drops the rows already reported (same fingerprint), claims the
   * rest, then `insertStaged`. Returns the rows inserted.
   */
  async mergeStaging(tx: Tx): Promise<number> {
    await tx.manager.query(
      `DELETE FROM payment_import_staging s USING payment_transaction_ref r
       WHERE r.agency_code = s.agency_code AND r.external_ref = s.external_ref`,
    );
    await tx.manager.query('ANALYZE payment_import_staging');
    const [{ claimed }] = await tx.manager.query<{ claimed: number }[]>(
      `WITH ins AS (
         INSERT INTO payment_transaction_ref (agency_code, external_ref, occurred_at, fingerprint)
         SELECT agency_code, external_ref, occurred_at, ${FINGERPRINT_SQL('s')} FROM payment_import_staging s
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS claimed FROM ins`,
    );
    const [{ n }] = await tx.manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM payment_import_staging',
    );
    // Another import claimed some of these references between our check and our insert.
    if (claimed !== n) throw new ConcurrentImportError();
    return this.insertStaged(tx);
  }

  /** Inserts the staged (claimed) rows as facts and adds their rollups; returns how many. */
  async insertStaged(tx: Tx): Promise<number> {
    const [{ n }] = await tx.manager.query<{ n: number }[]>(
      `WITH ins AS (
         INSERT INTO payment_transaction (${FACT_COLUMNS})
         SELECT agency_code, external_ref, occurred_at, occurred_at_text, service_code, channel, kind, status,
                amount_fils, fee_fils, original_ref, 'csv' FROM payment_import_staging
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
    );
    await tx.manager.query(
      `INSERT INTO payment_rollup_day AS r (${ROLLUP_KEY}, tx_count, amount_fils, fee_fils)
       SELECT ${BAHRAIN_DAY_SQL('occurred_at')} AS day, service_code, agency_code, channel, kind, status, 'facts',
              count(*), sum(amount_fils)::bigint, sum(fee_fils)::bigint
       FROM payment_import_staging GROUP BY 1, 2, 3, 4, 5, 6
       ORDER BY date_trunc('month', ${BAHRAIN_DAY_SQL('occurred_at')}), 2, 3, 4, 5, 6, 1
       ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
         tx_count = r.tx_count + EXCLUDED.tx_count,
         amount_fils = r.amount_fils + EXCLUDED.amount_fils,
         fee_fils = r.fee_fils + EXCLUDED.fee_fils`,
    );
    return n;
  }

  async saveImportReport(
    tx: Tx,
    actor: { type: string; id: string | null },
    r: {
      outcome: string;
      rows: number;
      inserted: number;
      duplicates: number;
      errorCount: number;
      errors: unknown[];
    },
  ): Promise<string> {
    const [row] = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO payment_import (actor_type, actor_id, outcome, row_count, inserted_count, duplicate_count, error_count, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        actor.type,
        actor.id,
        r.outcome,
        r.rows,
        r.inserted,
        r.duplicates,
        r.errorCount,
        JSON.stringify(r.errors.slice(0, 100)),
      ],
    );
    return row.id;
  }

  /** Whether any fact or rollup of the demo seed exists already. */
  async hasHistoric(tx: Tx, from: string, to: string): Promise<boolean> {
    const rows = await managerOf(this.dataSource, tx).query<unknown[]>(
      `SELECT 1 FROM payment_rollup_day WHERE source = 'historic_aggregate' AND day BETWEEN $1::date AND $2::date LIMIT 1`,
      [from, to],
    );
    return rows.length > 0;
  }
}

const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a PostgreSQL error (TypeORM wraps it and copies `code`), else null. */
function sqlState(e: unknown): string | null {
  const code = e instanceof Error && 'code' in e ? e.code : null;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function stagingType(col: string): string {
  switch (col) {
    case 'line':
      return 'integer';
    case 'occurred_at':
      return 'timestamptz';
    case 'amount_fils':
    case 'fee_fils':
      return 'bigint';
    default:
      return 'varchar';
  }
}

function unescapeCopy(c: string): string {
  return c.replace(/\\([\\tnr])/g, (_, x: string) =>
    x === 't' ? '\t' : x === 'n' ? '\n' : x === 'r' ? '\r' : '\\',
  );
}

function toStored(r: Record<string, string | Date | null>): StoredTransaction {
  return {
    agencyCode: String(r.agency_code),
    externalRef: String(r.external_ref),
    occurredAt: r.occurred_at as Date,
    occurredAtText: String(r.occurred_at_text),
    serviceCode: String(r.service_code),
    channel: r.channel as PaymentChannel,
    kind: r.kind as TransactionKind,
    status: r.status as TransactionStatus,
    amountFils: BigInt(r.amount_fils as string),
    feeFils: BigInt(r.fee_fils as string),
    originalRef: (r.original_ref as string | null) ?? null,
  };
}

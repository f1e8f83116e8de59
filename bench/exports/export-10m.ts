/**
 * Auditor export at scale: N payment transactions through the export's own code path (the
 * payment_transactions source's row mapping, control totals by status/channel/kind, SHA-256 while
 * writing, the CSV writer) to a file, against a raw baseline (the same rows straight into
 * writeCsv). Reports wall time, rows per second and peak RSS for both, plus the file hash.
 *
 *   npm run build && node --expose-gc dist/bench/exports/export-10m.js --rows 10000000 --out /tmp
 *
 * Rows come from bench/payments' deterministic generator (seed 42), so runs are comparable.
 * A plain script, no Nest and no database: it measures the exporter, not the payments store.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCsv } from '../../src/platform/csv/csv-writer.js';
import type { ExportJob } from '../../src/modules/strategy/entities/export-job.entity.js';
import { ControlTotalsAccumulator } from '../../src/modules/strategy/exports/control-totals.js';
import {
  HashingFileSink,
  writeCsvExport,
} from '../../src/modules/strategy/exports/export-file-writer.js';
import type { AuditService } from '../../src/platform/audit/audit.service.js';
import { ExportSources } from '../../src/modules/strategy/exports/export-sources.js';
import type { StrategySources } from '../../src/modules/strategy/ports/sources.js';
import type { ExportRepository } from '../../src/modules/strategy/repositories/export.repository.js';
import type { StrategyRepository } from '../../src/modules/strategy/repositories/strategy.repository.js';
import {
  CSV_COLUMNS,
  type GenerationStats,
  generateRows,
} from '../payments/generate-transactions.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    out: { type: 'string', default: '/tmp' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);

function stats(): GenerationStats {
  return { rows: 0, refunds: 0, reversals: 0, paidFils: 0n, paidElectronicFils: 0n };
}

/** Peak RSS sampled every 50 ms while `work` runs. */
async function measure<T>(label: string, work: () => Promise<T>) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    `${label}: ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (start ${(rssBefore / 2 ** 20).toFixed(0)} MiB)`,
  );
  return result;
}

/** The payments module's contract: plain rows with amounts as digit strings. */
async function* paymentFacts(): AsyncGenerator<Record<string, string | null>> {
  for (const r of generateRows({ rows: ROWS, seed: 42, startMonth: '2023-11' }, stats())) {
    const o: Record<string, string | null> = {};
    for (let i = 0; i < CSV_COLUMNS.length; i++) {
      const v = r[i];
      o[CSV_COLUMNS[i]] = v === '' || v === undefined ? null : String(v);
    }
    yield o;
  }
}

async function exporter(): Promise<void> {
  const sources = new ExportSources(
    null as unknown as ExportRepository,
    null as unknown as StrategyRepository,
    {
      payments: () => ({
        streamTransactions: paymentFacts,
        controlTotals: async () => ({}),
        electronicShare: async () => {
          throw new Error('unused');
        },
        serviceYear: async () => {
          throw new Error('unused');
        },
      }),
    } as unknown as StrategySources,
    null as unknown as AuditService, // payment exports never read the audit log
  );
  const job = {
    id: 'bench',
    kind: 'payment_transactions',
    format: 'csv',
    filters: { from: '2023-11-01', to: '2026-10-31' },
  } as unknown as ExportJob;
  const source = await sources.open(job);
  const acc = new ControlTotalsAccumulator(source.dimensions);
  const path = join(values.out, 'diwan-export-bench.csv');
  await rm(path, { force: true });
  const sink = new HashingFileSink(path);
  // The same loop as ExportService.writeFile (progress updates aside).
  async function* cells() {
    for await (const row of source.rows()) {
      acc.add(row.keys, row.fils ?? 0n);
      yield row.cells;
    }
  }
  const count = await writeCsvExport(sink, source.header, cells());
  const { bytes, sha256 } = await sink.finish();
  const totals = acc.totals();
  console.log(
    `  exported ${count.toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB, sha256 ${sha256.slice(0, 16)}…, succeeded ${totals.status.succeeded?.count.toLocaleString('en')} rows / ${totals.status.succeeded?.fils} fils`,
  );
  if (!values.keep) await rm(path, { force: true });
}

async function baseline(): Promise<void> {
  const path = join(values.out, 'diwan-export-baseline.csv');
  const out = createWriteStream(path);
  await writeCsv(out, generateRows({ rows: ROWS, seed: 42, startMonth: '2023-11' }, stats()), {
    header: CSV_COLUMNS,
  });
  out.end();
  await once(out, 'finish');
  await rm(path, { force: true });
}

console.log(`${ROWS.toLocaleString('en')} payment transactions, node ${process.version}`);
await measure('baseline (generator → writeCsv)', baseline);
await measure('export (source rows → totals → SHA-256 → CSV)', exporter);

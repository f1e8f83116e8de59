/**
 * Deterministic test data for the payments statistics module: N transactions over 36 months
 * (default 2023-11 to 2026-10, none in the future) as a CSV whose header matches
 * TransactionInput, ready for the CSV import or COPY.
 *
 *   node dist/bench/payments/generate-transactions.js --rows 10000000 --seed 42 --out /tmp/tx.csv
 *
 * Same seed, same bytes. The mix is tuned to look like the real feed: about 41 % of the value
 * paid electronically (small fees online, large ones at counters), 2 % refunds, 0.5 % reversals,
 * mostly succeeded, a weekend dip (Friday, Saturday) and growth over the years. Amounts are
 * integer fils made with integer arithmetic only (no float ever becomes an amount).
 * A plain script, no Nest.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeCsv } from '../../src/platform/csv/csv-writer.js';
import {
  PAYMENT_CHANNELS,
  type PaymentChannel,
  type TransactionKind,
  type TransactionStatus,
} from '../../src/modules/payments/domain/channels.js';
import { TRANSACTION_FIELDS } from '../../src/modules/payments/domain/transaction-input.js';

/** Same columns, same order as the import and the exports. */
export const CSV_COLUMNS = TRANSACTION_FIELDS;

const MONTHS = 36;
const MIN_FILS = 500;
const MAX_FILS = 500_000;

/** mulberry32: tiny, fast, good enough for test data; returns a uint32. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

type Amounts = readonly number[] | { lo: number; hi: number };
interface Service {
  code: string;
  agency: string;
  weight: number;
  /** A price list (fixed government fees) or a range (bills, fines, court fees). */
  amounts: Amounts;
}

// Ten agencies, four services each; weights are relative popularity, amounts in fils.
const SERVICES: Service[] = (
  [
    [
      'NPRA',
      [
        [60, [12_000, 8_000]],
        [40, [5_000, 10_000, 30_000]],
        [25, [60_000, 90_000]],
        [10, [2_000]],
      ],
    ],
    [
      'LMRA',
      [
        [30, [172_000, 100_000]],
        [20, [5_000, 10_000]],
        [15, { lo: 10_000, hi: 400_000 }],
        [5, [30_000]],
      ],
    ],
    [
      'GDT',
      [
        [70, { lo: 3_000, hi: 100_000 }],
        [30, [5_000, 10_000]],
        [15, [20_000, 40_000]],
        [10, [15_000]],
      ],
    ],
    [
      'EWA',
      [
        [120, { lo: 2_000, hi: 300_000 }],
        [10, [50_000, 100_000]],
        [5, [5_000]],
        [5, { lo: 1_000, hi: 20_000 }],
      ],
    ],
    [
      'MOIC',
      [
        [25, [50_000, 100_000]],
        [15, [20_000]],
        [10, { lo: 5_000, hi: 500_000 }],
        [5, [10_000]],
      ],
    ],
    [
      'SLRB',
      [
        [8, { lo: 20_000, hi: 500_000 }],
        [8, [10_000, 25_000]],
        [4, [5_000]],
        [3, { lo: 50_000, hi: 500_000 }],
      ],
    ],
    [
      'MOJ',
      [
        [10, { lo: 5_000, hi: 500_000 }],
        [8, [2_000, 5_000]],
        [5, [10_000]],
        [3, { lo: 1_000, hi: 50_000 }],
      ],
    ],
    [
      'MOH',
      [
        [20, [5_000, 7_000]],
        [15, [20_000]],
        [10, { lo: 1_000, hi: 80_000 }],
        [5, [3_000]],
      ],
    ],
    [
      'MUN',
      [
        [25, { lo: 1_000, hi: 150_000 }],
        [15, [10_000, 25_000]],
        [10, [500, 1_000]],
        [5, { lo: 5_000, hi: 200_000 }],
      ],
    ],
    [
      'IGA',
      [
        [40, [1_000, 2_000]],
        [20, [500]],
        [10, [5_000]],
        [5, [3_000]],
      ],
    ],
  ] as const
).flatMap(([agency, services]) =>
  services.map(([weight, amounts], i) => ({
    code: `${agency}-${String(i + 1).padStart(4, '0')}`,
    agency,
    weight,
    amounts,
  })),
);

const ELECTRONIC: [PaymentChannel, number][] = [
  ['web', 40],
  ['mobile', 35],
  ['kiosk', 8],
  ['gateway', 12],
  ['bank_transfer', 5],
];
const IN_PERSON: [PaymentChannel, number][] = [
  ['counter', 60],
  ['cash_office', 25],
  ['cheque', 15],
];
const PAYMENT_STATUS: [TransactionStatus, number][] = [
  ['succeeded', 950],
  ['failed', 30],
  ['cancelled', 15],
  ['pending', 5],
];
const UNDO_STATUS: [TransactionStatus, number][] = [
  ['succeeded', 970],
  ['pending', 20],
  ['failed', 10],
];
/** Bahrain hours: busy mornings, an evening peak online. */
const HOUR_WEIGHTS = [
  2, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 15, 13, 10, 8, 7, 7, 8, 10, 12, 12, 10, 7, 4,
];

function picker<T>(table: readonly (readonly [T, number])[], rnd: () => number): () => T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = rnd() % total;
    for (const [value, w] of table) if ((r -= w) < 0) return value;
    return table[table.length - 1][0];
  };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** First month, 'YYYY-MM'; 36 months from there. */
  startMonth: string;
}

interface Recent {
  ref: string;
  service: Service;
  channel: PaymentChannel;
  amount: number;
}

export interface GenerationStats {
  rows: number;
  refunds: number;
  reversals: number;
  /** Succeeded payments only, in fils. */
  paidFils: bigint;
  paidElectronicFils: bigint;
}

/** Yields the data rows (CSV_COLUMNS order) and fills `stats` as it goes. */
export function* generateRows(
  options: GenerateOptions,
  stats: GenerationStats,
): Generator<(string | number)[]> {
  const rnd = mulberry32(options.seed);
  const int = (n: number): number => rnd() % n;
  // Skewed towards the low end: the smallest of three uniform draws.
  const skewed = (lo: number, hi: number): number =>
    lo + Math.min(int(hi - lo + 1), int(hi - lo + 1), int(hi - lo + 1));
  const service = picker(
    SERVICES.map((s) => [s, s.weight] as const),
    rnd,
  );
  const electronic = picker(ELECTRONIC, rnd);
  const inPerson = picker(IN_PERSON, rnd);
  const paymentStatus = picker(PAYMENT_STATUS, rnd);
  const undoStatus = picker(UNDO_STATUS, rnd);
  const hour = picker(
    HOUR_WEIGHTS.map((w, h) => [h, w] as const),
    rnd,
  );

  // Rows per day from integer weights: weekend dip, steady growth month on month.
  const [y0, m0] = options.startMonth.split('-').map(Number);
  const first = Date.UTC(y0, m0 - 1, 1);
  const days = (Date.UTC(y0, m0 - 1 + MONTHS, 1) - first) / 86_400_000;
  const dayText: string[] = [];
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (let d = 0; d < days; d++) {
    const date = new Date(first + d * 86_400_000);
    const weekday = date.getUTCDay();
    const month = (date.getUTCFullYear() - y0) * 12 + date.getUTCMonth() - (m0 - 1);
    totalWeight += (weekday === 5 ? 35 : weekday === 6 ? 60 : 100) + month * 3;
    cumulative.push(totalWeight);
    dayText.push(date.toISOString().slice(0, 10));
  }

  // Recent succeeded payments, so refunds and reversals name a real earlier one.
  const recent: Recent[] = [];
  const RECENT = 4096;

  let day = 0;
  for (let i = 0; i < options.rows; i++) {
    // Integer division of integers below 2^53: exact.
    while (day < days - 1 && i >= Math.floor((options.rows * cumulative[day]) / totalWeight)) day++;
    const time = `${dayText[day]}T${pad2(hour())}:${pad2(int(60))}:${pad2(int(60))}+03:00`;

    const roll = int(1000);
    const undo = recent.length > 0 && roll < 25 ? recent[int(recent.length)] : undefined;
    const kind: TransactionKind = undo ? (roll < 20 ? 'refund' : 'reversal') : 'payment';
    let svc: Service;
    let channel: PaymentChannel;
    let amount: number;
    let status: TransactionStatus;
    if (undo) {
      svc = undo.service;
      channel = undo.channel;
      // Most refunds are whole; some give part back. A reversal is always whole.
      amount = kind === 'refund' && int(10) < 3 ? skewed(1, undo.amount) : undo.amount;
      status = undoStatus();
    } else {
      svc = service();
      const a = svc.amounts;
      amount = 'lo' in a ? skewed(a.lo, a.hi) : a[int(a.length)];
      amount = Math.min(MAX_FILS, Math.max(MIN_FILS, amount));
      // Small fees are mostly paid online, large ones mostly at a desk.
      const online = amount < 20_000 ? 78 : amount < 100_000 ? 52 : 26;
      channel = int(100) < online ? electronic() : inPerson();
      status = paymentStatus();
    }
    const fee =
      channel === 'gateway' ? Math.min(2_000, Math.max(100, Math.floor(amount / 100))) : 0;
    const ref = `${svc.agency}-S${options.seed}-${i}`;

    stats.rows++;
    if (kind === 'refund') stats.refunds++;
    if (kind === 'reversal') stats.reversals++;
    if (kind === 'payment' && status === 'succeeded') {
      stats.paidFils += BigInt(amount);
      if (PAYMENT_CHANNELS[channel].electronic) stats.paidElectronicFils += BigInt(amount);
      const entry = { ref, service: svc, channel, amount };
      if (recent.length < RECENT) recent.push(entry);
      else recent[int(RECENT)] = entry;
    }
    yield [
      ref,
      time,
      svc.code,
      svc.agency,
      channel,
      kind,
      status,
      amount,
      fee,
      'BHD',
      undo ? undo.ref : '',
    ];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      'start-month': { type: 'string', default: '2023-11' },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error('--rows must be a whole number');
  if (!Number.isSafeInteger(seed)) throw new Error('--seed must be a whole number');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values['start-month']))
    throw new Error('--start-month must be YYYY-MM');

  const started = process.hrtime.bigint();
  const out = values.out
    ? createWriteStream(values.out, { highWaterMark: 1 << 20 })
    : process.stdout;
  const stats: GenerationStats = {
    rows: 0,
    refunds: 0,
    reversals: 0,
    paidFils: 0n,
    paidElectronicFils: 0n,
  };
  // No BOM: this file is for machines (the import accepts one either way).
  await writeCsv(out, generateRows({ rows, seed, startMonth: values['start-month'] }, stats), {
    bom: false,
    header: CSV_COLUMNS,
  });
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  const ms = (process.hrtime.bigint() - started) / 1_000_000n;
  const perMille = (part: bigint, whole: bigint): string =>
    whole === 0n ? '-' : `${(part * 1000n) / whole}‰`;
  process.stderr.write(
    `${stats.rows} rows in ${ms} ms; electronic share of value ${perMille(stats.paidElectronicFils, stats.paidFils)}, ` +
      `refunds ${perMille(BigInt(stats.refunds), BigInt(stats.rows))}, reversals ${perMille(BigInt(stats.reversals), BigInt(stats.rows))}\n`,
  );
}

// Run only as a script, so a test can import generateRows.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}

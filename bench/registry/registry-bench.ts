/**
 * Registry read benchmark, one run, one database, two servers:
 *   - Diwan (the real app: guards, rate limit, validation, access log, problem filter), and
 *   - a raw baseline: plain node:http + pg running the same SQL (catalogue-sql.ts) with the
 *     same pool size, returning the same rows as JSON.
 * 5,000 bilingual published services are loaded into a scratch database first. Each server
 * runs in its own process; this process only generates load (keep-alive, N connections).
 * Prints req/s, p50/p95/p99 and the Diwan/baseline ratios for GET /v1/services/{code} and a search.
 *
 *   npm run build && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     node dist/bench/registry/registry-bench.js [--services 5000] [--connections 32] [--seconds 10]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDiwan } from '../../src/bootstrap.js';
import { DEMO_SERVICES } from '../../src/modules/registry/demo/demo-services.js';
import { editionColumns } from '../../src/modules/registry/domain/edition-columns.js';
import { buildSearchTerms } from '../../src/modules/registry/domain/search-query.js';
import {
  publishedServiceSql,
  searchServicesSql,
} from '../../src/modules/registry/repositories/catalogue-sql.js';
import { RegistryDemoSeeder } from '../../src/modules/registry/services/registry-demo.seeder.js';
import { loadConfig } from '../../src/platform/config/config.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    pool: { type: 'string', default: '10' },
    serve: { type: 'string' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const POOL = Number(args.pool);
const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

/** The searches the load generator cycles through (Arabic and English, one typo-free each). */
export const SEARCHES = [
  'تجديد جواز السفر',
  'passport renewal',
  'رخصة',
  'شهادة ميلاد',
  'commercial registration',
];

const QUALIFIERS: [string, string][] = [
  ['للمواطنين', 'for citizens'],
  ['للمقيمين', 'for residents'],
  ['للشركات', 'for companies'],
  ['في المحافظة الشمالية', 'in the Northern Governorate'],
  ['في المحافظة الجنوبية', 'in the Southern Governorate'],
  ['في محافظة العاصمة', 'in the Capital Governorate'],
  ['في محافظة المحرق', 'in Muharraq Governorate'],
  ['المستعجل', 'express'],
  ['عبر الوكيل', 'through a representative'],
  ['لذوي الإعاقة', 'for people with disabilities'],
];

// ── Servers (child processes) ──

/** A server process tells the load generator its CPU time (user + system, µs) when asked. */
function answerCpuUsage(): void {
  process.on('message', (m) => {
    if (m !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
}

async function serveDiwan(url: string): Promise<void> {
  const diwan = await startDiwan(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      DATABASE_POOL_MAX: String(POOL),
      DATABASE_MIGRATIONS_RUN: 'false',
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ADMIN_PASSWORD: 'bench admin password 1',
      ADMIN_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
    }),
    // The access log is written as in production (JSON lines), to a sink.
    {
      listen: true,
      logDestination: new (await import('node:stream')).Writable({ write: (_c, _e, cb) => cb() }),
    },
  );
  process.on('SIGTERM', () => void diwan.close().finally(() => process.exit(0)));
  answerCpuUsage();
  process.send?.({ port: Number(new URL(diwan.url!).port) });
}

async function serveRaw(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const synonymRows = await pool.query<{ term: string; alternatives: string[] }>(
    'SELECT term, alternatives FROM search_synonym',
  );
  const synonyms = new Map(synonymRows.rows.map((r) => [r.term, r.alternatives]));
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    const detail = /^\/v1\/services\/([A-Z0-9-]+)$/.exec(u.pathname);
    const work = detail
      ? (async () => {
          const q = publishedServiceSql(detail[1]);
          const { rows } = await pool.query(q);
          if (!rows.length) return send(404, { status: 404 });
          send(200, rows[0], {
            etag: `"${rows[0].edition_id}"`,
            'cache-control': 'public, max-age=60',
          });
        })()
      : u.pathname === '/v1/services'
        ? (async () => {
            const terms = buildSearchTerms(u.searchParams.get('q') ?? '', synonyms);
            const q = searchServicesSql(terms.arabic || terms.english ? terms : null, {}, 20, {
              lang: 'ar',
              pageUrlPrefix: 'http://localhost:3000/v1/services/',
            });
            const { rows } = await pool.query(q);
            send(200, { items: rows.slice(0, 20) }, { 'cache-control': 'public, max-age=60' });
          })()
        : Promise.resolve(send(404, { status: 404 }));
    work.catch((e: Error) => send(500, { error: e.message }));
  });
  server.keepAliveTimeout = 60_000;
  answerCpuUsage();
  server.listen(0, '127.0.0.1', () =>
    process.send?.({ port: (server.address() as { port: number }).port }),
  );
}

// ── Load generator ──

interface Result {
  /** The server process's CPU time per request (µs), when measured. */
  cpuPerRequest?: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

async function drive(
  port: number,
  path: (i: number) => string,
  seconds: number,
  connections: number,
): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let seq = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const one = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: p, agent, headers: { 'accept-language': 'ar' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const status = await one(path(seq++));
          if (status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (x: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(x * latencies.length) - 1)];
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}

/** The CPU time (µs) a server process has used so far. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { cpu?: number }) => {
      if (m.cpu === undefined) return;
      child.off('message', onMessage);
      resolve(m.cpu);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** `drive` with the server's CPU time per request over the measurement. */
async function driveMeasured(
  server: { child: ChildProcess; port: number },
  path: (i: number) => string,
  seconds: number,
  connections: number,
): Promise<Result> {
  const before = await cpuOf(server.child);
  const result = await drive(server.port, path, seconds, connections);
  const used = (await cpuOf(server.child)) - before;
  return { ...result, cpuPerRequest: used / Math.max(1, result.requests) };
}

function startServer(
  kind: 'diwan' | 'raw',
  url: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(
    new URL(import.meta.url).pathname,
    ['--serve', kind, '--db', url, '--pool', String(POOL)],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // BENCH_CPU_PROF=dir writes a V8 CPU profile of the Diwan server there (for tuning).
      execArgv:
        kind === 'diwan' && process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : [],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

// ── Data ──

async function load(url: string, count: number): Promise<string[]> {
  // Migrations, agencies and the demo services through the app itself.
  const diwan = await startDiwan(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'bench admin password 1',
      ADMIN_ENABLED: 'false',
    }),
    { listen: false },
  );
  await diwan.app.get(RegistryDemoSeeder, { strict: false }).seed();
  await diwan.close();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const agencies = new Map(
    (await db.query<{ code: string; id: string }>('SELECT code, id FROM agency')).rows.map((r) => [
      r.code,
      r.id,
    ]),
  );
  const publishedAt = new Date('2025-03-01T06:00:00Z');
  const codes: string[] = [];
  const BATCH = 200;
  await db.query('BEGIN');
  for (let start = 0; start < count; start += BATCH) {
    const services: unknown[] = [];
    const editions: { code: string; content: object }[] = [];
    const svcValues: string[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const demo = DEMO_SERVICES[i % DEMO_SERVICES.length];
      const [qa, qe] = QUALIFIERS[Math.floor(i / DEMO_SERVICES.length) % QUALIFIERS.length];
      const code = `${demo.agencyCode}-${String(1000 + i).padStart(4, '0')}`;
      const content = {
        ...demo.content,
        title: { ar: `${demo.content.title.ar} ${qa}`, en: `${demo.content.title.en} ${qe}` },
      };
      const n = services.length;
      svcValues.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4})`);
      services.push(code, agencies.get(demo.agencyCode), (i * 7919) % 10000, publishedAt);
      editions.push({ code, content });
      codes.push(code);
    }
    const inserted = await db.query<{ id: string; code: string; agency_id: string }>(
      `INSERT INTO service (code, agency_id, popularity, first_published_at, version) VALUES ${svcValues.map((v) => v.replace(')', ', 1)')).join(', ')} RETURNING id, code, agency_id`,
      services,
    );
    const byCode = new Map(inserted.rows.map((r) => [r.code, r]));
    const cols = [
      'service_id',
      'agency_id',
      'edition_number',
      'status',
      'content',
      'change_note',
      'title_ar',
      'title_en',
      'description_ar',
      'description_en',
      'search_title',
      'search_title_ar',
      'search_body_ar',
      'search_extra_ar',
      'search_extra_en',
      'audience',
      'channel_types',
      'life_events',
      'is_free',
      'online_only',
      'has_online_channel',
      'author_type',
      'author_id',
      'author_label',
      'approver_id',
      'approver_label',
      'published_at',
      'version',
    ];
    const values: unknown[] = [];
    const rows: string[] = [];
    for (const e of editions) {
      const s = byCode.get(e.code)!;
      const c = editionColumns(e.content);
      const row = [
        s.id,
        s.agency_id,
        1,
        'published',
        JSON.stringify(e.content),
        'First publication',
        c.titleAr,
        c.titleEn,
        c.descriptionAr,
        c.descriptionEn,
        c.searchTitle,
        c.searchTitleAr,
        c.searchBodyAr,
        c.searchExtraAr,
        c.searchExtraEn,
        c.audience,
        c.channelTypes,
        c.lifeEvents,
        c.isFree,
        c.onlineOnly,
        c.hasOnlineChannel,
        'system',
        'bench',
        'bench',
        'bench',
        'bench',
        publishedAt,
        1,
      ];
      rows.push(`(${row.map((_, k) => `$${values.length + k + 1}`).join(', ')})`);
      values.push(...row);
    }
    await db.query(
      `INSERT INTO service_edition (${cols.join(', ')}) VALUES ${rows.join(', ')}`,
      values,
    );
  }
  await db.query('COMMIT');
  // Three years of payment figures per service, as the scheduled refresh writes them, so the
  // page read carries figures as it does in production.
  const channels = [
    ['web', true, 600, '3000000'],
    ['mobile', true, 250, '1250000'],
    ['counter', false, 120, '600000'],
    ['cheque', false, 30, '150000'],
  ].map(([channel, electronic, count, fils]) => ({
    channel,
    electronic,
    count,
    grossFils: fils,
    netFils: fils,
  }));
  await db.query(
    `INSERT INTO service_payment_figures (service_id, year, agency_id, service_code, payments_count,
       gross_fils, share_by_count, share_by_value, figures, refreshed_at)
     SELECT s.id, y, s.agency_id, s.code, 1000, 5000000, 0.85, 0.85,
       jsonb_build_object('year', y, 'channels', $1::jsonb,
         'electronicShare', jsonb_build_object('byCount', 0.85, 'byValue', 0.85)), now()
     FROM service s, generate_series(2023, 2025) y`,
    [JSON.stringify(channels)],
  );
  // As autovacuum would after a bulk load: statistics, and the GIN pending list flushed into
  // the index (until then the planner scans the table instead of using the GIN index).
  await db.query('VACUUM ANALYZE service');
  await db.query('VACUUM ANALYZE service_edition');
  await db.query('VACUUM ANALYZE service_payment_figures');
  await db.query('VACUUM ANALYZE service_search');
  await db.end();
  return codes;
}

// ── Orchestration ──

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(
      'DATABASE_URL is required (a PostgreSQL server; the bench creates a scratch database)',
    );
  const name = `diwan_bench_registry_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const servers: ChildProcess[] = [];
  try {
    const count = Number(args.services);
    let t0 = performance.now();
    const codes = await load(url, count);
    log(`loaded ${count} services (+ demo) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const diwan = await startServer('diwan', url);
    const raw = await startServer('raw', url);
    servers.push(diwan.child, raw.child);
    log(`servers up in ${((performance.now() - t0) / 1000).toFixed(1)} s (pool ${POOL} each)`);
    const conns = Number(args.connections);
    const secs = Number(args.seconds);
    const readPath = (i: number) => `/v1/services/${codes[(i * 7) % codes.length]}`;
    const searchPath = (i: number) =>
      `/v1/services?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}`;
    // Warm both (JIT, plans, connections).
    for (const s of [diwan, raw]) {
      await drive(s.port, readPath, 2, conns);
      await drive(s.port, searchPath, 2, conns);
    }
    const results: Record<string, Result> = {};
    // One connection: the latency of a lone request, without queueing.
    for (const [label, path] of [
      ['read', readPath],
      ['search', searchPath],
    ] as const) {
      results[`${label} diwan c=1`] = await drive(diwan.port, path, 2, 1);
      results[`${label} raw c=1`] = await drive(raw.port, path, 2, 1);
    }
    for (const [label, path] of [
      ['read', readPath],
      ['search', searchPath],
    ] as const) {
      // Interleaved halves so drift (cache, CPU boost) hits both alike.
      const half = secs / 2;
      const sample = setTimeout(
        () => {
          if (!process.env.BENCH_DEBUG) return;
          admin
            .query(
              `SELECT application_name, state, wait_event_type, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 GROUP BY 1, 2, 3`,
              [name],
            )
            .then((r) => log(label, 'diwan phase', JSON.stringify(r.rows)))
            .catch(() => undefined);
        },
        (half * 1000) / 2,
      );
      const d1 = await driveMeasured(diwan, path, half, conns);
      clearTimeout(sample);
      const r1 = await driveMeasured(raw, path, half, conns);
      const r2 = await driveMeasured(raw, path, half, conns);
      const d2 = await driveMeasured(diwan, path, half, conns);
      const merge = (a: Result, b: Result): Result => ({
        cpuPerRequest:
          (a.cpuPerRequest! * a.requests + b.cpuPerRequest! * b.requests) /
          Math.max(1, a.requests + b.requests),
        requests: a.requests + b.requests,
        errors: a.errors + b.errors,
        rps: (a.rps + b.rps) / 2,
        p50: (a.p50 + b.p50) / 2,
        p95: Math.max(a.p95, b.p95),
        p99: Math.max(a.p99, b.p99),
      });
      results[`${label} diwan`] = merge(d1, d2);
      results[`${label} raw`] = merge(r1, r2);
    }
    console.log(
      `\n${count} services, ${conns} connections, ${secs} s per measurement, pool ${POOL}\n`,
    );
    console.log('what                 req/s     p50 ms   p95 ms   p99 ms   errors  CPU µs/req');
    for (const [k, r] of Object.entries(results))
      console.log(
        `${k.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(10)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(8)} ${r.cpuPerRequest === undefined ? '' : r.cpuPerRequest.toFixed(0).padStart(11)}`,
      );
    const readRatio = results['read diwan'].rps / results['read raw'].rps;
    const searchRatio = results['search diwan'].rps / results['search raw'].rps;
    console.log(`\nread   ratio ${readRatio.toFixed(2)}× (target ≥ 0.60)`);
    console.log(`search ratio ${searchRatio.toFixed(2)}× (target ≥ 0.85)`);
    console.log(`search p95   ${results['search diwan'].p95.toFixed(1)} ms (target < 50 ms)`);
    const cpu = (label: string) =>
      results[`${label} diwan`].cpuPerRequest! / results[`${label} raw`].cpuPerRequest!;
    console.log(
      `server CPU per request, Diwan / raw: read ${cpu('read').toFixed(2)}×, search ${cpu('search').toFixed(2)}×`,
    );
  } finally {
    for (const c of servers) {
      c.kill('SIGTERM');
      await once(c, 'exit').catch(() => undefined);
    }
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (args.serve === 'diwan') await serveDiwan(args.db!);
else if (args.serve === 'raw') await serveRaw(args.db!);
else await main();

/**
 * Notifications delivery benchmark, in one run on one PostgreSQL and one Redis:
 *   1. baseline: raw Bull, `add` of N jobs by P concurrent producers and a no-op worker with
 *      concurrency C — the cost of the queue alone;
 *   2. Diwan: N SMS accepted through NotificationSender.sendDirect by the same P producers
 *      (transaction, outbox, encryption, enqueue), delivered by the worker (claim, decrypt,
 *      SMPP submit_sm to an in-process SMSC, record) with the same concurrency C (Bull
 *      concurrency: jobs at once; a job carries the notifications accepted together);
 *   3. the baseline again, Diwan stopped, since machine load moves during a run.
 * Each timed window follows a warm-up of --warmup jobs or messages through the same path,
 * so both sides are measured with their code compiled rather than while V8 optimises it.
 * Prints messages/s of all three, the ratio against the mean baseline (and against each),
 * the share of messages the SMSC received within 10 s of their acceptance, CPU per message
 * and the load average.
 *
 *   npm run build && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     REDIS_URL=redis://127.0.0.1:6379 node dist/bench/notifications/delivery-bench.js \
 *     [--messages 5000] [--producers 64] [--concurrency 50] [--warmup 1000]
 *     [--profile diwan.cpuprofile]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Bull from 'bull';
import { Redis } from 'ioredis';
import pg from 'pg';
import smpp from 'smpp';
import { startDiwan } from '../../src/bootstrap.js';
import { NotificationRepository } from '../../src/modules/notifications/repositories/notification.repository.js';
import { NotificationSender } from '../../src/modules/notifications/services/notification-sender.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/roles.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { missingServerFlags } from '../../src/platform/config/node-flags.js';

// Diwan runs in this process, as it would under `npm start`: with the server's V8 flags. The
// baseline runs in the same process, so both sides are measured under the same flags.
const missingFlags = missingServerFlags(process.execArgv);
if (missingFlags.length) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, ...missingFlags, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    producers: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '50' },
    /** Messages (and baseline jobs) run before each timed window, not counted. */
    warmup: { type: 'string', default: '1000' },
    /** Writes a CPU profile of the Diwan window (not the baselines) to this file. */
    profile: { type: 'string' },
    /** Times the notification repository's statements and the event loop's delay in the Diwan window. */
    trace: { type: 'boolean', default: false },
  },
});
const N = Number(args.messages);
const PRODUCERS = Number(args.producers);
const CONCURRENCY = Number(args.concurrency);
const WARMUP = Number(args.warmup);
const base = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!base || !redisUrl)
  throw new Error('DATABASE_URL and REDIS_URL are required (the baseline is Bull on Redis)');

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);
const now = () => performance.now();

/** Runs `task(i)` for i in [0, n) with `width` in flight. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/**
 * A minimal SMSC: binds anyone, answers every submit_sm, records when each text arrived. It
 * runs in this process, so its CPU is counted as Diwan's; like a real SMSC it sends the
 * responses to the submits it read together in one TCP write (one system call per read
 * instead of one per response), which Diwan's gateway also does for its submits.
 */
async function startSmsc(onSubmit: (text: string) => void) {
  let id = 0;
  const server = smpp.createServer((session) => {
    let corked = false;
    const respond = (response: smpp.PDU) => {
      if (!corked) {
        corked = true;
        session.socket.cork();
        process.nextTick(() => {
          corked = false;
          session.socket.uncork();
        });
      }
      session.send(response);
    };
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu) => session.send(pdu.response()));
    session.on('enquire_link', (pdu) => respond(pdu.response()));
    session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
    session.on('submit_sm', (pdu) => {
      const message = pdu.short_message as { message: string | Buffer };
      onSubmit(String(message.message));
      respond(pdu.response({ message_id: `M${++id}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of [...server.sessions]) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** CPU time of this process and of the Redis server since the call, in ms. */
async function cpuMeter() {
  const redis = new Redis(redisUrl!);
  const redisCpu = async () => {
    const info = await redis.info('cpu');
    const field = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
  };
  const node0 = process.cpuUsage();
  const redis0 = await redisCpu();
  return async () => {
    const node = process.cpuUsage(node0);
    const redisMs = (await redisCpu()) - redis0;
    redis.disconnect();
    return { nodeMs: (node.user + node.system) / 1000, redisMs };
  };
}
/**
 * CPU time (ms) of the PostgreSQL backends serving `database` since the call, read from
 * /proc when the server runs on this machine (null otherwise). A backend that started
 * meanwhile counts from zero; WAL writer, checkpointer and other databases are not counted.
 */
async function postgresCpuMeter(url: string, database: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ticks = (pid: number) => {
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name): utime, stime, in 1/100 s.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    const out = new Map<number, number>();
    for (const { pid } of rows)
      try {
        out.set(pid, ticks(pid));
      } catch {
        return null; // another machine, or no access to its processes
      }
    return out;
  };
  const before = await sample();
  return async (): Promise<number | null> => {
    const after = await sample();
    await client.end();
    if (!before || !after) return null;
    let total = 0;
    for (const [pid, t] of after) total += t - (before.get(pid) ?? 0);
    return total * 10;
  };
}

const perMessage = (c: { nodeMs: number; redisMs: number }) =>
  `Node ${((1000 * c.nodeMs) / N).toFixed(0)} µs + Redis ${((1000 * c.redisMs) / N).toFixed(0)} µs`;

async function baseline(
  prefix: string,
): Promise<{ rate: number; cpu: { nodeMs: number; redisMs: number } }> {
  const queue = new Bull('bench-baseline', redisUrl!, { prefix });
  let done = 0;
  let target = 0;
  let finished!: () => void;
  void queue.process(CONCURRENCY, async () => {
    if (++done === target) finished();
  });
  await queue.isReady();
  /** Adds `n` jobs with the producers; resolves once the worker has run them all. */
  const round = async (n: number) => {
    done = 0;
    target = n;
    const all = new Promise<void>((resolve) => (finished = resolve));
    await pool(n, PRODUCERS, async (i) => {
      await queue.add({ i }, { removeOnComplete: true });
    });
    await all;
  };
  // The same warm-up as Diwan gets: both sides are timed with their code already compiled.
  if (WARMUP > 0) await round(WARMUP);
  const cpu = await cpuMeter();
  const t0 = now();
  await round(N);
  const seconds = (now() - t0) / 1000;
  const used = await cpu();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { rate: N / seconds, cpu: used };
}

/** Removes this run's Redis keys, so repeated runs leave nothing behind. */
async function dropKeys(pattern: string) {
  const redis = new Redis(redisUrl!);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Wraps the repository's methods to time each call (ms); `report()` prints count, p50, p90, max. */
function traceRepository(repo: NotificationRepository) {
  const times = new Map<string, number[]>();
  let on = false;
  const target = repo as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(repo))) {
    const fn = target[name];
    if (name === 'constructor' || typeof fn !== 'function') continue;
    target[name] = async function (this: unknown, ...a: unknown[]) {
      const t = now();
      try {
        return await fn.apply(this, a);
      } finally {
        if (on) {
          const list = times.get(name) ?? [];
          list.push(now() - t);
          times.set(name, list);
        }
      }
    };
  }
  const loop = monitorEventLoopDelay({ resolution: 5 });
  return {
    start() {
      on = true;
      loop.enable();
    },
    report(seconds: number) {
      loop.disable();
      for (const [name, list] of times) {
        list.sort((a, b) => a - b);
        const q = (f: number) => list[Math.min(list.length - 1, Math.floor(f * list.length))];
        const total = list.reduce((a, b) => a + b, 0);
        console.log(
          `trace ${name.padEnd(22)} ${String(list.length).padStart(5)} calls, p50 ${q(0.5).toFixed(1)} p90 ${q(0.9).toFixed(1)} max ${q(1).toFixed(1)} ms, busy ${((100 * total) / 1000 / seconds).toFixed(0)} % of the window`,
        );
      }
      console.log(
        `trace event loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} p90 ${(loop.percentile(90) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)} ms`,
      );
    },
  };
}

async function main() {
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS diwan_bench_notifications WITH (FORCE)');
  await admin.query('CREATE DATABASE diwan_bench_notifications');
  await admin.end();
  const u = new URL(base!);
  u.pathname = '/diwan_bench_notifications';

  const acceptedAt = new Float64Array(N);
  const receivedAt = new Float64Array(N);
  let received = 0;
  let allReceived!: () => void;
  const everything = new Promise<void>((resolve) => (allReceived = resolve));
  let warmedUp = 0;
  let warmUpDone!: () => void;
  const warmUpReceived = new Promise<void>((resolve) => (warmUpDone = resolve));
  const smsc = await startSmsc((text) => {
    if (text.startsWith('Warm-up ')) {
      if (++warmedUp === WARMUP) warmUpDone();
      return;
    }
    const i = Number(/^Bench (\d+)$/.exec(text)?.[1] ?? -1);
    if (i >= 0 && receivedAt[i] === 0) {
      receivedAt[i] = now();
      if (++received === N) allReceived();
    }
  });

  const prefix = `diwan_bench_${randomBytes(3).toString('hex')}`;
  log(
    `baseline: raw Bull add + no-op worker, ${N} jobs, producers ${PRODUCERS}, concurrency ${CONCURRENCY}`,
  );
  const before = await baseline(`${prefix}:raw`);
  log(`baseline: ${before.rate.toFixed(0)} jobs/s`);

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: u.toString(),
    DATABASE_POOL_MAX: String(Math.min(60, CONCURRENCY + PRODUCERS / 4 + 4)),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ADMIN_ENABLED: 'false',
    ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    DIWAN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SMPP_CONNECTIONS: `smpp://bench:bench@127.0.0.1:${smsc.port}?id=bench`,
    NOTIFICATIONS_WORKER_CONCURRENCY: String(CONCURRENCY),
  });
  const diwan = await startDiwan(config, { listen: false });
  const sender = diwan.app.get(NotificationSender, { strict: false });
  // Warm up: connections, prepared plans, the SMPP bind.
  await sender.sendDirect({
    channel: 'sms',
    to: '+97333000000',
    lang: 'en',
    body: 'warm-up',
    priority: 'bulk',
    actor: SYSTEM_ACTOR,
  });
  // Then as many messages as the baseline's warm-up, delivered before the timed window, so
  // that, like the baseline, Diwan is timed with its code compiled (V8 optimises a function
  // after many calls: in a cold 5,000-message window about a fifth of the CPU went to the
  // optimising compiler).
  await pool(WARMUP, PRODUCERS, async (i) => {
    await sender.sendDirect({
      channel: 'sms',
      to: `+9733${String(4000000 + i).padStart(7, '0')}`,
      lang: 'en',
      body: `Warm-up ${i}`,
      priority: 'transactional',
      actor: SYSTEM_ACTOR,
    });
  });
  if (WARMUP > 0) await warmUpReceived;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const counter = new Redis(redisUrl!);
  const jobsBefore = Number(await counter.get(`${prefix}:bull:notifications-sms:id`));

  const tracer = args.trace
    ? traceRepository(diwan.app.get(NotificationRepository, { strict: false }))
    : undefined;
  log(`diwan: ${N} SMS accepted and delivered to the SMSC`);
  tracer?.start();
  const profiler = args.profile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu = await cpuMeter();
  const postgresCpu = await postgresCpuMeter(u.toString(), 'diwan_bench_notifications');
  const t0 = now();
  await pool(N, PRODUCERS, async (i) => {
    acceptedAt[i] = now();
    await sender.sendDirect({
      channel: 'sms',
      to: `+9733${String(3000000 + (i % 999999)).padStart(7, '0')}`,
      lang: 'en',
      body: `Bench ${i}`,
      priority: 'transactional',
      actor: SYSTEM_ACTOR,
    });
  });
  const acceptSeconds = (now() - t0) / 1000;
  await Promise.race([everything, new Promise((resolve) => setTimeout(resolve, 120_000))]);
  const seconds = (now() - t0) / 1000;
  const diwanCpu = await cpu();
  const postgresMs = await postgresCpu();
  log(`diwan: ${received}/${N} received by the SMSC`);
  tracer?.report(seconds);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(args.profile!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const rate = received / seconds;
  let within10 = 0;
  const latencies: number[] = [];
  for (let i = 0; i < N; i++)
    if (receivedAt[i] > 0) {
      const ms = receivedAt[i] - acceptedAt[i];
      latencies.push(ms);
      if (ms <= 10_000) within10++;
    }
  latencies.sort((a, b) => a - b);
  const pct = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;

  // Every job counts its id up, whether one notification or a batch.
  const jobs = Number(await counter.get(`${prefix}:bull:notifications-sms:id`)) - jobsBefore;
  counter.disconnect();

  const db = new pg.Client({ connectionString: u.toString() });
  await db.connect();
  const { rows } = await db.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM notification GROUP BY status ORDER BY status',
  );
  await db.end();

  await diwan.close();
  await smsc.close();
  // The baseline again, with Diwan stopped: machine load moves during a run, so the ratio
  // is taken against the mean of the baseline just before and just after.
  const after = await baseline(`${prefix}:raw2`);
  log(`baseline again: ${after.rate.toFixed(0)} jobs/s`);
  const baseRate = (before.rate + after.rate) / 2;
  const baselineCpu = {
    nodeMs: (before.cpu.nodeMs + after.cpu.nodeMs) / 2,
    redisMs: (before.cpu.redisMs + after.cpu.redisMs) / 2,
  };

  console.log('\n=== notifications delivery benchmark ===');
  console.log(
    `messages ${N}, producers ${PRODUCERS}, worker concurrency ${CONCURRENCY}, warm-up ${WARMUP} before each timed window`,
  );
  console.log(
    `raw Bull baseline (add + no-op)   ${baseRate.toFixed(0)} msg/s (before ${before.rate.toFixed(0)}, after ${after.rate.toFixed(0)})`,
  );
  console.log(
    `Diwan accept → SMSC received      ${rate.toFixed(0)} msg/s (${received}/${N} in ${seconds.toFixed(2)} s; acceptance alone ${(N / acceptSeconds).toFixed(0)} msg/s)`,
  );
  console.log(
    `ratio                             ${(rate / baseRate).toFixed(2)}× (${(rate / Math.max(before.rate, after.rate)).toFixed(2)}–${(rate / Math.min(before.rate, after.rate)).toFixed(2)}× against each baseline; target ≥ 0.5×; ≥ 360 msg/s: ${rate >= 360 ? 'yes' : 'no'})`,
  );
  console.log(`handed to the SMSC within 10 s    ${((100 * within10) / N).toFixed(1)} %`);
  console.log(
    `accept → SMSC latency p50/p95/p99 ${pct(0.5).toFixed(0)} / ${pct(0.95).toFixed(0)} / ${pct(0.99).toFixed(0)} ms`,
  );
  console.log(
    `statuses (warm-up included)       ${rows.map((r) => `${r.status}=${r.n}`).join(' ')}`,
  );
  console.log(
    `CPU per message (this process, Redis) baseline ${perMessage(baselineCpu)} · Diwan ${perMessage(diwanCpu)} (SMSC stand-in included)`,
  );
  console.log(
    `PostgreSQL CPU per message        ${postgresMs === null ? 'n/a (server not on this machine)' : `${((1000 * postgresMs) / N).toFixed(0)} µs (Diwan's backends)`}`,
  );
  console.log(
    `delivery jobs                     ${jobs} (${(N / Math.max(1, jobs)).toFixed(1)} notifications per job)`,
  );
  console.log(
    `load average (1/5/15 min)         before ${loadBefore} · after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  await dropKeys(`${prefix}:*`);
  const admin2 = new pg.Client({ connectionString: base });
  await admin2.connect();
  await admin2.query('DROP DATABASE IF EXISTS diwan_bench_notifications WITH (FORCE)');
  await admin2.end();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

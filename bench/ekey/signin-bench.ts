/**
 * eKey sign-in benchmark, in one run on one machine:
 *   1. baseline: the same argon2id verification eKey does (its hasher, its parameters and
 *      pepper, a real stored hash) in a loop, `--concurrency` in flight;
 *   2. Diwan: full HTTP sign-ins (POST /v1/ekey/sign-in: per-address limit, throttle state,
 *      account look-up, argon2id, session, activity, audit, cookie) with the same concurrency.
 * Prints both rates, their ratio (target ≥ 0.8) and the event-loop delay p99 of the app's
 * process during the sign-ins (target < 20 ms). The HTTP client runs in a worker thread, so
 * its own work is not counted in the app's event loop; each sign-in round has a fresh delay
 * histogram (a histogram that is paused across a baseline round records the pause as one
 * long delay), and the worst round's p99 is reported.
 *
 *   npm run build && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     [REDIS_URL=redis://127.0.0.1:6379] node dist/bench/ekey/signin-bench.js \
 *     [--signins 400] [--users 40] [--concurrency 8] [--rounds 4]
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDiwan } from '../../src/bootstrap.js';
import { EkeyPasswordHasher } from '../../src/modules/ekey/ekey.tokens.js';
import { EkeyAccountService } from '../../src/modules/ekey/services/ekey-account.service.js';
import {
  EkeyMessenger,
  RecordingEkeyTransport,
} from '../../src/modules/ekey/services/ekey-messenger.js';
import { loadConfig } from '../../src/platform/config/config.js';

const { values: args } = parseArgs({
  options: {
    signins: { type: 'string', default: '400' },
    users: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '4' },
  },
});
const N = Number(args.signins);
const USERS = Number(args.users);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL is required');
const PASSWORD = 'a long and quite ordinary passphrase 42';

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

async function pool(n: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function main() {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS diwan_bench_ekey WITH (FORCE)');
  await admin.query('CREATE DATABASE diwan_bench_ekey');
  await admin.end();
  const u = new URL(base!);
  u.pathname = '/diwan_bench_ekey';

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: u.toString(),
    DATABASE_POOL_MAX: '20',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_PREFIX: `diwan_bench_${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    ADMIN_ENABLED: 'false',
    ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    DIWAN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '1000000',
    EKEY_SIGN_IN_PER_IP_PER_MINUTE: '100000',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const diwan = await startDiwan(config, { listen: true });
  const url = diwan.url!;
  const accounts = diwan.app.get(EkeyAccountService);
  const outbox = new RecordingEkeyTransport(USERS * 2);
  diwan.app.get(EkeyMessenger).useTransport(outbox);

  log(`setting up ${USERS} eKey accounts`);
  const users: { cpr: string; device?: string }[] = [];
  await pool(USERS, 4, async (i) => {
    const cpr = `8${String(i).padStart(8, '0')}`;
    const mobile = `+9733${String(6000000 + i)}`;
    const { accountId } = await accounts.register({
      cpr,
      nameAr: 'مستخدم تجربة',
      nameEn: 'Bench User',
      nationality: 'BH',
      residency: 'citizen',
      dateOfBirth: '1980-01-01',
      mobile,
      password: PASSWORD,
    });
    await accounts.verifyMobile(accountId, outbox.lastCodeTo(mobile));
    users[i] = { cpr };
  });

  // The load generator: its own thread and event loop, so the app's loop measures only the app.
  const client = new Worker(new URL(import.meta.url), { workerData: { url, users } });
  let pending: ((seconds: number) => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  client.on('message', (m: { seconds: number }) => pending?.(m.seconds));
  client.on('error', (e) => failed?.(e));
  const signIns = (from: number, count: number) =>
    new Promise<number>((resolve, reject) => {
      pending = resolve;
      failed = reject;
      client.postMessage({ from, count, concurrency: CONCURRENCY });
    });
  // Warm-up: each user gets a device cookie (a returning browser), connections and JIT warm.
  await signIns(0, USERS);

  const hasher = diwan.app.get(EkeyPasswordHasher);
  const stored = await hasher.hash(PASSWORD);
  // Rounds alternate baseline and Diwan, so load from elsewhere on the machine hits both alike.
  const perRound = Math.ceil(N / ROUNDS);
  let baseSeconds = 0;
  let diwanSeconds = 0;
  let p99 = 0;
  let max = 0;
  log(
    `${ROUNDS} rounds of ${perRound}: argon2id verify in a loop (eKey's hasher: parameters, pepper, concurrency limit) vs HTTP sign-ins over ${USERS} accounts; ${CONCURRENCY} in flight`,
  );
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await pool(perRound, CONCURRENCY, async () => {
      if (!(await hasher.verify(stored, PASSWORD)).ok) throw new Error('verify failed');
    });
    baseSeconds += (performance.now() - t0) / 1000;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    diwanSeconds += await signIns(r * perRound, perRound);
    loop.disable();
    p99 = Math.max(p99, loop.percentile(99) / 1e6);
    max = Math.max(max, loop.max / 1e6);
  }
  const baseRate = (perRound * ROUNDS) / baseSeconds;
  const rate = (perRound * ROUNDS) / diwanSeconds;
  log(`baseline: ${baseRate.toFixed(1)} verifications/s`);
  log(`Diwan: ${rate.toFixed(1)} sign-ins/s`);
  log(
    `ratio ${(rate / baseRate).toFixed(2)} (target ≥ 0.80); event-loop delay p99 ${p99.toFixed(1)} ms (worst round), max ${max.toFixed(1)} ms (target p99 < 20 ms)`,
  );
  await client.terminate();
  await diwan.close();
  const cleanup = new pg.Client({ connectionString: base });
  await cleanup.connect();
  await cleanup.query('DROP DATABASE IF EXISTS diwan_bench_ekey WITH (FORCE)');
  await cleanup.end();
}

/** The worker thread: sign-ins over HTTP, `concurrency` in flight, timed here. */
async function loadGenerator() {
  const { url, users } = workerData as { url: string; users: { cpr: string; device?: string }[] };
  const signIn = async (user: { cpr: string; device?: string }) => {
    const res = await fetch(`${url}/v1/ekey/sign-in`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(user.device ? { cookie: `__Host-ekey_device=${user.device}` } : {}),
      },
      body: JSON.stringify({ cpr: user.cpr, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    const device = /__Host-ekey_device=([^;]+)/.exec(res.headers.getSetCookie().join(';'))?.[1];
    if (device) user.device = device;
  };
  parentPort!.on('message', (m: { from: number; count: number; concurrency: number }) => {
    const t0 = performance.now();
    void pool(m.count, m.concurrency, (i) => signIn(users[(m.from + i) % users.length])).then(
      () => parentPort!.postMessage({ seconds: (performance.now() - t0) / 1000 }),
      (e: unknown) => {
        throw e;
      },
    );
  });
}

if (isMainThread) await main();
else await loadGenerator();

/**
 * Boots Diwan exactly as README's first command does (`node dist/src/main.js` after the
 * build), with no configuration at all: embedded PostgreSQL, in-process queues, generated
 * one-time admin password. Then checks health, the API, the docs and the admin sign-in,
 * a graceful stop, a warm restart on the same data folder, and that only one process at a
 * time opens that folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  startupMs: number;
}

// Nothing from the test runner's environment: no DATABASE_URL, no REDIS_URL.
const zeroConfig = (dataDir: string) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  DIWAN_DATA_DIR: dataDir,
  PORT: '0',
  ADMIN_JS_TMP_DIR: join(dataDir, 'adminjs'),
});

function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: zeroConfig(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Diwan did not start in time:\n${out}`)),
      90_000,
    );
    const poll = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"msg":"Diwan started"'));
      if (line) {
        clearInterval(poll);
        clearTimeout(timer);
        const parsed = JSON.parse(line) as { url: string; startupMs: number };
        resolve({ child, url: parsed.url, output: () => out, startupMs: parsed.startupMs });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`Diwan exited with ${code}:\n${out}`));
    });
  });
}

/** Runs a compiled script with the zero-configuration environment to its end. */
function run(script: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [script], {
    env: zeroConfig(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('README first command: zero-configuration start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'diwan-zero-'));
  let running: Started | undefined;
  afterAll(async () => {
    if (running && running.child.exitCode === null) await stop(running.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded database, serves health, API, docs and the back office, and stops cleanly', async () => {
    running = await start(dataDir);
    const { url, output } = running;
    expect(output()).toContain('embedded PostgreSQL');
    expect(output()).toContain('queues: in-process');
    const password = /One-time password:\s+(\S+)/.exec(output())?.[1];
    expect(password).toBeDefined();

    const ready = await request(url).get('/health/ready').expect(200);
    expect(ready.body.checks.database.mode).toBe('embedded');
    await request(url).get('/v1/agencies').expect(200);
    await request(url).get('/docs').expect(200);
    const agent = request.agent(url);
    await agent
      .post('/admin/login')
      .field('email', 'admin@diwan.local')
      .field('password', password!)
      .expect(302);
    await agent.get('/admin/api/resources/StaffMember/actions/list').expect(200);

    expect(await stop(running.child)).toBe(0);
    process.stdout.write(`[zero-config] cold start ${running.startupMs} ms\n`);
  });

  it('restarts warm on the same data, keeping the admin account', async () => {
    running = await start(dataDir);
    expect(running.output()).not.toContain('One-time password');
    await request(running.url).get('/health/ready').expect(200);

    // A second process on the same embedded database (another `npm start`, or the demo seed
    // beside a running one) would fork its data: it is refused, naming the running process.
    const owner = `in use by another Diwan process (pid ${running.child.pid})`;
    for (const script of ['dist/src/main.js', 'dist/src/scripts/seed-demo.js']) {
      const second = await run(script, dataDir);
      expect(second.code).toBe(75);
      expect(second.output).toContain(owner);
    }
    await request(running.url).get('/health/ready').expect(200);

    expect(await stop(running.child)).toBe(0);
    expect(existsSync(join(dataDir, 'diwan.lock'))).toBe(false);
    process.stdout.write(`[zero-config] warm start ${running.startupMs} ms\n`);
  });

  it('takes over the data folder of a process that died without releasing it', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dataDir, 'diwan.lock'), `${gone.pid}\n`);
    running = await start(dataDir);
    await request(running.url).get('/health/ready').expect(200);
    expect(readFileSync(join(dataDir, 'diwan.lock'), 'utf8')).toBe(`${running.child.pid}\n`);
    expect(await stop(running.child)).toBe(0);
  });
});

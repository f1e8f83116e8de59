import { randomBytes } from 'node:crypto';
import { ConfigError, parsers as p, v, type VariableSpec } from './config-schema.js';

/** The areas and their variables. Order here is the order of docs/configuration.md. */
export const CONFIG_SPEC = {
  app: {
    env: v({
      name: 'NODE_ENV',
      description:
        'Runtime environment. `production` turns on secure cookies and hides stack traces.',
      default: 'development',
      parse: p.oneOf('development', 'test', 'production'),
    }),
    role: v({
      name: 'DIWAN_ROLE',
      description:
        'What this process runs: `api` (HTTP only), `worker` (queue processors and schedules only) or `all`.',
      default: 'all',
      parse: p.oneOf('api', 'worker', 'all'),
    }),
    host: v({
      name: 'HOST',
      description: 'Address the HTTP server binds to.',
      default: '127.0.0.1',
      parse: p.string,
    }),
    port: v({
      name: 'PORT',
      description: 'HTTP port (0 picks a free one).',
      default: '3000',
      parse: p.int(0, 65535),
    }),
    publicUrl: v({
      name: 'PUBLIC_URL',
      description:
        'External base URL, used in links, open data identifiers and the OpenID issuer. Defaults to http://HOST:PORT.',
      parse: p.url('http', 'https'),
    }),
    bodyLimitKb: v({
      name: 'HTTP_BODY_LIMIT_KB',
      description: 'Largest JSON or form body accepted, in KiB; larger bodies get 413.',
      default: '1024',
      parse: p.int(1, 102400),
    }),
    trustProxy: v({
      name: 'TRUST_PROXY',
      description:
        'Number of reverse proxies in front of Diwan whose X-Forwarded-For is trusted (0 = none).',
      default: '0',
      parse: p.int(0, 10),
    }),
    logLevel: v({
      name: 'LOG_LEVEL',
      description: 'pino log level.',
      default: 'info',
      parse: p.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    }),
  },
  database: {
    url: v({
      name: 'DATABASE_URL',
      description:
        'PostgreSQL connection URL. Unset: an embedded PostgreSQL (PGlite) is started, persisted under DIWAN_DATA_DIR.',
      sensitive: true,
      parse: p.url('postgres', 'postgresql'),
    }),
    dataDir: v({
      name: 'DIWAN_DATA_DIR',
      description:
        'Folder of the embedded database (only when DATABASE_URL is unset). One process opens it at a time: a second one is refused (lock file `diwan.lock` in the folder).',
      default: './data',
      parse: p.string,
    }),
    poolMax: v({
      name: 'DATABASE_POOL_MAX',
      description: 'Connections in the pool.',
      default: '10',
      parse: p.int(1, 200),
    }),
    migrationsRun: v({
      name: 'DATABASE_MIGRATIONS_RUN',
      description: 'Run pending migrations at start-up.',
      default: 'true',
      parse: p.bool,
    }),
    embeddedServer: v({
      name: 'DATABASE_IS_EMBEDDED',
      description:
        'Set when DATABASE_URL points at an embedded PGlite server started elsewhere (the test harness does): one connection, no COPY. Implied when DATABASE_URL is unset.',
      default: 'false',
      parse: p.bool,
    }),
    logQueries: v({
      name: 'DATABASE_LOG_QUERIES',
      description: 'Log every SQL statement (debugging only).',
      default: 'false',
      parse: p.bool,
    }),
  },
  redis: {
    url: v({
      name: 'REDIS_URL',
      description:
        'Redis URL for Bull queues and shared rate-limit counters. Unset: queues run in-process and counters are per process.',
      sensitive: true,
      parse: p.url('redis', 'rediss'),
    }),
    prefix: v({
      name: 'REDIS_PREFIX',
      description: 'Key prefix for everything Diwan stores in Redis.',
      default: 'diwan',
      parse: p.string,
    }),
  },
  security: {
    adminEmail: v({
      name: 'ADMIN_EMAIL',
      description:
        'Email of the first `admin` account, created on first start with an empty database.',
      default: 'admin@diwan.local',
      parse: p.email,
    }),
    adminPassword: v({
      name: 'ADMIN_PASSWORD',
      description:
        'Password of that first account. Unset: a one-time password is generated and printed once.',
      sensitive: true,
      parse: p.minLength(12),
    }),
    sessionSecret: v({
      name: 'SESSION_SECRET',
      description:
        'Secret signing back-office session cookies. Required in production; elsewhere a random one is made per start.',
      sensitive: true,
      parse: p.minLength(32),
    }),
    cookieSecure: v({
      name: 'COOKIE_SECURE',
      description: 'Mark session cookies Secure (HTTPS only). Defaults to true in production.',
      parse: p.bool,
    }),
    rateLimitPerMinute: v({
      name: 'RATE_LIMIT_PER_MINUTE',
      description:
        'Requests per minute allowed from one client address (or API client) on the API.',
      default: '600',
      parse: p.int(1, 1_000_000),
    }),
    loginRateLimitPerMinute: v({
      name: 'LOGIN_RATE_LIMIT_PER_MINUTE',
      description: 'Back-office login attempts per minute from one address.',
      default: '10',
      parse: p.int(1, 10_000),
    }),
    encryptionKey: v({
      name: 'DIWAN_ENCRYPTION_KEY',
      description:
        'AES-256-GCM key (32 bytes, hex or base64) for data encrypted at rest (CPR numbers, recipients). Required in production; elsewhere derived from the data folder and printed as a warning.',
      sensitive: true,
      parse: p.key32,
    }),
  },
  admin: {
    enabled: v({
      name: 'ADMIN_ENABLED',
      description: 'Serve the AdminJS back office at /admin.',
      default: 'true',
      parse: p.bool,
    }),
    tmpDir: v({
      name: 'ADMIN_JS_TMP_DIR',
      description:
        'Where AdminJS writes its component bundle (no dot folders: Express 5 refuses to serve them).',
      default: './tmp/adminjs',
      parse: p.string,
    }),
  },
  // Module areas: each module adds its variables to its own block only.
  registry: {},
  payments: {
    reconcileEveryHours: v({
      name: 'PAYMENTS_RECONCILE_EVERY_HOURS',
      description:
        'How often a worker recomputes the payment rollups from the facts and reports differences (0 = never).',
      default: '24',
      parse: p.int(0, 168),
    }),
    reconcileDays: v({
      name: 'PAYMENTS_RECONCILE_DAYS',
      description:
        'How many Bahrain days back (ending yesterday) each scheduled reconciliation checks.',
      default: '7',
      parse: p.int(1, 366),
    }),
    checkServices: v({
      name: 'PAYMENTS_CHECK_SERVICES',
      description:
        'Check reported service codes against the published registry (when the registry module is present). Turn off only for load tests with generated codes.',
      default: 'true',
      parse: p.bool,
    }),
    partitionMonthsAhead: v({
      name: 'PAYMENTS_PARTITION_MONTHS_AHEAD',
      description:
        'Monthly partitions of payment_transaction a worker keeps created ahead of the current month.',
      default: '3',
      parse: p.int(1, 36),
    }),
  },
  notifications: {
    smppConnections: v({
      name: 'SMPP_CONNECTIONS',
      description:
        'SMSCs for SMS, comma-separated: `smpp://user:pass@host:port?weight=2&id=a` (`ssmpp://` for TLS). Unset: SMS stay queued and health says SMS is not configured.',
      sensitive: true,
      parse: (raw: string, name: string) =>
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((entry, i) => {
            let u: URL;
            try {
              u = new URL(entry);
            } catch {
              throw new Error(`${name}: entry ${i + 1} is not a URL`);
            }
            if (!['smpp:', 'ssmpp:'].includes(u.protocol) || !u.port || !u.username)
              throw new Error(`${name}: entry ${i + 1} must be smpp://user:pass@host:port`);
            const weight = Number(u.searchParams.get('weight') ?? '1');
            if (!Number.isInteger(weight) || weight < 0 || weight > 1000)
              throw new Error(`${name}: entry ${i + 1} has a bad weight`);
            return {
              id: u.searchParams.get('id') ?? `smsc${i + 1}`,
              url: `${u.protocol}//${u.hostname}:${u.port}`,
              systemId: decodeURIComponent(u.username),
              password: decodeURIComponent(u.password),
              weight,
            };
          }),
    }),
    smsSenderId: v({
      name: 'SMS_SENDER_ID',
      description: 'SMS sender: alphanumeric id (max 11 characters), short code or E.164 number.',
      default: 'eGov',
      parse: (raw: string, name: string) => {
        if (!/^(\+?\d{3,15}|[A-Za-z0-9 ]{1,11})$/.test(raw))
          throw new Error(`${name} must be up to 11 letters/digits or a number`);
        return raw;
      },
    }),
    smsMaxParts: v({
      name: 'SMS_MAX_PARTS',
      description: 'Most SMS parts one notification may use; longer messages are refused (400).',
      default: '4',
      parse: p.int(1, 10),
    }),
    smtpUrl: v({
      name: 'SMTP_URL',
      description:
        'Mail relay: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Unset: emails stay queued and health says email is not configured.',
      sensitive: true,
      parse: p.url('smtp', 'smtps'),
    }),
    smtpMaxConnections: v({
      name: 'SMTP_MAX_CONNECTIONS',
      description: 'Pooled SMTP connections.',
      default: '5',
      parse: p.int(1, 100),
    }),
    emailFrom: v({
      name: 'EMAIL_FROM',
      description:
        'From address of notification emails, e.g. `Government services <notify@gov.bh>`.',
      default: 'Government services <notify@diwan.local>',
      parse: (raw: string, name: string) => {
        if (!/@[^\s@>]+\.[^\s@>]+>?\s*$/.test(raw))
          throw new Error(`${name} needs an email address`);
        return raw;
      },
    }),
    dkimDomain: v({
      name: 'DKIM_DOMAIN',
      description: 'DKIM signing domain (with DKIM_SELECTOR and DKIM_PRIVATE_KEY; all or none).',
      parse: p.string,
    }),
    dkimSelector: v({
      name: 'DKIM_SELECTOR',
      description: 'DKIM key selector.',
      parse: p.string,
    }),
    dkimPrivateKey: v({
      name: 'DKIM_PRIVATE_KEY',
      description: 'DKIM private key, PEM (newlines may be written as \\n).',
      sensitive: true,
      parse: (raw: string) => raw.replace(/\\n/g, '\n'),
    }),
    listUnsubscribeUrl: v({
      name: 'EMAIL_LIST_UNSUBSCRIBE_URL',
      description:
        'List-Unsubscribe target (https: or mailto:) added to bulk (non-critical) email.',
      parse: p.url('https', 'mailto', 'http'),
    }),
    workerConcurrency: v({
      name: 'NOTIFICATIONS_WORKER_CONCURRENCY',
      description: 'Notifications delivered at once per worker process, per channel.',
      default: '50',
      parse: p.int(1, 1000),
    }),
    maxAttempts: v({
      name: 'NOTIFICATIONS_MAX_ATTEMPTS',
      description:
        'Provider attempts before a temporarily failing notification becomes technical_failure.',
      default: '5',
      parse: p.int(1, 50),
    }),
    retryBackoffMs: v({
      name: 'NOTIFICATIONS_RETRY_BACKOFF_MS',
      description: 'First retry delay after a temporary failure; doubles per attempt.',
      default: '30000',
      parse: p.int(1, 3_600_000),
    }),
    retentionDays: v({
      name: 'NOTIFICATIONS_RETENTION_DAYS',
      description:
        'Days after which recipients and personalisation are wiped (statistics are kept).',
      default: '90',
      parse: p.int(1, 3650),
    }),
    sweepIntervalSeconds: v({
      name: 'NOTIFICATIONS_SWEEP_INTERVAL_SECONDS',
      description:
        'How often the sweeper re-enqueues stale notifications and resolves stalled sends.',
      default: '30',
      parse: p.int(1, 86_400),
    }),
    outboxStaleSeconds: v({
      name: 'NOTIFICATIONS_OUTBOX_STALE_SECONDS',
      description:
        'A notification still accepted/queued this long after it was due is enqueued again (covers a crash or a Redis flush between commit and enqueue).',
      default: '120',
      parse: p.int(1, 86_400),
    }),
    sendingLeaseSeconds: v({
      name: 'NOTIFICATIONS_SENDING_LEASE_SECONDS',
      description:
        'A send still in progress after this long is taken as interrupted (worker killed) and resolved from its attempts, never blindly resent.',
      default: '300',
      parse: p.int(10, 86_400),
    }),
  },
  notify: {
    callbackTimeoutMs: v({
      name: 'NOTIFY_CALLBACK_TIMEOUT_MS',
      description:
        'How long a delivery-status callback to an e-service may take before it counts as failed.',
      default: '5000',
      parse: p.int(100, 60_000),
    }),
    callbackGiveUpHours: v({
      name: 'NOTIFY_CALLBACK_GIVE_UP_HOURS',
      description:
        'Failed callbacks are retried with back-off for this long, then kept for replay.',
      default: '24',
      parse: p.int(1, 168),
    }),
    callbackRetryBaseMs: v({
      name: 'NOTIFY_CALLBACK_RETRY_BASE_MS',
      description: 'First retry delay of a failed callback; each next one doubles, up to an hour.',
      default: '10000',
      parse: p.int(10, 3_600_000),
    }),
    callbackAllowHttp: v({
      name: 'NOTIFY_CALLBACK_ALLOW_HTTP',
      description:
        'Allow plain http:// callback URLs (development and tests only; production needs https).',
      default: 'false',
      parse: p.bool,
    }),
    callbackFeedIntervalMs: v({
      name: 'NOTIFY_CALLBACK_FEED_INTERVAL_MS',
      description:
        'How often the callback feed reads changed notifications to derive the delivery-status callbacks owed (lower: callbacks sooner, more queries).',
      default: '2000',
      parse: p.int(100, 600_000),
    }),
    callbackFeedLookbackMs: v({
      name: 'NOTIFY_CALLBACK_FEED_LOOKBACK_MS',
      description:
        'Each feed pass re-reads this far behind its cursor, so a status change stamped before its transaction committed is not missed (longer than the longest notification transaction).',
      default: '5000',
      parse: p.int(0, 600_000),
    }),
    callbackFeedCatchUpMinutes: v({
      name: 'NOTIFY_CALLBACK_FEED_CATCH_UP_MINUTES',
      description:
        'Once per this many minutes a feed pass re-reads this far back, for very late commits; re-deriving a callback already owed is a no-op.',
      default: '15',
      parse: p.int(1, 1440),
    }),
    rateLimitPerMinute: v({
      name: 'NOTIFY_RATE_LIMIT_PER_MINUTE',
      description:
        'Requests per minute one e-service may make to the notification APIs, across all API instances.',
      default: '3000',
      parse: p.int(1, 1_000_000),
    }),
    dailySmsCap: v({
      name: 'NOTIFY_DAILY_SMS_CAP',
      description: 'SMS one e-service may send per day (Asia/Bahrain), across all API instances.',
      default: '250000',
      parse: p.int(1, 100_000_000),
    }),
    dailyEmailCap: v({
      name: 'NOTIFY_DAILY_EMAIL_CAP',
      description:
        'Emails one e-service may send per day (Asia/Bahrain), across all API instances.',
      default: '250000',
      parse: p.int(1, 100_000_000),
    }),
    bulkMaxRows: v({
      name: 'NOTIFY_BULK_MAX_ROWS',
      description: 'Most rows one bulk job (JSON or CSV) may have; a larger job is refused whole.',
      default: '100000',
      parse: p.int(1, 1_000_000),
    }),
    bulkScheduleHorizonDays: v({
      name: 'NOTIFY_BULK_SCHEDULE_HORIZON_DAYS',
      description: 'How far ahead a bulk job may be scheduled, in days.',
      default: '7',
      parse: p.int(1, 90),
    }),
    bulkChunkRows: v({
      name: 'NOTIFY_BULK_CHUNK_ROWS',
      description: 'Rows a bulk worker claims and hands to the send path per queue job.',
      default: '500',
      parse: p.int(1, 10_000),
    }),
  },
  ekey: {
    passwordPepper: v({
      name: 'EKEY_PASSWORD_PEPPER',
      description:
        'Server secret mixed into every eKey password hash (argon2 `secret`); changing it invalidates all passwords. Required in production; elsewhere derived from DIWAN_ENCRYPTION_KEY.',
      sensitive: true,
      parse: p.minLength(32),
    }),
    argon2MemoryKib: v({
      name: 'EKEY_ARGON2_MEMORY_KIB',
      description:
        'argon2id memory per eKey password hash, in KiB (NIST/OWASP minimum 19456). Hashes made with other parameters are rehashed at the next sign-in.',
      default: '19456',
      parse: p.int(1024, 1_048_576),
    }),
    argon2TimeCost: v({
      name: 'EKEY_ARGON2_TIME_COST',
      description: 'argon2id passes over memory for eKey passwords.',
      default: '2',
      parse: p.int(1, 20),
    }),
    sessionIdleMinutes: v({
      name: 'EKEY_SESSION_IDLE_MINUTES',
      description: 'An eKey session ends after this many minutes without a request.',
      default: '15',
      parse: p.int(1, 240),
    }),
    sessionAbsoluteHours: v({
      name: 'EKEY_SESSION_ABSOLUTE_HOURS',
      description: 'An eKey session ends this many hours after sign-in, however active.',
      default: '12',
      parse: p.int(1, 72),
    }),
    signInPerIpPerMinute: v({
      name: 'EKEY_SIGN_IN_PER_IP_PER_MINUTE',
      description:
        'eKey sign-in and code attempts per minute from one client address (shared through Redis when configured).',
      default: '30',
      parse: p.int(1, 100_000),
    }),
  },
  reports: {
    exportSigningKey: v({
      name: 'REPORTS_EXPORT_SIGNING_KEY',
      description:
        'Ed25519 private key (32-byte seed, 64 hex characters or base64) signing export manifests. Required in production; elsewhere derived from DIWAN_ENCRYPTION_KEY with HKDF.',
      sensitive: true,
      parse: p.key32,
    }),
    exportDir: v({
      name: 'REPORTS_EXPORT_DIR',
      description: 'Folder where auditor exports (files and signed manifests) are written.',
      default: './data/exports',
      parse: p.string,
    }),
    chromiumPath: v({
      name: 'REPORTS_CHROMIUM_PATH',
      description: 'Headless Chromium used to render report PDFs (Debian package `chromium`).',
      default: '/usr/bin/chromium',
      parse: p.string,
    }),
    exportConcurrency: v({
      name: 'REPORTS_EXPORT_CONCURRENCY',
      description: 'Export jobs run at the same time per worker.',
      default: '2',
      parse: p.int(1, 16),
    }),
    kpiComputeEveryHours: v({
      name: 'REPORTS_KPI_COMPUTE_EVERY_HOURS',
      description:
        'How often a worker recomputes the computed strategy KPIs of this year and last year as provisional values (0 = never; approved values are kept).',
      default: '6',
      parse: p.int(0, 168),
    }),
  },
} satisfies Record<string, Record<string, VariableSpec<unknown>>>;

type Spec = typeof CONFIG_SPEC;
type Parsed<S> = S extends VariableSpec<infer T> ? T : never;
type AreaOf<A> = {
  readonly [K in keyof A]: A[K] extends { default: string }
    ? Parsed<A[K]>
    : Parsed<A[K]> | undefined;
};

export type AppConfig = AreaOf<Spec['app']> & { readonly publicUrl: string };
export type DatabaseConfig = AreaOf<Spec['database']> & { readonly embedded: boolean };
export type RedisConfig = AreaOf<Spec['redis']>;
export type SecurityConfig = AreaOf<Spec['security']> & {
  readonly sessionSecret: string;
  readonly cookieSecure: boolean;
  readonly encryptionKey: string;
  readonly generatedSecrets: readonly string[];
};
export type AdminConfig = AreaOf<Spec['admin']>;
export type RegistryConfig = AreaOf<Spec['registry']>;
export type PaymentsConfig = AreaOf<Spec['payments']>;
export type NotificationsConfig = AreaOf<Spec['notifications']>;
export type NotifyConfig = AreaOf<Spec['notify']>;
export type EkeyConfig = AreaOf<Spec['ekey']>;
export type ReportsConfig = AreaOf<Spec['reports']>;

export interface DiwanConfig {
  readonly app: AppConfig;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly security: SecurityConfig;
  readonly admin: AdminConfig;
  readonly registry: RegistryConfig;
  readonly payments: PaymentsConfig;
  readonly notifications: NotificationsConfig;
  readonly notify: NotifyConfig;
  readonly ekey: EkeyConfig;
  readonly reports: ReportsConfig;
}

export function parseArea<A extends Record<string, VariableSpec<unknown>>>(
  area: A,
  env: Record<string, string | undefined>,
  problems: string[],
) {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(area)) {
    const raw = env[spec.name];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    if (value === undefined) {
      out[key] = undefined;
      continue;
    }
    try {
      out[key] = spec.parse(value, spec.name);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return out;
}

function deepFreeze<T>(o: T): T {
  for (const value of Object.values(o as object))
    if (value && typeof value === 'object') deepFreeze(value);
  return Object.freeze(o);
}

/**
 * Validates the environment and returns one frozen object per area.
 * Throws ConfigError naming every bad variable at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): DiwanConfig {
  const problems: string[] = [];
  const app = parseArea(CONFIG_SPEC.app, env, problems);
  const database = parseArea(CONFIG_SPEC.database, env, problems);
  const redis = parseArea(CONFIG_SPEC.redis, env, problems);
  const security = parseArea(CONFIG_SPEC.security, env, problems);
  const admin = parseArea(CONFIG_SPEC.admin, env, problems);
  const modules = {
    registry: parseArea(CONFIG_SPEC.registry, env, problems),
    payments: parseArea(CONFIG_SPEC.payments, env, problems),
    notifications: parseArea(CONFIG_SPEC.notifications, env, problems),
    notify: parseArea(CONFIG_SPEC.notify, env, problems),
    ekey: parseArea(CONFIG_SPEC.ekey, env, problems),
    reports: parseArea(CONFIG_SPEC.reports, env, problems),
  };
  const production = app.env === 'production';
  const generatedSecrets: string[] = [];
  if (production) {
    for (const spec of [CONFIG_SPEC.security.sessionSecret, CONFIG_SPEC.security.encryptionKey]) {
      if (!env[spec.name]) problems.push(`${spec.name} is required when NODE_ENV=production`);
    }
  }
  if (app.role !== 'all' && !redis.url) {
    problems.push(
      `DIWAN_ROLE=${String(app.role)} needs REDIS_URL: without Redis the queues live inside one process, so API and worker cannot be split`,
    );
  }
  if (problems.length) throw new ConfigError(problems);

  if (!security.sessionSecret) {
    security.sessionSecret = randomBytes(32).toString('hex');
    generatedSecrets.push('SESSION_SECRET');
  }
  if (!security.encryptionKey) {
    // Development only: a fixed key per data folder keeps encrypted rows readable across restarts.
    security.encryptionKey = Buffer.from(
      `diwan-dev-key:${String(database.dataDir)}`.padEnd(32, '#').slice(0, 32),
    ).toString('base64');
    generatedSecrets.push('DIWAN_ENCRYPTION_KEY');
  }
  security.cookieSecure ??= production;
  security.generatedSecrets = generatedSecrets;
  app.publicUrl ??= `http://${app.host === '0.0.0.0' ? '127.0.0.1' : String(app.host)}:${String(app.port)}`;
  database.embedded = !database.url || database.embeddedServer === true;

  return deepFreeze({
    app,
    database,
    redis,
    security,
    admin,
    ...modules,
  } as unknown as DiwanConfig);
}

/** docs/configuration.md, generated from CONFIG_SPEC. */
export function renderConfigurationDoc(): string {
  const lines = [
    '# Configuration',
    '',
    'Generated from `src/platform/config/config.ts` (a unit test fails when this file drifts).',
    'Diwan reads only environment variables; `config/*.env.example` show typical sets.',
    'A bad value stops start-up with a message naming every offending variable.',
    '',
  ];
  for (const [area, vars] of Object.entries(CONFIG_SPEC)) {
    lines.push(
      `## ${area}`,
      '',
      '| variable | default | sensitive | meaning |',
      '| --- | --- | --- | --- |',
    );
    for (const spec of Object.values(vars) as VariableSpec<unknown>[]) {
      lines.push(
        `| \`${spec.name}\` | ${spec.default === undefined ? '(unset)' : `\`${spec.default}\``} | ${spec.sensitive ? 'yes' : 'no'} | ${spec.description} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

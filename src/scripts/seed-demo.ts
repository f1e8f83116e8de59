/**
 * `npm run seed:demo`: loads the bilingual demo data set into the configured database (or
 * the embedded one under DIWAN_DATA_DIR): agencies and 38 published services, payments
 * (including the 2017 figures the committee report reproduces), eKey registrations, KPIs.
 * Every seeder is idempotent, so running it twice changes nothing.
 */
import { startDiwanOrExit } from '../bootstrap.js';
import { EkeyDemoSeeder } from '../modules/ekey/services/ekey-demo-seeder.js';
import { PaymentsDemoSeeder } from '../modules/payments/demo/payments-demo.seeder.js';
import { RegistryDemoSeeder } from '../modules/registry/services/registry-demo.seeder.js';
import { StrategyDemoSeeder } from '../modules/strategy/demo/strategy-demo.seeder.js';
import { loadConfig } from '../platform/config/config.js';

process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
const diwan = await startDiwanOrExit(
  loadConfig({
    ...process.env,
    ADMIN_ENABLED: 'false',
    DIWAN_ROLE: 'all',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  }),
  { listen: false },
);
try {
  // Order matters: agencies and services first, the KPIs that read them last.
  for (const [name, seeder] of [
    ['registry', RegistryDemoSeeder],
    ['payments', PaymentsDemoSeeder],
    ['eKey', EkeyDemoSeeder],
    ['strategy', StrategyDemoSeeder],
  ] as const) {
    const started = performance.now();
    await diwan.app.get<{ seed(): Promise<void> }>(seeder, { strict: false }).seed();
    process.stdout.write(`seeded ${name} in ${Math.round(performance.now() - started)} ms\n`);
  }
} finally {
  await diwan.close();
}

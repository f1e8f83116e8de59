/** `npm run audit:verify`: re-walks the audit hash chain and reports the first broken link. */
import { NestFactory } from '@nestjs/core';
import { AuditService } from '../platform/audit/audit.service.js';
import { loadConfig } from '../platform/config/config.js';
import { createRootLogger } from '../platform/logging/logger.js';
import { AuditVerifyModule } from './audit-verify.module.js';

const config = loadConfig(process.env);
if (!config.database.url) {
  process.stderr.write(
    'DATABASE_URL is required (for the embedded database, use GET /v1/audit/verify on the running app)\n',
  );
  process.exit(2);
}
const logger = createRootLogger('warn');
const ctx = await NestFactory.createApplicationContext(
  AuditVerifyModule.forRoot(
    { ...config, database: { ...config.database, url: config.database.url, migrationsRun: false } },
    logger,
  ),
  { logger: false },
);
const report = await ctx.get(AuditService).verify();
await ctx.close();
if (report.ok) {
  process.stdout.write(
    `audit chain intact: ${report.events} events, head #${report.headSeq ?? '-'} ${report.headHash}\n`,
  );
} else {
  const b = report.firstBroken!;
  process.stdout.write(
    `audit chain BROKEN at event #${b.seq}: ${b.reason} (expected ${b.expected}, found ${b.found}); ${report.events} events verified before it\n`,
  );
  process.exit(1);
}

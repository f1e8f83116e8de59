import { startDiwanOrExit } from './bootstrap.js';
import { ConfigError } from './platform/config/config-schema.js';
import { loadConfig } from './platform/config/config.js';

let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\nSee docs/configuration.md.\n`);
    process.exit(78);
  }
  throw e;
}
const diwan = await startDiwanOrExit(config);
const stop = async (signal: string) => {
  diwan.logger.info({ signal }, 'shutting down');
  await diwan.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-schema.js';
import { loadConfig, renderConfigurationDoc } from './config.js';

describe('loadConfig', () => {
  it('starts with no configuration at all, in embedded mode', () => {
    const sut = loadConfig({});
    expect(sut.database.embedded).toBe(true);
    expect(sut.redis.url).toBeUndefined();
    expect(sut.app.port).toBe(3000);
    expect(Object.isFrozen(sut.database)).toBe(true);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DIWAN_ROLE: 'cron' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/DIWAN_ROLE/);
  });

  it('refuses production without the secrets it needs', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db' })).toThrow(
      /SESSION_SECRET is required/,
    );
  });

  it('refuses to split API and worker without Redis', () => {
    expect(() => loadConfig({ DIWAN_ROLE: 'worker' })).toThrow(/DIWAN_ROLE=worker needs REDIS_URL/);
    expect(loadConfig({ DIWAN_ROLE: 'worker', REDIS_URL: 'redis://127.0.0.1:6379' }).app.role).toBe(
      'worker',
    );
  });

  it('keeps docs/configuration.md in step with the code', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(renderConfigurationDoc());
  });
});

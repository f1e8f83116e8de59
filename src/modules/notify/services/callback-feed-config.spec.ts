import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../platform/config/config-schema.js';
import { loadConfig } from '../../../platform/config/config.js';

describe('callback feed windows (configuration)', () => {
  it('keeps the former fixed values as defaults: every 2 s, 5 s look-back, 15-minute catch-up', () => {
    const { notify } = loadConfig({});
    expect(notify.callbackFeedIntervalMs).toBe(2000);
    expect(notify.callbackFeedLookbackMs).toBe(5000);
    expect(notify.callbackFeedCatchUpMinutes).toBe(15);
  });

  it('takes other values from the environment', () => {
    const { notify } = loadConfig({
      NOTIFY_CALLBACK_FEED_INTERVAL_MS: '500',
      NOTIFY_CALLBACK_FEED_LOOKBACK_MS: '30000',
      NOTIFY_CALLBACK_FEED_CATCH_UP_MINUTES: '60',
    });
    expect(notify).toMatchObject({
      callbackFeedIntervalMs: 500,
      callbackFeedLookbackMs: 30000,
      callbackFeedCatchUpMinutes: 60,
    });
  });

  it('refuses values out of range, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        NOTIFY_CALLBACK_FEED_INTERVAL_MS: '10',
        NOTIFY_CALLBACK_FEED_LOOKBACK_MS: '-1',
        NOTIFY_CALLBACK_FEED_CATCH_UP_MINUTES: 'often',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/NOTIFY_CALLBACK_FEED_INTERVAL_MS/);
    expect(problems).toMatch(/NOTIFY_CALLBACK_FEED_LOOKBACK_MS/);
    expect(problems).toMatch(/NOTIFY_CALLBACK_FEED_CATCH_UP_MINUTES/);
  });
});

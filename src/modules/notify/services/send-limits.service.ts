import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../platform/clock.js';
import type { NotifyConfig } from '../../../platform/config/config.js';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import { rateLimited } from '../../../platform/rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../../../platform/rate-limit/rate-limiter.js';

const DAY_SECONDS = 86_400;
/** Asia/Bahrain is UTC+3 all year: daily caps reset at local midnight. */
const BAHRAIN_OFFSET_SECONDS = 3 * 3600;

/**
 * Per e-service request rate and daily caps per channel, counted in Redis when configured so
 * every API instance shares them. Answers 429 with the seconds until the budget returns.
 */
@Injectable()
export class SendLimitsService {
  private readonly notify: NotifyConfig;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(DIWAN_CONFIG) config: { notify: NotifyConfig },
  ) {
    this.notify = config.notify;
  }

  /** Counts one request of the client; throws 429 once over the per-minute budget. */
  async checkRequest(apiClientId: string): Promise<void> {
    const d = await this.limiter.hit(
      `notify:req:${apiClientId}`,
      this.notify.rateLimitPerMinute,
      60,
    );
    if (!d.allowed)
      throw rateLimited(
        d.retryAfter,
        `Exceeded rate limit for key type LIVE of ${this.notify.rateLimitPerMinute} requests per 60 seconds`,
      );
  }

  /** Takes `count` messages from today's cap of the channel; throws 429 when it would pass it. */
  async takeDaily(apiClientId: string, channel: 'sms' | 'email', count = 1): Promise<void> {
    const cap = channel === 'sms' ? this.notify.dailySmsCap : this.notify.dailyEmailCap;
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    const day = Math.floor((nowSec + BAHRAIN_OFFSET_SECONDS) / DAY_SECONDS);
    const key = `notify:daily:${channel}:${apiClientId}:${day}`;
    const used = await this.limiter.add(key, count, DAY_SECONDS + 3600);
    if (used > cap) {
      // Give back what this request took, so refused messages do not use up the cap.
      await this.limiter.add(key, -count, DAY_SECONDS + 3600);
      const untilMidnight = DAY_SECONDS - ((nowSec + BAHRAIN_OFFSET_SECONDS) % DAY_SECONDS);
      throw rateLimited(untilMidnight, `Exceeded the daily ${channel} limit of ${cap} messages`);
    }
  }
}

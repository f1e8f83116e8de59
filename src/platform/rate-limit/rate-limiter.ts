import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfter: number;
  limit: number;
}

/**
 * Fixed-window counters. With Redis they are shared by every API instance; without it each
 * process counts alone (the embedded mode is a single process).
 */
export abstract class RateLimiter {
  abstract hit(
    key: string,
    limit: number,
    windowSeconds: number,
    cost?: number,
  ): Promise<RateDecision>;
  /** Current count without adding to it. */
  abstract peek(key: string, windowSeconds: number): Promise<number>;
  abstract reset(key: string): Promise<void>;
  /**
   * A plain shared counter under a key the caller names (e.g. one per local day); it is
   * forgotten `ttlSeconds` after its last change. Returns the count after adding `cost`.
   */
  abstract add(key: string, cost: number, ttlSeconds: number): Promise<number>;
}

export class RedisRateLimiter extends RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }
  private k(key: string, windowSeconds: number, now = Date.now()) {
    const window = Math.floor(now / 1000 / windowSeconds);
    return {
      redisKey: `${this.prefix}:rl:${key}:${window}`,
      resetIn: windowSeconds - (Math.floor(now / 1000) % windowSeconds),
    };
  }
  async hit(key: string, limit: number, windowSeconds: number, cost = 1): Promise<RateDecision> {
    const { redisKey, resetIn } = this.k(key, windowSeconds);
    const [[, count]] = (await this.redis
      .multi()
      .incrby(redisKey, cost)
      .expire(redisKey, windowSeconds + 1)
      .exec()) as [[Error | null, number]];
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfter: resetIn,
      limit,
    };
  }
  async peek(key: string, windowSeconds: number): Promise<number> {
    return Number((await this.redis.get(this.k(key, windowSeconds).redisKey)) ?? 0);
  }
  async reset(key: string): Promise<void> {
    const keys = await this.redis.keys(`${this.prefix}:rl:${key}:*`);
    if (keys.length) await this.redis.del(...keys);
  }
  async add(key: string, cost: number, ttlSeconds: number): Promise<number> {
    const redisKey = `${this.prefix}:counter:${key}`;
    const [[, count]] = (await this.redis
      .multi()
      .incrby(redisKey, cost)
      .expire(redisKey, ttlSeconds)
      .exec()) as [[Error | null, number]];
    return count;
  }
}

export class MemoryRateLimiter extends RateLimiter {
  private readonly counters = new Map<string, { window: number; count: number }>();
  async hit(key: string, limit: number, windowSeconds: number, cost = 1): Promise<RateDecision> {
    const nowSec = Math.floor(Date.now() / 1000);
    const window = Math.floor(nowSec / windowSeconds);
    const id = `${key}:${windowSeconds}`;
    const c = this.counters.get(id);
    const entry = c && c.window === window ? c : { window, count: 0 };
    entry.count += cost;
    this.counters.set(id, entry);
    if (this.counters.size > 100_000) this.sweep(nowSec);
    return {
      allowed: entry.count <= limit,
      remaining: Math.max(0, limit - entry.count),
      retryAfter: windowSeconds - (nowSec % windowSeconds),
      limit,
    };
  }
  async peek(key: string, windowSeconds: number): Promise<number> {
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const c = this.counters.get(`${key}:${windowSeconds}`);
    return c && c.window === window ? c.count : 0;
  }
  async reset(key: string): Promise<void> {
    for (const id of this.counters.keys()) if (id.startsWith(`${key}:`)) this.counters.delete(id);
  }
  private readonly plain = new Map<string, { count: number; expiresAt: number }>();
  async add(key: string, cost: number, ttlSeconds: number): Promise<number> {
    const now = Date.now();
    const c = this.plain.get(key);
    const entry = c && c.expiresAt > now ? c : { count: 0, expiresAt: 0 };
    entry.count += cost;
    entry.expiresAt = now + ttlSeconds * 1000;
    this.plain.set(key, entry);
    return entry.count;
  }
  private sweep(nowSec: number) {
    for (const [id, c] of this.counters) {
      const windowSeconds = Number(id.slice(id.lastIndexOf(':') + 1));
      if (c.window < Math.floor(nowSec / windowSeconds)) this.counters.delete(id);
    }
  }
}

import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** One limit: at most `points` per `durationSeconds` per key (rate-limiter-flexible's fixed window from the first hit). */
export interface RateLimitRule {
  /** Names this limit's keys: `<keyPrefix>rl:<name>:<key>`. */
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
  /** Once over the limit, refuse the key for this long (a lock) instead of until the window ends. */
  readonly blockSeconds?: number;
  /**
   * Remember a key that used up its points in process memory until its window ends, so a client
   * hammering past its limit costs no Redis round trip (inMemoryBlockOnConsumed).
   */
  readonly blockInMemory?: boolean;
}

/** A limiter made by createRateLimiter (rate-limiter-flexible's RateLimiterRedis: consume, get, reward, block, delete). */
export type RateLimiter = RateLimiterRedis;

export type RateLimitDecision =
  | { readonly allowed: true; readonly consumedPoints: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * A limit shared by every replica: counters in Redis under the deployment's key prefix. When
 * Redis fails, each process goes on counting in its own memory (the insurance limiter) rather
 * than refusing everyone or letting everyone through, until Redis answers again.
 */
export function createRateLimiter(redis: Redis, keyPrefix: string, rule: RateLimitRule): RateLimiter {
  const common = {
    keyPrefix: `${keyPrefix}rl:${rule.name}`,
    points: rule.points,
    duration: rule.durationSeconds,
    blockDuration: rule.blockSeconds ?? 0,
  };
  return new RateLimiterRedis({
    ...common,
    storeClient: redis,
    ...(rule.blockInMemory ? { inMemoryBlockOnConsumed: rule.points } : {}),
    insuranceLimiter: new RateLimiterMemory(common),
  });
}

/**
 * A refusal for `msBeforeNext`. Refusals racing the consume that crossed the limit still see the
 * window's expiry, but that consume is setting the block: no refusal outlasts the block.
 */
function refused(limiter: RateLimiter, msBeforeNext: number): RateLimitDecision {
  const blockMs = limiter.blockDuration * 1000;
  return { allowed: false, retryAfterMs: Math.max(1, blockMs > 0 ? Math.min(msBeforeNext, blockMs) : msBeforeNext) };
}

/** Takes `points` for `key`: allowed, or how long until it would be. Store failures (with no insurance) are thrown. */
export async function consumeRateLimit(limiter: RateLimiter, key: string, points = 1): Promise<RateLimitDecision> {
  try {
    const taken = await limiter.consume(key, points);
    return { allowed: true, consumedPoints: taken.consumedPoints };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return refused(limiter, rejection.msBeforeNext);
    throw rejection;
  }
}

/** Whether `key` is over its limit now, without taking a point. */
export async function peekRateLimit(limiter: RateLimiter, key: string): Promise<RateLimitDecision> {
  const current = await limiter.get(key);
  if (current && current.consumedPoints > limiter.points) {
    return refused(limiter, current.msBeforeNext);
  }
  return { allowed: true, consumedPoints: current?.consumedPoints ?? 0 };
}

/** Whole seconds for a Retry-After header or `retryAfterSeconds` (never 0: "now" would invite a retry storm). */
export const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));

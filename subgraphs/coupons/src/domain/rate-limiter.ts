import { consumeRateLimit, createRateLimiter, type Redis } from '@radiata/redis';

/**
 * Per-shopper claim limit, counted in Redis so every replica shares it (CLAIM_RATE_LIMIT per
 * CLAIM_RATE_WINDOW_SECONDS, whichever replica a claim reaches). A shopper who used up the
 * window is then answered from this process's memory until it ends: hammering the claim button
 * costs neither the claim script nor a Redis round trip.
 */
export class ClaimRateLimiter {
  private readonly limiter;

  constructor(redis: Redis, keyPrefix: string, limit: number, windowSeconds: number) {
    this.limiter = createRateLimiter(redis, keyPrefix, {
      name: 'claims',
      points: limit,
      durationSeconds: windowSeconds,
      blockInMemory: true,
    });
  }

  /** 0 when allowed (and counted), else how many ms until the next claim would be. */
  async take(userId: string): Promise<number> {
    const decision = await consumeRateLimit(this.limiter, userId);
    return decision.allowed ? 0 : decision.retryAfterMs;
  }
}

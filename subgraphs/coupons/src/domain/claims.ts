import type { Viewer } from '@radiata/auth-context';
import { type Clock, isId, newId, requireViewer } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { CouponKeyspace } from '../redis/keys.js';
import type { ClaimDecision } from '../redis/scripts.js';
import type { CouponIssueRecord } from './issues.js';
import type { ClaimRateLimiter } from './rate-limiter.js';

export type ClaimOutcome = ClaimDecision | 'RATE_LIMITED';

export interface ClaimResult {
  readonly outcome: ClaimOutcome;
  readonly claimId: string | null;
  readonly retryAfterMs: number | null;
}

/** What a claimer hears once the accepted claim is persisted. */
export interface ClaimUpdate {
  readonly claimId: string;
  readonly status: 'ISSUED';
  readonly issue: CouponIssueRecord;
}

/**
 * Claiming: one round trip to Redis, whose script decides and records atomically (see
 * redis/scripts.ts). The answer is final at once; PostgreSQL follows through the persister.
 */
export class Claims {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: CouponKeyspace,
    private readonly clock: Clock,
    private readonly rateLimiter: ClaimRateLimiter,
    /** Counts every answer (claims by outcome, on /metrics). */
    private readonly recordOutcome: (outcome: ClaimOutcome) => void = () => {},
  ) {}

  /** Signed-in users (UNAUTHENTICATED otherwise); every other refusal is an outcome, not an error. */
  async claim(viewer: Viewer | null, couponId: string): Promise<ClaimResult> {
    const result = await this.decide(viewer, couponId);
    this.recordOutcome(result.outcome);
    return result;
  }

  private async decide(viewer: Viewer | null, couponId: string): Promise<ClaimResult> {
    const claimer = requireViewer(viewer);
    const now = this.clock.now().getTime();
    const retryAfterMs = await this.rateLimiter.take(claimer.id);
    if (retryAfterMs > 0) return { outcome: 'RATE_LIMITED', claimId: null, retryAfterMs };
    if (!isId(couponId)) return { outcome: 'NOT_FOUND', claimId: null, retryAfterMs: null };

    const claimId = newId();
    const keys = this.keyspace.coupon(couponId);
    const outcome = await this.redis.couponClaim(keys.meta, keys.claims, keys.stream, claimer.id, now, claimId);
    return { outcome, claimId: outcome === 'ACCEPTED' ? claimId : null, retryAfterMs: null };
  }

  /** Claims accepted so far per coupon (live counts from Redis), in one round trip. */
  async claimedCounts(couponIds: readonly string[]): Promise<number[]> {
    const pipeline = this.redis.pipeline();
    for (const couponId of couponIds) pipeline.hlen(this.keyspace.coupon(couponId).claims);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
  }
}

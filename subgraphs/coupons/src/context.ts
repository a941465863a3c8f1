import type { Clock, RequestContext } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { ClaimResults } from './domain/claim-results.js';
import type { Claims } from './domain/claims.js';
import type { Coupons } from './domain/coupons.js';
import type { Issues } from './domain/issues.js';
import type { Redemptions } from './domain/redemptions.js';
import type { CouponsLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';
import type { CouponKeyspace } from './redis/keys.js';

export interface CouponsServices {
  readonly db: Database;
  readonly redis: Redis;
  readonly keyspace: CouponKeyspace;
  readonly clock: Clock;
  readonly coupons: Coupons;
  readonly claims: Claims;
  /** The final result of accepted claims (couponClaimResult), from Redis pub/sub through the process's fanout. */
  readonly claimResults: ClaimResults;
  readonly issues: Issues;
  /** Coupon use and restore for the order saga (src/messaging/saga-participant.ts); not exposed in the schema. */
  readonly redemptions: Redemptions;
}

export interface CouponsContext extends RequestContext, CouponsServices {
  readonly loaders: CouponsLoaders;
}

/**
 * Every Redis key and channel of the coupons subgraph, under a prefix (REDIS_KEY_PREFIX) so
 * deployments or test runs sharing a Redis never see each other's coupons. The keys of one
 * coupon share the hash tag `{coupon:<id>}`, so a script touching one coupon runs on a single
 * Redis Cluster slot.
 */
export class CouponKeyspace {
  constructor(private readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new Error('REDIS_KEY_PREFIX must not contain braces (they make hash tags)');
  }

  coupon(couponId: string) {
    const tag = `${this.prefix}{coupon:${couponId}}`;
    return {
      /** Hash: start, end (epoch ms), total (-1: unlimited), deleted ("1"). */
      meta: `${tag}:meta`,
      /** Hash: userId → claimId of every accepted claim (its size is the claimed count). */
      claims: `${tag}:claims`,
      /** Stream of accepted claims waiting to be persisted (fields claim, user, at). */
      stream: `${tag}:stream`,
    } as const;
  }

  /** Set of coupon ids whose streams the persister reads. */
  get active(): string {
    return `${this.prefix}coupons:active`;
  }

  /** Pub/sub channel announcing persisted claims ({ claimIds }). */
  get issuedChannel(): string {
    return `${this.prefix}coupons:issued`;
  }
}

/** Consumer group of the persisters on every claim stream. */
export const PERSISTER_GROUP = 'persisters';

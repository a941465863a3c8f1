import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { CouponsServices } from './context.js';
import type { CouponRecord } from './domain/coupons.js';

export interface CouponsLoaders {
  /** Coupons by id, deleted ones included (issued coupons stay usable); null for unknown or malformed ids. */
  readonly couponById: DataLoader<string, CouponRecord | null>;
  /** Accepted claims per coupon, live from Redis. */
  readonly claimedByCouponId: DataLoader<string, number>;
}

/** Per-request batching: one query (or one Redis pipeline) per tick, whatever the list size. */
export function createLoaders({ db, claims }: CouponsServices): CouponsLoaders {
  return {
    couponById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.coupon.findMany({ where: { id: { in: valid } } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    claimedByCouponId: new DataLoader((ids) => claims.claimedCounts(ids)),
  };
}

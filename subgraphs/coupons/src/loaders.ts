import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { Claims } from './domain/claims.js';
import type { CouponRecord } from './domain/coupons.js';
import type { Database } from './persistence/database.js';

export interface CouponsLoaders {
  /** Coupons by id, deleted ones included (issued coupons stay usable); null for unknown or malformed ids. */
  readonly couponById: DataLoader<string, CouponRecord | null>;
  /** Accepted claims per coupon, live from Redis. */
  readonly claimedByCouponId: DataLoader<string, number>;
}

/** What the loaders read through (a part of CouponsServices). */
export interface LoaderServices {
  readonly db: Database;
  readonly claims: Pick<Claims, 'claimedCounts'>;
}

/** Per-request batching: one query (or one Redis pipeline) per tick, whatever the list size. */
export function createLoaders({ db, claims }: LoaderServices): CouponsLoaders {
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

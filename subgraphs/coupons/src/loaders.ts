import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { CouponsLoaders, CouponsServices } from './context.js';

/** Per-request batching: one query (or one Redis pipeline) per tick, whatever the list size. */
export function createLoaders(services: CouponsServices): CouponsLoaders {
  return {
    couponById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await services.db.coupon.findMany({ where: { id: { in: valid } } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    claimedByCouponId: new DataLoader((ids) => services.claims.claimedCounts(ids)),
  };
}

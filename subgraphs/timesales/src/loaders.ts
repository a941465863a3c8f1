import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { TimesalesLoaders, TimesalesServices } from './context.js';
import type { TimeSaleProductRecord } from './domain/sale-products.js';
import type { TimeSaleRecord } from './domain/time-sales.js';

function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** Per-request batching: one query (or one Redis pipeline) per tick, whatever the list size. */
export function createLoaders(services: TimesalesServices): TimesalesLoaders {
  const { db, clock, saleStock, lowestPrices } = services;
  return {
    timeSaleById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.timeSale.findMany({ where: { id: { in: valid }, deletedAt: null } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    saleProductById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length
        ? await db.timeSaleProduct.findMany({ where: { id: { in: valid }, saleDeleted: false } })
        : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    saleProductsBySaleId: new DataLoader(async (saleIds) => {
      const rows = await db.timeSaleProduct.findMany({
        where: { timeSaleId: { in: saleIds.filter(isId) }, saleDeleted: false },
        orderBy: { id: 'asc' },
      });
      return groupBy(saleIds, rows, (row) => row.timeSaleId);
    }),
    soldBySaleProductId: new DataLoader((ids) => saleStock.soldCounts(ids)),
    openSalesByProductId: new DataLoader(async (productIds) => {
      const links = await db.timeSaleProduct.findMany({
        where: { productId: { in: productIds.filter(isId) }, saleDeleted: false, saleEndAt: { gt: clock.now() } },
        select: { productId: true, timeSaleId: true },
      });
      const sales = await db.timeSale.findMany({
        where: { id: { in: [...new Set(links.map((link) => link.timeSaleId))] } },
        orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
      });
      const salesOf = new Map<string, Set<string>>();
      for (const link of links) {
        const set = salesOf.get(link.productId) ?? new Set<string>();
        set.add(link.timeSaleId);
        salesOf.set(link.productId, set);
      }
      return productIds.map((productId): TimeSaleRecord[] =>
        sales.filter((sale) => salesOf.get(productId)?.has(sale.id) ?? false),
      );
    }),
    sellingByProductId: new DataLoader(async (productIds) => {
      const now = clock.now();
      const rows = await db.timeSaleProduct.findMany({
        where: {
          productId: { in: productIds.filter(isId) },
          saleDeleted: false,
          AND: [
            { OR: [{ startAt: null, saleStartAt: { lte: now } }, { startAt: { lte: now } }] },
            { OR: [{ endAt: null, saleEndAt: { gt: now } }, { endAt: { gt: now } }] },
          ],
        },
      });
      // The exclusion constraint leaves at most one per product at any instant.
      const byProduct = new Map(rows.map((row) => [row.productId, row]));
      return productIds.map((productId): TimeSaleProductRecord | null => byProduct.get(productId) ?? null);
    }),
    lowestPriceByProductId: new DataLoader((productIds) => lowestPrices.get(productIds)),
  };
}

import { type Clock, isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { LowestPriceRecord } from './domain/pricing/lowest-price-rules.js';
import type { LowestPrices } from './domain/pricing/lowest-prices.js';
import type { CatalogVisibility } from './domain/sales/listing-rules.js';
import type { TimeSaleProductRecord, TimeSaleRecord } from './domain/sales/records.js';
import type { SaleStock } from './domain/stock/sale-stock.js';
import type { Database } from './persistence/database.js';

/** The services the loaders read through (a part of TimesalesServices). */
export interface LoaderServices {
  readonly db: Database;
  readonly clock: Clock;
  readonly saleStock: Pick<SaleStock, 'soldCounts'>;
  readonly lowestPrices: Pick<LowestPrices, 'get'>;
}

export interface TimesalesLoaders {
  /** Live (not deleted) sales by id; null for unknown or malformed ids. */
  readonly timeSaleById: DataLoader<string, TimeSaleRecord | null>;
  /** Products of live sales by id. */
  readonly saleProductById: DataLoader<string, TimeSaleProductRecord | null>;
  /** The products of each sale, in the order they were added. */
  readonly saleProductsBySaleId: DataLoader<string, TimeSaleProductRecord[]>;
  /** Per catalog product: what the products projection knows of its visibility (null: nothing yet). */
  readonly catalogVisibilityByProductId: DataLoader<string, CatalogVisibility | null>;
  /** Quantity held per sale product, live from Redis (null: Redis has no state for it). */
  readonly soldBySaleProductId: DataLoader<string, number | null>;
  /** Per catalog product: its sales that have not ended, soonest first. */
  readonly openSalesByProductId: DataLoader<string, TimeSaleRecord[]>;
  /** Per catalog product: the sale product selling at this instant, if any (sold out or not). */
  readonly sellingByProductId: DataLoader<string, TimeSaleProductRecord | null>;
  /** Per catalog product: its lowest price (cached in Redis; null: unknown product). */
  readonly lowestPriceByProductId: DataLoader<string, LowestPriceRecord | null>;
}

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

/** Held by orders: live from Redis; from PostgreSQL while Redis has no state for the sale product. */
export async function soldOf(loaders: TimesalesLoaders, saleProduct: TimeSaleProductRecord): Promise<number> {
  return (await loaders.soldBySaleProductId.load(saleProduct.id)) ?? saleProduct.soldQuantity;
}

/** What is left of a sale product (live), never below zero. */
export async function remainingOf(loaders: TimesalesLoaders, saleProduct: TimeSaleProductRecord): Promise<number> {
  return Math.max(0, saleProduct.totalQuantity - (await soldOf(loaders, saleProduct)));
}

/** Per-request batching: one query (or one Redis pipeline) per tick, whatever the list size. */
export function createLoaders(services: LoaderServices): TimesalesLoaders {
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
    catalogVisibilityByProductId: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length
        ? await db.product.findMany({
            where: { id: { in: valid } },
            select: { id: true, deleted: true, status: true, ownerId: true },
          })
        : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
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

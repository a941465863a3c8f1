import type { Clock, RequestContext } from '@radiata/service-runtime';
import type DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type { SaleAnnouncements } from './domain/announcements.js';
import type { CatalogProjection } from './domain/catalog-projection.js';
import type { SaleCountdowns } from './domain/countdowns.js';
import type { LowestPriceRecord } from './domain/lowest-price.js';
import type { LowestPrices } from './domain/lowest-prices.js';
import type { PriceFeed } from './domain/price-feed.js';
import type { PriceRefresher } from './domain/price-refresher.js';
import type { SaleProducts, TimeSaleProductRecord } from './domain/sale-products.js';
import type { SaleStock } from './domain/sale-stock.js';
import type { TimeSaleRecord, TimeSales } from './domain/time-sales.js';
import type { SaleTransitions } from './domain/transitions.js';
import type { Database } from './persistence/database.js';
import type { TimesalesKeyspace } from './redis/keys.js';

export interface TimesalesServices {
  readonly db: Database;
  readonly redis: Redis;
  readonly keyspace: TimesalesKeyspace;
  readonly clock: Clock;
  readonly announcements: SaleAnnouncements;
  readonly catalogProjection: CatalogProjection;
  readonly timeSales: TimeSales;
  readonly saleProducts: SaleProducts;
  readonly transitions: SaleTransitions;
  /** For the order saga (wired to messages later); not exposed in the schema. */
  readonly saleStock: SaleStock;
  readonly lowestPrices: LowestPrices;
  /** Recomputes and pushes lowest prices after the changes that move them. */
  readonly priceRefresher: PriceRefresher;
}

export interface TimesalesLoaders {
  /** Live (not deleted) sales by id. */
  readonly timeSaleById: DataLoader<string, TimeSaleRecord | null>;
  /** Products of live sales by id. */
  readonly saleProductById: DataLoader<string, TimeSaleProductRecord | null>;
  /** The products of each sale, in the order they were added. */
  readonly saleProductsBySaleId: DataLoader<string, TimeSaleProductRecord[]>;
  /** Quantity held per sale product, live from Redis (null: Redis has no state for it). */
  readonly soldBySaleProductId: DataLoader<string, number | null>;
  /** Per catalog product: its sales that have not ended, soonest first. */
  readonly openSalesByProductId: DataLoader<string, TimeSaleRecord[]>;
  /** Per catalog product: the sale product selling at this instant, if any (sold out or not). */
  readonly sellingByProductId: DataLoader<string, TimeSaleProductRecord | null>;
  /** Per catalog product: its lowest price (cached in Redis; null: unknown product). */
  readonly lowestPriceByProductId: DataLoader<string, LowestPriceRecord | null>;
}

/** What the subscriptions stream from (Redis pub/sub through the process's fanout). */
export interface TimesalesSubscriptions {
  readonly priceFeed: PriceFeed;
  readonly countdowns: SaleCountdowns;
}

export interface TimesalesContext extends RequestContext, TimesalesServices, TimesalesSubscriptions {
  readonly loaders: TimesalesLoaders;
}

import type { Clock, RequestContext } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { CatalogProjection } from './domain/catalog/projection.js';
import type { SaleCountdowns } from './domain/live/countdowns.js';
import type { LowestPrices } from './domain/pricing/lowest-prices.js';
import type { PriceFeed } from './domain/pricing/price-feed.js';
import type { PriceRefresher } from './domain/pricing/price-refresher.js';
import type { SaleProducts } from './domain/sales/sale-products.js';
import type { TimeSales } from './domain/sales/time-sales.js';
import type { SaleAnnouncements } from './domain/schedule/announcements.js';
import type { SaleTransitions } from './domain/schedule/transitions.js';
import type { OrderReservations } from './domain/stock/order-reservations.js';
import type { SaleStock } from './domain/stock/sale-stock.js';
import type { TimesalesLoaders } from './loaders.js';
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
  /** Sale quantity per sale product (reserve, release, live counts); not exposed in the schema. */
  readonly saleStock: SaleStock;
  /** The order saga's sale-quantity step, all of an order's items or none (src/messaging/saga-participant.ts). */
  readonly orderReservations: OrderReservations;
  readonly lowestPrices: LowestPrices;
  /** Recomputes and pushes lowest prices after the changes that move them. */
  readonly priceRefresher: PriceRefresher;
  /** Live lowest prices (lowestPriceChanged), from Redis pub/sub through the process's fanout. */
  readonly priceFeed: PriceFeed;
  /** Live countdowns of sales (timeSaleCountdown), one feed per sale per process. */
  readonly countdowns: SaleCountdowns;
}

export interface TimesalesContext extends RequestContext, TimesalesServices {
  readonly loaders: TimesalesLoaders;
}

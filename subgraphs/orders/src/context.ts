import type { RequestContext } from '@radiata/service-runtime';
import type { AddressProjection } from './domain/address-projection.js';
import type { OrderFeed } from './domain/order-feed.js';
import type { Orders } from './domain/orders.js';
import type { SagaStore } from './domain/saga/saga-store.js';
import type { SagaTimer } from './domain/saga/saga-timer.js';
import type { OrdersLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';

export interface OrdersServices {
  readonly db: Database;
  readonly orders: Orders;
  readonly saga: SagaStore;
  readonly timer: SagaTimer;
  readonly feed: OrderFeed;
  /** Shoppers' saved addresses, projected from the users subgraph's events (placeOrder by shippingAddressId). */
  readonly addresses: AddressProjection;
}

export interface OrdersContext extends RequestContext, OrdersServices {
  readonly loaders: OrdersLoaders;
}

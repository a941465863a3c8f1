import type { RequestContext } from '@radiata/service-runtime';
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
}

export interface OrdersContext extends RequestContext, OrdersServices {
  readonly loaders: OrdersLoaders;
}

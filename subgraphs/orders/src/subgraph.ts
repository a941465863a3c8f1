import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import {
  defineSubgraph,
  eventPublishing,
  periodic,
  postgres,
  type RedisFanout,
  redis as redisConnection,
  redisFanout,
  type ServicesKit,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { type OrdersConfig, ordersConfig } from './config.js';
import type { OrdersContext, OrdersServices } from './context.js';
import { AddressProjection } from './domain/address-projection.js';
import { OrderFeed } from './domain/order-feed.js';
import { Orders } from './domain/orders.js';
import { OrderSaga } from './domain/saga/order-saga.js';
import { SagaStore } from './domain/saga/saga-store.js';
import { SagaTimer } from './domain/saga/saga-timer.js';
import { createLoaders } from './loaders.js';
import { ORDERS_EXCHANGE } from './messaging/orders-events.js';
import { startSagaRepliesConsumer } from './messaging/saga-replies-consumer.js';
import { startUsersConsumer } from './messaging/users-consumer.js';
import { registerOrdersGauge, SagaMetrics } from './metrics.js';
import { createDatabase, type Database } from './persistence/database.js';
import { OrderResolver } from './resolvers/order.resolver.js';
import { OrderItemResolver } from './resolvers/order-item.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';

export interface OrdersResources {
  readonly db: Database;
  readonly redis: Redis;
  readonly fanout: RedisFanout;
}

/** How often placeOrder looks again for a saved address it has not heard of yet (ORDER_ADDRESS_WAIT_MS). */
const ADDRESS_POLL_MS = 50;

/** Reward points an order may ask to use at most (the users subgraph's own cap per entry). */
const MAX_POINTS = 100_000_000;

export function createOrdersServices(
  { db, redis, fanout }: OrdersResources,
  { config, clock, logger }: ServicesKit<OrdersConfig>,
): OrdersServices {
  const saga = new OrderSaga({
    stepTimeoutMs: config.SAGA_STEP_TIMEOUT_MS,
    stepAttempts: config.SAGA_STEP_ATTEMPTS,
    retryMaxMs: config.SAGA_RETRY_MAX_MS,
    paymentWindowMs: config.ORDER_PAYMENT_WINDOW_MS,
    paymentAttempts: config.ORDER_PAYMENT_ATTEMPTS,
  });
  let feed: OrderFeed | undefined;
  const announce = (order: { readonly id: string }) => feed?.announce(order.id);
  const store = new SagaStore(db, saga, () => clock.now(), announce);
  const addresses = new AddressProjection(db, { waitMs: config.ORDER_ADDRESS_WAIT_MS, pollMs: ADDRESS_POLL_MS });
  const orders = new Orders(
    db,
    store,
    announce,
    { maxLines: config.ORDER_MAX_LINES, maxQuantity: config.ORDER_MAX_QUANTITY, maxPoints: MAX_POINTS },
    addresses,
  );
  feed = new OrderFeed(
    redis,
    fanout,
    `${config.REDIS_KEY_PREFIX}orders:changes`,
    orders,
    config.ORDER_FEED_POLL_MS,
    logger,
  );
  return { db, orders, saga: store, timer: new SagaTimer(db, store, () => clock.now(), logger), feed, addresses };
}

/**
 * Orders and their saga (docs/ARCHITECTURE.md, "Order saga"): placing an order records it and
 * its first command; the participants' replies and payments' events (orders.saga-replies) move
 * it on; a timer on every replica resends late commands and expires unpaid orders. Commands and
 * events leave through the outbox to `radiata.orders`; live status goes out over Redis.
 */
export const ordersSubgraph = defineSubgraph({
  name: 'orders',
  config: ordersConfig,
  schema: { resolvers: [OrderResolver, OrderItemResolver, UserResolver] },
  async start(kit) {
    const { config, clock, logger } = kit;
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    const fanout = await kit.use(redisFanout());
    const events = await kit.use(eventPublishing(ORDERS_EXCHANGE));
    const services = createOrdersServices({ db, redis, fanout }, kit);
    const metrics = new SagaMetrics(kit.metrics.registry);
    registerOrdersGauge(kit.metrics.registry, db);
    await startSagaRepliesConsumer({
      rabbit: events.rabbit,
      store: services.saga,
      logger,
      registry: kit.metrics.registry,
      onRun: (run, input) => metrics.observe(run, input, clock.now()),
    });
    await startUsersConsumer({
      rabbit: events.rabbit,
      addresses: services.addresses,
      logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('saga-deadlines', config.SAGA_POLL_INTERVAL_MS, async () => {
        const changed = await services.timer.pass((run, input) => metrics.observe(run, input, clock.now()));
        if (changed > 0) logger.info({ changed }, 'saga deadlines acted on');
      }),
    );
    await kit.use(
      periodic('prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const pruned = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), clock.now());
        if (pruned > 0) logger.info({ pruned }, 'pruned the inbox');
      }),
    );
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      createContext: (request): OrdersContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

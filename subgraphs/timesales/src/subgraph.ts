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
  worker,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { type TimesalesConfig, timesalesConfig } from './config.js';
import type { TimesalesContext, TimesalesServices } from './context.js';
import { CatalogProjection } from './domain/catalog/projection.js';
import { SaleCountdowns } from './domain/live/countdowns.js';
import { LowestPrices } from './domain/pricing/lowest-prices.js';
import { PriceFeed } from './domain/pricing/price-feed.js';
import { PriceRefresher } from './domain/pricing/price-refresher.js';
import { SaleProducts } from './domain/sales/sale-products.js';
import { TimeSales } from './domain/sales/time-sales.js';
import { SaleAnnouncements } from './domain/schedule/announcements.js';
import { SaleScheduler } from './domain/schedule/scheduler.js';
import { SellingBoundaries } from './domain/schedule/selling-boundaries.js';
import { SaleTransitions } from './domain/schedule/transitions.js';
import { OrderReservations } from './domain/stock/order-reservations.js';
import { reconcileSaleStock } from './domain/stock/reconcile.js';
import { SaleStock } from './domain/stock/sale-stock.js';
import { createLoaders } from './loaders.js';
import { startCatalogConsumer } from './messaging/catalog-consumer.js';
import { startSagaParticipant } from './messaging/saga-participant.js';
import { TIMESALES_EXCHANGE } from './messaging/timesales-events.js';
import { createDatabase, type Database } from './persistence/database.js';
import { fanoutKeyOf, TimesalesKeyspace } from './redis/keys.js';
import { definePriceCacheScripts, PriceCache } from './redis/price-cache.js';
import { defineSaleScripts } from './redis/scripts.js';
import { ClockResolver } from './resolvers/clock.resolver.js';
import { LowestPriceChangeResolver, LowestPriceResolver } from './resolvers/lowest-price.resolver.js';
import { ProductResolver } from './resolvers/product.resolver.js';
import { TimeSaleResolver } from './resolvers/time-sale.resolver.js';
import { TimeSaleCountdownResolver } from './resolvers/time-sale-countdown.resolver.js';
import { TimeSaleProductResolver } from './resolvers/time-sale-product.resolver.js';

export interface TimesalesResources {
  readonly db: Database;
  readonly redis: Redis;
  /** The process's one pub/sub connection (keyed by fanoutKeyOf): price feeds and countdowns listen on it. */
  readonly fanout: RedisFanout;
}

export function createTimesalesServices(
  { db, redis, fanout }: TimesalesResources,
  { config, clock, logger }: ServicesKit<TimesalesConfig>,
): TimesalesServices {
  defineSaleScripts(redis);
  definePriceCacheScripts(redis);
  const keyspace = new TimesalesKeyspace(config.REDIS_KEY_PREFIX);
  const announcements = new SaleAnnouncements(redis, keyspace, logger);
  const transitions = new SaleTransitions(db, clock, announcements, logger);
  const saleStock = new SaleStock(db, redis, keyspace, clock, transitions, announcements, logger);
  const cache = new PriceCache(redis, keyspace, {
    ttlMs: config.LOWEST_PRICE_TTL_MS,
    maxAgeMs: config.LOWEST_PRICE_MAX_AGE_MS,
  });
  const lowestPrices = new LowestPrices({ db, cache, saleStock, clock, logger });
  const priceRefresher = new PriceRefresher(lowestPrices, cache);
  announcements.observe(priceRefresher);
  const catalogProjection = new CatalogProjection(db, (productId) => priceRefresher.products([productId]));
  const sales = { db, redis, keyspace, clock, projection: catalogProjection, announcements };
  return {
    db,
    redis,
    keyspace,
    clock,
    announcements,
    catalogProjection,
    timeSales: new TimeSales(sales),
    saleProducts: new SaleProducts(sales),
    transitions,
    saleStock,
    orderReservations: new OrderReservations(db, saleStock, clock),
    lowestPrices,
    priceRefresher,
    priceFeed: new PriceFeed(fanout, keyspace.lowestPricesChannel, lowestPrices, logger),
    countdowns: new SaleCountdowns({ db, saleStock, keyspace, clock, fanout, logger }),
  };
}

/**
 * Time sales, their sale stock, lowest prices and live countdowns. Before it serves, Redis and
 * PostgreSQL are reconciled (missing Redis state rebuilt, reservations only one side has
 * repaired); then it publishes its events (outbox relay), consumes the catalog's product events,
 * answers the order saga's sale-quantity commands (reserve, release), prunes its inbox hourly
 * and, with SALE_SCHEDULER, fires sale transitions (every one that became due while no replica
 * ran, at once) and recomputes lowest prices at selling-window boundaries.
 */
export const timesalesSubgraph = defineSubgraph({
  name: 'timesales',
  config: timesalesConfig,
  schema: {
    resolvers: [
      TimeSaleResolver,
      TimeSaleProductResolver,
      ProductResolver,
      LowestPriceResolver,
      LowestPriceChangeResolver,
      TimeSaleCountdownResolver,
      ClockResolver,
    ],
  },
  async start(kit) {
    const { config, clock, logger } = kit;
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    // Idle until something listens (schedulers, countdowns, price feeds): nothing reads it before serving.
    const fanout = await kit.use(redisFanout({ keyOf: fanoutKeyOf(new TimesalesKeyspace(config.REDIS_KEY_PREFIX)) }));
    const services = createTimesalesServices({ db, redis, fanout }, kit);

    const reconciled = await reconcileSaleStock({ ...services, stock: services.saleStock, logger });
    if (reconciled.restored.length + reconciled.recorded + reconciled.givenBack + reconciled.adopted > 0) {
      logger.warn({ ...reconciled, restored: reconciled.restored.length }, 'reconciled sale quantities in Redis');
    }

    const events = await kit.use(eventPublishing(TIMESALES_EXCHANGE));
    await startCatalogConsumer({
      rabbit: events.rabbit,
      projection: services.catalogProjection,
      logger,
      registry: kit.metrics.registry,
    });
    await startSagaParticipant({
      rabbit: events.rabbit,
      db,
      reservations: services.orderReservations,
      clock,
      logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('inbox-prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const pruned = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), clock.now());
        if (pruned > 0) logger.info({ pruned }, 'pruned the inbox');
      }),
    );

    const changes = { fanout, channel: services.keyspace.changesChannel };
    const pollMs = config.SALE_SCHEDULER_POLL_MS;
    const scheduler = config.SALE_SCHEDULER
      ? await kit.use(worker(new SaleScheduler({ transitions: services.transitions, clock, logger, pollMs, changes })))
      : undefined;
    /** Recomputes lowest prices at the starts and ends of sale products' own windows. */
    const boundaries = config.SALE_SCHEDULER
      ? await kit.use(
          worker(
            new SaleScheduler({
              transitions: new SellingBoundaries(db, clock, services.priceRefresher),
              component: 'selling-boundaries',
              clock,
              logger,
              pollMs,
              changes,
            }),
          ),
        )
      : undefined;
    // Stopped first: ends every countdown feed (the subscription server has closed its streams already).
    await kit.use(() => ({ value: undefined, stop: () => services.countdowns.close() }));

    return {
      services,
      scheduler,
      boundaries,
      createContext: (request): TimesalesContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

import { createMetrics, type Logger } from '@radiata/observability';
import { startEventPublishing } from '@radiata/outbox';
import { closeRedis, createRedis, redisReadiness } from '@radiata/redis';
import {
  type Clock,
  loadTypeDefs,
  RedisFanout,
  type RunningSubgraph,
  startSubgraph,
  systemClock,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { TimesalesConfig } from './config.js';
import type { TimesalesContext, TimesalesServices, TimesalesSubscriptions } from './context.js';
import { SaleAnnouncements } from './domain/announcements.js';
import { startCatalogConsumer } from './domain/catalog-consumer.js';
import { CatalogProjection } from './domain/catalog-projection.js';
import { quantitiesKeyOf, SaleCountdowns } from './domain/countdowns.js';
import { TIMESALES_EXCHANGE } from './domain/events.js';
import { LowestPrices } from './domain/lowest-prices.js';
import { PriceFeed } from './domain/price-feed.js';
import { PriceRefresher } from './domain/price-refresher.js';
import { SaleProducts } from './domain/sale-products.js';
import { SaleStock } from './domain/sale-stock.js';
import { SaleScheduler } from './domain/scheduler.js';
import { SellingBoundaries } from './domain/selling-boundaries.js';
import { reconcileSaleStock } from './domain/stock-reconcile.js';
import { TimeSales } from './domain/time-sales.js';
import { SaleTransitions } from './domain/transitions.js';
import { createLoaders } from './loaders.js';
import { createDatabase, type Database } from './persistence/database.js';
import { TimesalesKeyspace } from './redis/keys.js';
import { definePriceCacheScripts, PriceCache } from './redis/price-cache.js';
import { defineSaleScripts } from './redis/scripts.js';
import { resolvers } from './resolvers/index.js';

export type { TimesalesServices } from './context.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

export function createTimesalesServices(
  db: Database,
  redis: Redis,
  config: Pick<TimesalesConfig, 'REDIS_KEY_PREFIX' | 'LOWEST_PRICE_TTL_MS' | 'LOWEST_PRICE_MAX_AGE_MS'>,
  logger: Logger,
  clock: Clock = systemClock,
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
  const dependencies = { db, redis, keyspace, clock, projection: catalogProjection, announcements };
  return {
    db,
    redis,
    keyspace,
    clock,
    announcements,
    catalogProjection,
    timeSales: new TimeSales(dependencies),
    saleProducts: new SaleProducts(dependencies),
    transitions,
    saleStock,
    lowestPrices,
    priceRefresher,
  };
}

export interface TimesalesOptions {
  readonly clock?: Clock;
  /** Called for every SQL statement of the timesales database (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

export interface RunningTimesales extends RunningSubgraph {
  readonly services: TimesalesServices;
  readonly subscriptions: TimesalesSubscriptions;
  readonly scheduler: SaleScheduler | undefined;
  /** Recomputes lowest prices at the starts and ends of sale products' own windows. */
  readonly boundaries: SaleScheduler | undefined;
}

/**
 * The timesales subgraph on config.PORT (0 for an ephemeral port in tests), with its outbox
 * relay, the catalog products consumer and the sale scheduler. Before serving, Redis and
 * PostgreSQL are reconciled (missing Redis state rebuilt, reservations only one side has repaired)
 * and every transition that became due while no replica ran fires.
 */
export async function startTimesalesSubgraph(
  config: TimesalesConfig,
  logger: Logger,
  options: TimesalesOptions = {},
): Promise<RunningTimesales> {
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  const redis = createRedis({ url: config.REDIS_URL, name: 'timesales', logger });
  const clock = options.clock ?? systemClock;
  const services = createTimesalesServices(db, redis, config, logger, clock);
  const metrics = createMetrics('timesales');

  const reconciled = await reconcileSaleStock({ ...services, stock: services.saleStock, logger });
  if (reconciled.restored.length + reconciled.recorded + reconciled.givenBack + reconciled.adopted > 0) {
    logger.warn({ ...reconciled, restored: reconciled.restored.length }, 'reconciled sale quantities in Redis');
  }

  const events = await startEventPublishing({
    name: 'timesales',
    rabbitmqUrl: config.RABBITMQ_URL,
    exchange: TIMESALES_EXCHANGE,
    databaseUrl: config.DATABASE_URL,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    registry: metrics.registry,
  });
  await startCatalogConsumer({
    rabbit: events.rabbit,
    projection: services.catalogProjection,
    queue: config.CATALOG_QUEUE,
    logger,
  });

  // One pub/sub connection for the process: schedulers, countdowns and price subscriptions.
  const fanout = new RedisFanout({
    url: config.REDIS_URL,
    name: 'timesales-pubsub',
    logger,
    keyOf: quantitiesKeyOf(services.keyspace),
  });
  const changes = { fanout, channel: services.keyspace.changesChannel };
  const scheduler = config.SALE_SCHEDULER
    ? new SaleScheduler({
        transitions: services.transitions,
        clock,
        logger,
        pollMs: config.SALE_SCHEDULER_POLL_MS,
        changes,
      })
    : undefined;
  await scheduler?.start();
  const boundaries = config.SALE_SCHEDULER
    ? new SaleScheduler({
        transitions: new SellingBoundaries(db, clock, services.priceRefresher),
        component: 'selling-boundaries',
        clock,
        logger,
        pollMs: config.SALE_SCHEDULER_POLL_MS,
        changes,
      })
    : undefined;
  await boundaries?.start();
  const subscriptions: TimesalesSubscriptions = {
    priceFeed: new PriceFeed(fanout, services.keyspace.lowestPricesChannel, services.lowestPrices, logger),
    countdowns: new SaleCountdowns({ ...services, fanout, logger }),
  };

  const subgraph = await startSubgraph<TimesalesContext>({
    name: 'timesales',
    typeDefs,
    resolvers,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    logger,
    port: config.PORT,
    introspection: config.NODE_ENV !== 'production',
    metrics,
    createContext: (request) => ({ ...request, ...services, ...subscriptions, loaders: createLoaders(services) }),
    readiness: {
      postgres: () => db.$queryRaw`SELECT 1`,
      redis: redisReadiness(redis),
      redisSubscriber: () => fanout.readiness(),
      rabbitmq: events.rabbit.readiness,
    },
    onStop: async () => {
      subscriptions.countdowns.close();
      await boundaries?.stop();
      await scheduler?.stop();
      await fanout.close();
      await events.stop();
      await closeRedis(redis);
      await db.$disconnect();
    },
  });
  return { ...subgraph, services, subscriptions, scheduler, boundaries, stop: subgraph.stop };
}

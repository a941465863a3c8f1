import { createMetrics, type Logger } from '@radiata/observability';
import { declareTopicExchange, startOutboxRelay } from '@radiata/outbox';
import { connectRabbit } from '@radiata/rabbitmq';
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
import type { TimesalesContext, TimesalesServices } from './context.js';
import { SaleAnnouncements } from './domain/announcements.js';
import { startCatalogConsumer } from './domain/catalog-consumer.js';
import { CatalogProjection } from './domain/catalog-projection.js';
import { TIMESALES_EXCHANGE } from './domain/events.js';
import { SaleProducts } from './domain/sale-products.js';
import { SaleStock } from './domain/sale-stock.js';
import { SaleScheduler } from './domain/scheduler.js';
import { reconcileSaleStock } from './domain/stock-reconcile.js';
import { TimeSales } from './domain/time-sales.js';
import { SaleTransitions } from './domain/transitions.js';
import { createLoaders } from './loaders.js';
import { createDatabase, type Database } from './persistence/database.js';
import { TimesalesKeyspace } from './redis/keys.js';
import { defineSaleScripts } from './redis/scripts.js';
import { resolvers } from './resolvers/index.js';

export type { TimesalesServices } from './context.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

export function createTimesalesServices(
  db: Database,
  redis: Redis,
  config: Pick<TimesalesConfig, 'REDIS_KEY_PREFIX'>,
  logger: Logger,
  clock: Clock = systemClock,
): TimesalesServices {
  defineSaleScripts(redis);
  const keyspace = new TimesalesKeyspace(config.REDIS_KEY_PREFIX);
  const announcements = new SaleAnnouncements(redis, keyspace, logger);
  const catalogProjection = new CatalogProjection(db);
  const transitions = new SaleTransitions(db, clock, announcements, logger);
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
    saleStock: new SaleStock(db, redis, keyspace, clock, transitions, announcements, logger),
  };
}

export interface TimesalesOptions {
  readonly clock?: Clock;
}

export interface RunningTimesales extends RunningSubgraph {
  readonly services: TimesalesServices;
  readonly scheduler: SaleScheduler | undefined;
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
  const db = createDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis({ url: config.REDIS_URL, name: 'timesales', logger });
  const clock = options.clock ?? systemClock;
  const services = createTimesalesServices(db, redis, config, logger, clock);
  const metrics = createMetrics('timesales');

  const reconciled = await reconcileSaleStock({ ...services, stock: services.saleStock, logger });
  if (reconciled.restored.length + reconciled.recorded + reconciled.givenBack + reconciled.adopted > 0) {
    logger.warn({ ...reconciled, restored: reconciled.restored.length }, 'reconciled sale quantities in Redis');
  }

  const rabbit = await connectRabbit({ url: config.RABBITMQ_URL, name: 'timesales', logger });
  await declareTopicExchange(rabbit, TIMESALES_EXCHANGE);
  const relay = await startOutboxRelay({
    databaseUrl: config.DATABASE_URL,
    rabbit,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    registry: metrics.registry,
  });
  await startCatalogConsumer({ rabbit, projection: services.catalogProjection, queue: config.CATALOG_QUEUE, logger });

  const fanout = new RedisFanout({ url: config.REDIS_URL, name: 'timesales-changes', logger });
  const scheduler = config.SALE_SCHEDULER
    ? new SaleScheduler({
        transitions: services.transitions,
        clock,
        logger,
        pollMs: config.SALE_SCHEDULER_POLL_MS,
        changes: { fanout, channel: services.keyspace.changesChannel },
      })
    : undefined;
  await scheduler?.start();

  const subgraph = await startSubgraph<TimesalesContext>({
    name: 'timesales',
    typeDefs,
    resolvers,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    logger,
    port: config.PORT,
    introspection: config.NODE_ENV !== 'production',
    metrics,
    createContext: (request) => ({ ...request, ...services, loaders: createLoaders(services) }),
    readiness: {
      postgres: () => db.$queryRaw`SELECT 1`,
      redis: redisReadiness(redis),
      redisSubscriber: () => fanout.readiness(),
      rabbitmq: rabbit.readiness,
    },
    onStop: async () => {
      await scheduler?.stop();
      await fanout.close();
      await relay.stop();
      await rabbit.close();
      await closeRedis(redis);
      await db.$disconnect();
    },
  });
  return { ...subgraph, services, scheduler, stop: subgraph.stop };
}

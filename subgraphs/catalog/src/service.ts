import { createMetrics, type Logger } from '@radiata/observability';
import { enqueue, startEventPublishing } from '@radiata/outbox';
import { loadTypeDefs, type RunningSubgraph, startSubgraph } from '@radiata/service-runtime';
import type { CatalogConfig } from './config.js';

export type { CatalogServices } from './context.js';

import type { CatalogContext, CatalogServices } from './context.js';
import { Brands } from './domain/brands.js';
import { Categories } from './domain/categories.js';
import { CATALOG_EXCHANGE, type RecordEvents } from './domain/events.js';
import { ProductSearch } from './domain/product-search.js';
import { Products } from './domain/products.js';
import { StockService } from './domain/stock.js';
import { createLoaders } from './loaders.js';
import { createDatabase, type Database } from './persistence/database.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** Catalog events go through the transactional outbox of the catalog database. */
export const recordEvents: RecordEvents = async (tx, events) => {
  await enqueue(
    (sql, values) => tx.$executeRawUnsafe(sql, ...values),
    events.map((event) => ({ exchange: CATALOG_EXCHANGE, routingKey: event.routingKey, payload: event.payload })),
  );
};

export function createCatalogServices(db: Database): CatalogServices {
  const brands = new Brands(db);
  return {
    db,
    brands,
    categories: new Categories(db),
    products: new Products(db, brands, recordEvents),
    productSearch: new ProductSearch(db),
    stock: new StockService(db, recordEvents),
  };
}

export interface CatalogOptions {
  /** Called for every SQL statement of the catalog database (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

/** The catalog subgraph and its outbox relay, started on config.PORT (0 for an ephemeral port in tests). */
export async function startCatalogSubgraph(
  config: CatalogConfig,
  logger: Logger,
  options: CatalogOptions = {},
): Promise<RunningSubgraph & { readonly services: CatalogServices }> {
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    onQuery: options.onQuery,
  });
  const services = createCatalogServices(db);
  const metrics = createMetrics('catalog');
  const events = await startEventPublishing({
    name: 'catalog',
    rabbitmqUrl: config.RABBITMQ_URL,
    exchange: CATALOG_EXCHANGE,
    databaseUrl: config.DATABASE_URL,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    registry: metrics.registry,
  });
  const subgraph = await startSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs,
    resolvers,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    logger,
    port: config.PORT,
    introspection: config.NODE_ENV !== 'production',
    metrics,
    createContext: (request) => ({ ...request, ...services, loaders: createLoaders(db) }),
    readiness: { postgres: () => db.$queryRaw`SELECT 1`, rabbitmq: events.rabbit.readiness },
    onStop: async () => {
      await events.stop();
      await db.$disconnect();
    },
  });
  return { ...subgraph, services, stop: subgraph.stop };
}

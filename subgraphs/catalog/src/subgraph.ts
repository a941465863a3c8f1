import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import { defineSubgraph, eventPublishing, periodic, postgres, type ServicesKit } from '@radiata/service-runtime';
import { type CatalogConfig, catalogConfig } from './config.js';
import type { CatalogContext, CatalogServices } from './context.js';
import { BrandGrades } from './domain/brand-grades.js';
import { Brands } from './domain/brands.js';
import { Categories } from './domain/categories.js';
import { ProductSearch } from './domain/product-search.js';
import { Products } from './domain/products.js';
import { Sellers } from './domain/sellers.js';
import { StockService } from './domain/stock.js';
import { createLoaders } from './loaders.js';
import { CATALOG_EXCHANGE, recordEvents } from './messaging/catalog-events.js';
import { startCatalogSagaParticipant } from './messaging/saga-participant.js';
import { startUsersConsumer } from './messaging/users-consumer.js';
import { createDatabase, type Database } from './persistence/database.js';
import { BrandResolver } from './resolvers/brand.resolver.js';
import { BrandGradeResolver } from './resolvers/brand-grade.resolver.js';
import { CategoryResolver } from './resolvers/category.resolver.js';
import { ProductResolver } from './resolvers/product.resolver.js';
import { UserBrandsResolver } from './resolvers/user.resolver.js';

export interface CatalogResources {
  readonly db: Database;
}

/** The catalog's domain services on its database; their events go through its outbox (`recordEvents`). */
export function createCatalogServices(
  { db }: CatalogResources,
  { clock }: ServicesKit<CatalogConfig>,
): CatalogServices {
  const sellers = new Sellers(db);
  const brands = new Brands(db, clock, sellers, recordEvents);
  const categories = new Categories(db);
  return {
    db,
    sellers,
    brands,
    brandGrades: new BrandGrades(db, recordEvents, clock),
    categories,
    products: new Products(db, brands, recordEvents, clock),
    productSearch: new ProductSearch(db, categories),
    stock: new StockService(db, recordEvents, clock),
  };
}

/**
 * Brands (and their grades), the category tree and products: browsing, sellers' product
 * management and stock. Every product, brand and grade change is recorded in the outbox with the
 * change, and the relay publishes it to the `radiata.catalog` topic exchange (`catalog.product.*`,
 * `catalog.brand.changed`, `catalog.grade.changed`). In the order saga it holds and
 * gives back stock for orders (`catalog.saga-commands`, replies `catalog.saga.*`).
 */
export const catalogSubgraph = defineSubgraph({
  name: 'catalog',
  config: catalogConfig,
  schema: { resolvers: [ProductResolver, BrandResolver, BrandGradeResolver, CategoryResolver, UserBrandsResolver] },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    const events = await kit.use(eventPublishing(CATALOG_EXCHANGE));
    const services = createCatalogServices({ db }, kit);
    await startUsersConsumer({
      rabbit: events.rabbit,
      sellers: services.sellers,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    // The order saga's stock step: replies go through the outbox to radiata.catalog (CATALOG_EXCHANGE).
    await startCatalogSagaParticipant({
      rabbit: events.rabbit,
      db,
      stock: services.stock,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('inbox-prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const pruned = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), kit.clock.now());
        if (pruned > 0) kit.logger.info({ pruned }, 'pruned the inbox');
      }),
    );
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      createContext: (request): CatalogContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { startTestSubgraph, type TestSubgraph, type TestSubgraphOptions } from '@radiata/testing';
import type { CatalogServices } from '../src/context.js';
import type { ProductRecord } from '../src/domain/products.js';
import { catalogSubgraph } from '../src/subgraph.js';

export type RunningCatalog = Awaited<ReturnType<typeof catalogSubgraph.start>>;

export interface CatalogStack extends TestSubgraph<RunningCatalog> {
  /** The running subgraph's domain services (on its database and outbox). */
  readonly services: CatalogServices;
}

/**
 * The catalog subgraph as its tests run it (startTestSubgraph): a fresh database, its own
 * RabbitMQ namespace (its relay publishes there), an ephemeral port.
 */
export async function startCatalog(options: TestSubgraphOptions = {}): Promise<CatalogStack> {
  const test = await startTestSubgraph(catalogSubgraph, options);
  return { ...test, services: test.subgraph.services };
}

export const seller = (): Viewer => ({ id: newId(), role: 'SELLER' });
export const customer = (): Viewer => ({ id: newId(), role: 'CUSTOMER' });
export const admin: Viewer = { id: newId(), role: 'ADMIN' };

let counter = 0;
export const unique = (prefix: string) => `${prefix} ${process.pid} ${counter++}`;

/** A brand of a new seller, a category, and a product of `stock` in them. */
export async function newProduct(
  catalog: CatalogServices,
  stock: number,
  overrides: Record<string, unknown> = {},
): Promise<ProductRecord> {
  const owner = seller();
  const brand = await catalog.brands.create(owner, { name: unique('brand') });
  const category = await catalog.categories.create(admin, { name: unique('category') });
  return catalog.products.create(owner, {
    brandId: brand.id,
    categoryId: category.id,
    name: 'Limited sneaker',
    price: 129_000,
    gender: 'ALL',
    color: 'RED',
    size: 'FREE',
    stockQuantity: stock,
    ...overrides,
  });
}

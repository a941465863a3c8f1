import { fileURLToPath } from 'node:url';
import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import type { CatalogServices } from '../src/context.js';
import type { ProductRecord } from '../src/domain/products.js';
import { createDatabase } from '../src/persistence/database.js';
import { createCatalogServices } from '../src/service.js';

export const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface CatalogDatabase extends CatalogServices {
  readonly testDb: TestDatabase;
  stop(): Promise<void>;
}

export async function startCatalogDatabase(poolSize = 10): Promise<CatalogDatabase> {
  const testDb = await createTestDatabase('catalog', migrationsDir);
  const db = createDatabase({ url: testDb.url, poolSize });
  return {
    testDb,
    ...createCatalogServices(db),
    stop: async () => {
      await db.$disconnect();
      await testDb.drop();
    },
  };
}

export const seller = (): Viewer => ({ id: newId(), role: 'SELLER' });
export const admin: Viewer = { id: newId(), role: 'ADMIN' };

let counter = 0;
/** A brand of a new seller, a category, and a product of `stock` in them. */
export async function newProduct(catalog: CatalogServices, stock: number): Promise<ProductRecord> {
  const owner = seller();
  const brand = await catalog.brands.create(owner, { name: `brand ${process.pid} ${counter++}` });
  const category = await catalog.categories.create({ name: `category ${process.pid} ${counter++}` });
  return catalog.products.create(owner, {
    brandId: brand.id,
    categoryId: category.id,
    name: 'Limited sneaker',
    price: 129_000,
    gender: 'ALL',
    color: 'RED',
    size: 'FREE',
    stockQuantity: stock,
  });
}

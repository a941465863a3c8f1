import path from 'node:path';
import { createTestDatabase, type TestDatabase, testSecrets, testSqlPool } from '@radiata/testing';
import type pg from 'pg';
import { repoRoot } from '../lib/paths.js';
import {
  DEMO_PRODUCT_COUNT,
  demoAccounts,
  demoBrands,
  expectedStatus,
  generateDemoProducts,
  type SeedReport,
  seedDemoData,
} from '../lib/seed.js';

jest.setTimeout(180_000);

const migrations = (subgraph: string) => path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations');

describe('generateDemoProducts', () => {
  const products = generateDemoProducts();

  it('is deterministic', () => {
    expect(generateDemoProducts()).toEqual(products);
    expect(generateDemoProducts(DEMO_PRODUCT_COUNT, 1)).not.toEqual(products);
  });

  it('makes valid products: won prices rounded to 100, discounts below the price, every brand', () => {
    expect(products).toHaveLength(DEMO_PRODUCT_COUNT);
    for (const product of products) {
      expect(Number.isInteger(product.price) && product.price % 100 === 0 && product.price > 0).toBe(true);
      expect(product.discountAmount % 100).toBe(0);
      expect(product.discountAmount).toBeLessThan(product.price);
      expect(demoBrands[product.brand]!.sells).toContain(product.category);
    }
    expect(new Set(products.map((product) => product.brand)).size).toBe(demoBrands.length);
    expect(products.some((product) => product.discountAmount > 0)).toBe(true);
    expect(products.some((product) => product.discountAmount === 0)).toBe(true);
    const statuses = products.map(expectedStatus);
    expect(statuses.filter((status) => status === 'SOLD_OUT').length).toBeGreaterThan(5);
    expect(statuses.filter((status) => status === 'HIDDEN').length).toBeGreaterThan(2);
  });
});

describe('seedDemoData', () => {
  let usersDb: TestDatabase;
  let catalogDb: TestDatabase;
  let usersPool: pg.Pool;
  let catalogPool: pg.Pool;
  let first: SeedReport;
  const secrets = testSecrets();
  const seed = () => seedDemoData({ usersDatabaseUrl: usersDb.url, catalogDatabaseUrl: catalogDb.url, secrets });
  const rows = async <T extends pg.QueryResultRow>(pool: pg.Pool, sql: string) => (await pool.query<T>(sql)).rows;

  beforeAll(async () => {
    [usersDb, catalogDb] = await Promise.all([
      createTestDatabase('users', migrations('users')),
      createTestDatabase('catalog', migrations('catalog')),
    ]);
    usersPool = testSqlPool(usersDb.url, 1);
    catalogPool = testSqlPool(catalogDb.url, 1);
    first = await seed();
  });

  afterAll(async () => {
    await Promise.all([usersPool?.end(), catalogPool?.end()]);
    await Promise.all([usersDb?.drop(), catalogDb?.drop()]);
  });

  it('creates the accounts with their roles, a point account each, hashed passwords', async () => {
    expect(first.users.map((user) => user.outcome)).toEqual(demoAccounts.map(() => 'created'));
    const users = await rows<{ email: string; role: string; password_hash: string; points: boolean }>(
      usersPool,
      `SELECT email, role, password_hash, EXISTS (SELECT 1 FROM point_accounts p WHERE p.user_id = u.id) AS points
         FROM users u ORDER BY email`,
    );
    expect(users.map(({ email, role }) => ({ email, role }))).toEqual(
      demoAccounts.map(({ email, role }) => ({ email, role })).sort((a, b) => a.email.localeCompare(b.email)),
    );
    expect(users.filter((user) => user.role === 'SELLER')).toHaveLength(5);
    for (const user of users) {
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(user.points).toBe(true);
    }
  });

  it('creates the category tree, the brands owned by the sellers and the products', async () => {
    const categories = await rows<{ name: string; parent: string | null }>(
      catalogPool,
      'SELECT c.name, p.name AS parent FROM categories c LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.name',
    );
    expect(categories).toHaveLength(10);
    expect(categories).toContainEqual({ name: 'Sneakers', parent: 'Shoes' });
    expect(categories).toContainEqual({ name: 'Clothing', parent: null });

    const sellerIds = new Map(
      (await rows<{ id: string; email: string }>(usersPool, `SELECT id, email FROM users WHERE role = 'SELLER'`)).map(
        (row) => [row.id, row.email],
      ),
    );
    const brands = await rows<{ name: string; owner_id: string; products: number }>(
      catalogPool,
      'SELECT b.name, b.owner_id, (SELECT count(*)::int FROM products p WHERE p.brand_id = b.id) AS products FROM brands b',
    );
    expect(brands).toHaveLength(8);
    for (const brand of brands) {
      const demo = demoBrands.find((candidate) => candidate.name === brand.name);
      expect(sellerIds.get(brand.owner_id)).toBe(demo?.ownerEmail);
      expect(brand.products).toBeGreaterThanOrEqual(37);
    }

    const expected = generateDemoProducts();
    const byStatus = { ON_SALE: 0, SOLD_OUT: 0, HIDDEN: 0 };
    for (const product of expected) byStatus[expectedStatus(product)] += 1;
    expect(first.products.created).toBe(DEMO_PRODUCT_COUNT);
    expect(first.totals).toEqual({
      users: 9,
      categories: 10,
      brands: 8,
      products: DEMO_PRODUCT_COUNT,
      productsByStatus: byStatus,
    });

    const products = await rows<{ status: string; stock: number; price: number; discount_amount: number }>(
      catalogPool,
      'SELECT status, stock, price, discount_amount FROM products',
    );
    expect(products).toHaveLength(DEMO_PRODUCT_COUNT);
    for (const product of products) {
      if (product.status === 'SOLD_OUT') expect(product.stock).toBe(0);
      if (product.status === 'ON_SALE') expect(product.stock).toBeGreaterThan(0);
      expect(product.price % 100).toBe(0);
      expect(product.discount_amount).toBeLessThan(product.price);
    }
    // Every product change goes through the outbox, as in production.
    const [outbox] = await rows<{ count: number }>(
      catalogPool,
      `SELECT count(*)::int AS count FROM outbox_messages WHERE routing_key = 'catalog.product.created'`,
    );
    expect(outbox?.count).toBe(DEMO_PRODUCT_COUNT);
  });

  it('creates nothing on a second run', async () => {
    const second = await seed();
    expect(second.users.every((user) => user.outcome === 'existing')).toBe(true);
    expect(second.rolesSet).toEqual([]);
    expect(second.categories).toEqual({ created: 0, existing: 10 });
    expect(second.brands.every((brand) => brand.outcome === 'existing')).toBe(true);
    expect(second.products).toEqual({ created: 0, skippedBrands: demoBrands.map((brand) => brand.name) });
    expect(second.totals).toEqual(first.totals);
  });

  it('fills in only what is missing', async () => {
    await catalogPool.query(
      `UPDATE products SET deleted_at = now() WHERE brand_id = (SELECT id FROM brands WHERE name = 'Mapo Leather')`,
    );
    await usersPool.query(`UPDATE users SET role = 'CUSTOMER' WHERE email = 'seller5@radiata.dev'`);
    const third = await seed();
    const mapo = generateDemoProducts().filter((product) => demoBrands[product.brand]!.name === 'Mapo Leather');
    expect(third.products.created).toBe(mapo.length);
    expect(third.products.skippedBrands).not.toContain('Mapo Leather');
    expect(third.rolesSet).toEqual(['seller5@radiata.dev']);
    expect(third.totals).toEqual(first.totals);
  });
});

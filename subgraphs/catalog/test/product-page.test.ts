// Issue 9, finding 11b: a page of 100 products cost the catalog ≈ 30 ms of CPU, most of it work
// per field and per row around the data (a promise per product for its brand and category,
// Apollo's instrumentation around every field). These tests pin what the page must not do again,
// by counting, never by timing.
import { createHook } from 'node:async_hooks';
import { newId } from '@radiata/service-runtime';
import { GraphQLObjectType } from 'graphql';
import { type CatalogStack, startCatalog, unique } from './support.js';

const PAGE = 100;
let catalog: CatalogStack;
const statements: string[] = [];
/** Which of the page's tables each SQL statement read since the last call (the outbox relay's own queries are left out). */
const tablesRead = () =>
  statements.splice(0).flatMap((sql) => /FROM "[^"]+"\."(products|brands|categories)"/.exec(sql)?.[1] ?? []);

/** Each Product field's resolve function (undefined: graphql-js' default). */
const productResolvers = () => {
  const product = catalog.subgraph.schema.getType('Product');
  if (!(product instanceof GraphQLObjectType)) throw new Error('no Product type');
  return Object.fromEntries(Object.values(product.getFields()).map((field) => [field.name, field.resolve]));
};
let resolversAtStart: ReturnType<typeof productResolvers>;

const expected = new Map<string, { brand: { id: string; name: string }; category: { id: string; name: string } }>();

beforeAll(async () => {
  catalog = await startCatalog({ onQuery: (sql) => statements.push(sql) });
  resolversAtStart = productResolvers();
  const { db } = catalog.services;
  const brands = await Promise.all(
    [0, 1, 2].map(() => db.brand.create({ data: { id: newId(), name: unique('brand'), ownerId: newId() } })),
  );
  const categories = await Promise.all(
    [0, 1].map(() => db.category.create({ data: { id: newId(), name: unique('category') } })),
  );
  const products = Array.from({ length: PAGE + 5 }, (_, index) => ({
    id: newId(),
    brandId: brands[index % brands.length]!.id,
    categoryId: categories[index % categories.length]!.id,
    name: `Product ${index}`,
    price: 10_000 + index,
    gender: 'ALL' as const,
    color: 'RED' as const,
    size: 'FREE' as const,
    stock: index % 4,
    status: index % 4 > 0 ? ('ON_SALE' as const) : ('SOLD_OUT' as const),
  }));
  await db.product.createMany({ data: products });
  for (const [index, product] of products.entries()) {
    const brand = brands[index % brands.length]!;
    const category = categories[index % categories.length]!;
    expected.set(product.id, {
      brand: { id: brand.id, name: brand.name },
      category: { id: category.id, name: category.name },
    });
  }
});
afterAll(() => catalog.stop());

interface Page {
  products: {
    edges: { node: { id: string; brand?: { id: string; name: string }; kind?: { id: string; name: string } } }[];
  };
}

async function page(query: string): Promise<Page['products']['edges']> {
  const result = await catalog.client.call<Page>(null, query);
  expect(result.errors).toBeUndefined();
  return result.data!.products.edges;
}

/** Promises the process creates while `run` runs (client and subgraph: both are in this process). */
async function promisesCreatedBy(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const hook = createHook({
    init: (_id, type) => {
      if (type === 'PROMISE') count += 1;
    },
  }).enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return count;
}

describe('a page of products', () => {
  it('comes with each product’s brand and category, through fragments and aliases, in one statement per table', async () => {
    tablesRead();
    const edges = await page(/* GraphQL */ `
      query {
        products(first: ${PAGE}) { edges { node { id ...Brand ... on Product { kind: category { id name } } } } }
      }
      fragment Brand on Product { brand { id name } }
    `);
    expect(edges).toHaveLength(PAGE);
    for (const { node } of edges) {
      expect({ brand: node.brand, category: node.kind }).toEqual(expected.get(node.id));
    }
    expect(tablesRead().sort()).toEqual(['brands', 'categories', 'products']);
  });

  it('reads no brands or categories when the operation asks for neither', async () => {
    tablesRead();
    expect(await page(`{ products(first: ${PAGE}) { edges { node { id name } } } }`)).toHaveLength(PAGE);
    expect(tablesRead()).toEqual(['products']);
  });

  it('costs no promise per product: 100 products take about as many promises as 10', async () => {
    const query = (first: number) =>
      `{ products(first: ${first}) { edges { cursor node { id name price createdAt stockQuantity ` +
      'brand { id name owner { id } } category { id name } } } } }';
    await page(query(PAGE)); // warm: the operation is parsed and validated once, then cached
    await page(query(10));
    const ten = await promisesCreatedBy(() => page(query(10)));
    const hundred = await promisesCreatedBy(() => page(query(PAGE)));
    // Before issue 9's fix: about 34 more for each extra product (581 for 10, 3,641 for 100): its
    // brand and category, Apollo's per-field hooks, and graphql-js waiting for all of them before
    // it could build the product and its edge. After: 258 and 282.
    expect(hundred - ten).toBeLessThan(PAGE - 10);
  });

  it('runs no per-field hook: the resolvers the schema was built with are the ones that serve', async () => {
    await page(`{ products(first: 1) { edges { node { id name price createdAt brand { id } } } } }`);
    // Apollo Server wraps every field of the schema, on the first request, when a plugin hooks
    // fields (its default cache-control plugin did: a policy object and a callback per field).
    expect(productResolvers()).toEqual(resolversAtStart);
  });

  it('is still marked uncacheable for the gateway (cache-control: no-store)', async () => {
    const response = await fetch(catalog.subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await catalog.client.signedContext(null)) },
      body: JSON.stringify({ query: '{ products(first: 1) { edges { node { id } } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

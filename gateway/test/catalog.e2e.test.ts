import { graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import {
  catalogSnapshot,
  createBrand,
  createCategory,
  createProduct,
  ok,
  PRODUCT_FIELDS,
  type ProductView,
  productInput,
  unique,
} from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let admin: SignedIn;
let seller: SignedIn;
let customer: SignedIn;
let brandId: string;
let clothing: string;
let tops: string;
let shoes: string;

beforeAll(async () => {
  graph = await startTestGraph();
  [admin, seller, customer] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER'), signUp(graph)]);
  clothing = await createCategory(graph, admin, unique('Clothing'));
  [tops, shoes] = await Promise.all([
    createCategory(graph, admin, 'Tops', clothing),
    createCategory(graph, admin, unique('Shoes')),
  ]);
  brandId = await createBrand(graph, seller);
});
afterAll(() => graph.stop());

const PRODUCTS = /* GraphQL */ `
  query($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
      edges { cursor node { ${PRODUCT_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface Page {
  products: {
    edges: { cursor: string; node: ProductView }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const list = (variables: Record<string, unknown>, as?: SignedIn) => ok<Page>(graph, PRODUCTS, variables, as);
const names = (page: Page) => page.products.edges.map((edge) => edge.node.name);

describe('creating and validating products', () => {
  it('creates a product the way its owner described it', async () => {
    const product = await createProduct(graph, seller, brandId, tops, {
      name: 'Linen shirt',
      price: 59_000,
      discountAmount: 9_000,
      gender: 'MAN',
      color: 'BLUE',
      size: 'LARGE',
      stockQuantity: 3,
    });
    expect(product).toMatchObject({
      name: 'Linen shirt',
      price: 59_000,
      discountAmount: 9_000,
      salePrice: 50_000,
      gender: 'MAN',
      color: 'BLUE',
      size: 'LARGE',
      status: 'ON_SALE',
      stockQuantity: 3,
      brand: { id: brandId },
      category: { id: tops, name: 'Tops' },
    });
    const fetched = await ok<{ product: ProductView }>(
      graph,
      `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`,
      {
        id: product.id,
      },
    );
    expect(fetched.product).toEqual(product);
  });

  it.each([
    ['a negative price', { price: -100 }, 'input.price'],
    ['a zero price', { price: 0 }, 'input.price'],
    ['a discount not below the price', { price: 10_000, discountAmount: 10_000 }, 'input.discountAmount'],
    ['an empty name', { name: '   ' }, 'input.name'],
    ['negative stock', { stockQuantity: -1 }, 'input.stockQuantity'],
    ['SOLD_OUT as a status', { status: 'SOLD_OUT' }, 'input.status'],
    ['a malformed category id', { categoryId: 'not-an-id' }, 'input.categoryId'],
    ['an unknown category', { categoryId: '01900000-0000-7000-8000-000000000000' }, 'input.categoryId'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_case, overrides, field) => {
    const before = await catalogSnapshot(graph);
    const response = await graphql(
      graph.gateway.url,
      'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { variables: { input: productInput(brandId, tops, overrides) }, token: seller.accessToken },
    );
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [expect.objectContaining({ field })],
    });
    expect(await catalogSnapshot(graph)).toBe(before);
  });

  it('refuses a price update that would make the discount exceed the price, and keeps the product as it was', async () => {
    const product = await createProduct(graph, seller, brandId, tops, { price: 20_000, discountAmount: 5_000 });
    const before = await catalogSnapshot(graph);
    const response = await graphql(
      graph.gateway.url,
      'mutation($id: ID!) { updateProduct(id: $id, input: { price: 4000 }) { id } }',
      { variables: { id: product.id }, token: seller.accessToken },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await catalogSnapshot(graph)).toBe(before);
  });

  it('refuses a duplicate brand name (any case) with CONFLICT', async () => {
    const name = unique('Maison');
    await createBrand(graph, seller, name);
    const response = await graphql(
      graph.gateway.url,
      'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
      { variables: { input: { name: name.toUpperCase() } }, token: seller.accessToken },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('stock', () => {
  it('goes SOLD_OUT at zero and back ON_SALE when restocked, never below zero', async () => {
    const product = await createProduct(graph, seller, brandId, tops, { stockQuantity: 2 });
    const adjust = (delta: number) =>
      graphql<{ adjustStock: { stockQuantity: number; status: string } }>(
        graph.gateway.url,
        'mutation($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { stockQuantity status } }',
        { variables: { id: product.id, delta }, token: seller.accessToken },
      );
    expect((await adjust(-2)).data?.adjustStock).toEqual({ stockQuantity: 0, status: 'SOLD_OUT' });
    const below = await adjust(-1);
    expect(below.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await adjust(5)).data?.adjustStock).toEqual({ stockQuantity: 5, status: 'ON_SALE' });
  });
});

describe('browsing', () => {
  let brand: string;
  const made: Record<string, ProductView> = {};

  beforeAll(async () => {
    brand = await createBrand(graph, seller);
    const specs: [string, Record<string, unknown>][] = [
      ['navy tee', { categoryId: tops, gender: 'MAN', color: 'NAVY', size: 'SMALL', price: 19_000 }],
      ['red tee', { categoryId: tops, gender: 'WOMAN', color: 'RED', size: 'MEDIUM', price: 21_000 }],
      [
        'unisex hoodie',
        { categoryId: clothing, gender: 'ALL', color: 'NAVY', size: 'FREE', price: 49_000, discountAmount: 10_000 },
      ],
      ['100% cotton socks', { categoryId: shoes, gender: 'ALL', color: 'GREEN', size: 'FREE', price: 5_000 }],
      [
        'sold out sneaker',
        { categoryId: shoes, gender: 'MAN', color: 'RED', size: 'LARGE', price: 89_000, stockQuantity: 0 },
      ],
      [
        'hidden sample',
        { categoryId: tops, gender: 'MAN', color: 'NAVY', size: 'SMALL', price: 1_000, status: 'HIDDEN' },
      ],
    ];
    for (const [name, spec] of specs) {
      made[name] = await createProduct(graph, seller, brand, tops, { name: `${name} ${brand}`, ...spec });
    }
  });

  const inBrand = (filter: Record<string, unknown>, sort?: string, as?: SignedIn) =>
    list({ filter: { brandId: brand, ...filter }, first: 50, ...(sort ? { sort } : {}) }, as).then((page) =>
      names(page).map((name) => name.replace(` ${brand}`, '')),
    );

  it('lists newest first and hides HIDDEN products from shoppers', async () => {
    expect(await inBrand({})).toEqual([
      'sold out sneaker',
      '100% cotton socks',
      'unisex hoodie',
      'red tee',
      'navy tee',
    ]);
    expect(await inBrand({ status: ['HIDDEN'] }, undefined, customer)).toEqual([]);
    expect(await inBrand({ status: ['HIDDEN'] }, undefined, seller)).toEqual(['hidden sample']);
    expect(await inBrand({ status: ['HIDDEN'] }, undefined, admin)).toEqual(['hidden sample']);
    const hidden = await ok<{ product: unknown }>(graph, 'query($id: ID!) { product(id: $id) { id } }', {
      id: made['hidden sample']?.id,
    });
    expect(hidden.product).toBeNull();
  });

  it('filters by category (with its subcategories), gender (unisex included), color, size, status, price and name', async () => {
    expect(await inBrand({ categoryId: clothing })).toEqual(['unisex hoodie', 'red tee', 'navy tee']);
    expect(await inBrand({ categoryId: tops })).toEqual(['red tee', 'navy tee']);
    expect(await inBrand({ gender: 'MAN' })).toEqual([
      'sold out sneaker',
      '100% cotton socks',
      'unisex hoodie',
      'navy tee',
    ]);
    expect(await inBrand({ gender: 'ALL' })).toEqual(['100% cotton socks', 'unisex hoodie']);
    expect(await inBrand({ color: 'NAVY' })).toEqual(['unisex hoodie', 'navy tee']);
    expect(await inBrand({ size: 'FREE' })).toEqual(['100% cotton socks', 'unisex hoodie']);
    expect(await inBrand({ status: ['SOLD_OUT'] })).toEqual(['sold out sneaker']);
    // salePrice bounds: the hoodie sells at 39,000 after its discount
    expect(await inBrand({ minPrice: 20_000, maxPrice: 39_000 })).toEqual(['unisex hoodie', 'red tee']);
    expect(await inBrand({ query: 'TEE' })).toEqual(['red tee', 'navy tee']);
    // wildcards are literal: "%" matches only a name with a percent sign
    expect(await inBrand({ query: '100%' })).toEqual(['100% cotton socks']);
    expect(await inBrand({ query: '_' })).toEqual([]);
  });

  it('sorts by sale price both ways', async () => {
    expect(await inBrand({}, 'PRICE_ASC')).toEqual([
      '100% cotton socks',
      'navy tee',
      'red tee',
      'unisex hoodie',
      'sold out sneaker',
    ]);
    expect(await inBrand({}, 'PRICE_DESC')).toEqual([
      'sold out sneaker',
      'unisex hoodie',
      'red tee',
      'navy tee',
      '100% cotton socks',
    ]);
  });

  it('refuses bad filters and cursors with BAD_USER_INPUT', async () => {
    for (const variables of [
      { filter: { minPrice: 10, maxPrice: 5 } },
      { filter: { brandId: 'nope' } },
      { first: 0 },
      { first: 101 },
      { after: 'garbage!' },
      { sort: 'PRICE_ASC', after: Buffer.from(`n:${made['red tee']?.id}`).toString('base64url') },
    ]) {
      const response = await graphql(graph.gateway.url, PRODUCTS, { variables });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('shows the category tree', async () => {
    const data = await ok<{
      categories: { id: string; children: { id: string; name: string; parent: { id: string } }[] }[];
    }>(graph, '{ categories { id children { id name parent { id } } } }', {});
    const root = data.categories.find((category) => category.id === clothing);
    expect(root?.children).toEqual([{ id: tops, name: 'Tops', parent: { id: clothing } }]);
  });
});

describe('pagination', () => {
  it('is complete and free of duplicates in every sort while products are being added', async () => {
    const brand = await createBrand(graph, seller);
    const existing = new Set<string>();
    for (let i = 0; i < 45; i += 1) {
      // few distinct prices: ties are broken by id
      const product = await createProduct(graph, seller, brand, tops, { price: 1_000 * (1 + (i % 4)) });
      existing.add(product.id);
    }
    for (const sort of ['NEWEST', 'PRICE_ASC', 'PRICE_DESC']) {
      const seen: string[] = [];
      let after: string | null = null;
      let inserted = 0;
      do {
        const page: Page = await list({ filter: { brandId: brand }, sort, first: 10, after });
        seen.push(...page.products.edges.map((edge) => edge.node.id));
        after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
        // concurrent inserts at every price, between every two pages
        await Promise.all([500, 2_000, 9_000].map((price) => createProduct(graph, seller, brand, tops, { price })));
        inserted += 3;
      } while (after);
      expect(inserted).toBeGreaterThanOrEqual(15);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of existing) expect(seen).toContain(id);
    }
  });
});

describe('across subgraphs', () => {
  it('resolves products { brand { owner { email } } } and User.brands', async () => {
    const brand = await createBrand(graph, seller, unique('Owned'));
    await createProduct(graph, seller, brand, tops);
    const data = await ok<Page & { products: { edges: { node: { brand: { owner: { email: string } } } }[] } }>(
      graph,
      'query($filter: ProductFilter) { products(filter: $filter) { edges { node { brand { name owner { id email role } } } } } }',
      { filter: { brandId: brand } },
    );
    expect(data.products.edges[0]?.node.brand).toMatchObject({
      owner: { id: seller.id, email: seller.email, role: 'SELLER' },
    });
    const me = await ok<{ me: { brands: { id: string }[] } }>(graph, '{ me { brands { id } } }', {}, seller);
    expect(me.me.brands.map((b) => b.id)).toContain(brand);
  });

  it('costs a constant number of SQL statements per subgraph, whatever the page size (no N+1)', async () => {
    const sellers = await Promise.all([1, 2, 3, 4].map(() => signUp(graph, 'SELLER')));
    const brands = await Promise.all(sellers.map((owner) => createBrand(graph, owner)));
    const category = await createCategory(graph, admin, unique('Bulk'));
    // 120 products over 4 brands of 4 owners
    await graph.catalog.sql(
      `INSERT INTO products (id, brand_id, category_id, name, price, gender, color, size, stock)
       SELECT gen_random_uuid(), ($1::uuid[])[1 + i % 4], $2::uuid, 'bulk ' || i, 1000 + i, 'ALL', 'RED', 'FREE', 5
       FROM generate_series(1, 120) AS i`,
      brands,
      category,
    );
    const query = `query($first: Int, $filter: ProductFilter) { products(first: $first, filter: $filter) {
      edges { node { name brand { name owner { email name } } category { name parent { name } } } } } }`;
    const cost = async (first: number) => {
      graph.queries.catalog.reset();
      graph.queries.users.reset();
      const data = await ok<{ products: { edges: { node: { brand: { owner: { email: string } } } }[] } }>(
        graph,
        query,
        { first, filter: { categoryId: category } },
      );
      expect(data.products.edges).toHaveLength(first);
      const emails = data.products.edges.map((edge) => edge.node.brand.owner.email);
      expect(emails.every((email) => sellers.some((owner) => owner.email === email))).toBe(true);
      return { catalog: graph.queries.catalog.count, users: graph.queries.users.count };
    };
    const small = await cost(10);
    const large = await cost(100);
    // the large page reaches every brand and owner
    expect(large.users).toBeGreaterThan(0);
    expect(large).toEqual(small);
    expect(small.catalog).toBeLessThanOrEqual(3);
    expect(small.users).toBeLessThanOrEqual(1);
  });
});

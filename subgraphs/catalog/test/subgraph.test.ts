import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { admin, type CatalogStack, customer, seller, startCatalog, unique } from './support.js';

let catalog: CatalogStack;
beforeAll(async () => {
  catalog = await startCatalog();
});
afterAll(() => catalog.stop());

/** Calls the subgraph as `viewer` and returns its data, failing the test on any error. */
async function ok<T>(viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await catalog.client.call<T>(viewer, query, variables);
  if (result.errors?.length || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const codeOf = async (viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}) =>
  (await catalog.client.call(viewer, query, variables)).errors?.[0]?.extensions?.code;

const CREATE_CATEGORY = 'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name } }';
const CREATE_BRAND = 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id name owner { id } } }';
const CREATE_PRODUCT = /* GraphQL */ `
  mutation($input: CreateProductInput!) {
    createProduct(input: $input) {
      id name description price discountAmount salePrice gender color size status stockQuantity
      brand { id owner { id } } category { id parent { id } }
    }
  }
`;

const categoryCount = async () =>
  (await catalog.sql<{ count: number }>('SELECT count(*)::int AS count FROM categories'))[0]?.count;

describe('categories', () => {
  it('lets only admins create, rename and delete categories, and a refusal writes nothing', async () => {
    const root = await ok<{ createCategory: { id: string } }>(admin, CREATE_CATEGORY, {
      input: { name: unique('Clothing') },
    });
    const rootId = root.createCategory.id;
    const before = await categoryCount();
    for (const [viewer, code] of [
      [null, 'UNAUTHENTICATED'],
      [customer(), 'FORBIDDEN'],
      [seller(), 'FORBIDDEN'],
    ] as const) {
      expect(await codeOf(viewer, CREATE_CATEGORY, { input: { name: unique('Tops'), parentId: rootId } })).toBe(code);
      expect(
        await codeOf(viewer, 'mutation($id: ID!) { renameCategory(id: $id, name: "Renamed") { id } }', { id: rootId }),
      ).toBe(code);
      expect(await codeOf(viewer, 'mutation($id: ID!) { deleteCategory(id: $id) }', { id: rootId })).toBe(code);
    }
    expect(await categoryCount()).toBe(before);

    const child = await ok<{ createCategory: { id: string } }>(admin, CREATE_CATEGORY, {
      input: { name: 'Tops', parentId: rootId },
    });
    expect(await codeOf(admin, CREATE_CATEGORY, { input: { name: 'TOPS', parentId: rootId } })).toBe('CONFLICT');
    expect(await codeOf(admin, CREATE_CATEGORY, { input: { name: 'x', parentId: newId() } })).toBe('BAD_USER_INPUT');
    expect(await codeOf(admin, 'mutation($id: ID!) { deleteCategory(id: $id) }', { id: rootId })).toBe('CONFLICT');
    const renamed = await ok<{ renameCategory: { name: string } }>(
      admin,
      'mutation($id: ID!) { renameCategory(id: $id, name: "Shirts") { name } }',
      { id: child.createCategory.id },
    );
    expect(renamed.renameCategory.name).toBe('Shirts');

    const tree = await ok<{
      categories: { id: string; parent: null; children: { name: string; parent: { id: string } }[] }[];
    }>(null, '{ categories { id parent { id } children { name parent { id } } } }');
    expect(tree.categories.find((category) => category.id === rootId)).toEqual({
      id: rootId,
      parent: null,
      children: [{ name: 'Shirts', parent: { id: rootId } }],
    });
    const one = await ok<{ category: { name: string } | null; unknown: null }>(
      null,
      'query($id: ID!) { category(id: $id) { name } unknown: category(id: "nope") { name } }',
      { id: child.createCategory.id },
    );
    expect(one).toEqual({ category: { name: 'Shirts' }, unknown: null });

    expect(await ok(admin, 'mutation($id: ID!) { deleteCategory(id: $id) }', { id: child.createCategory.id })).toEqual({
      deleteCategory: true,
    });
  });
});

describe('brands and products', () => {
  const owner = seller();
  let brandId: string;
  let categoryId: string;
  let visibleId: string;
  let hiddenId: string;

  beforeAll(async () => {
    categoryId = (await catalog.services.categories.create(admin, { name: unique('Shoes') })).id;
    const brand = await ok<{ createBrand: { id: string; owner: { id: string } } }>(owner, CREATE_BRAND, {
      input: { name: unique('Maison') },
    });
    expect(brand.createBrand.owner).toEqual({ id: owner.id });
    brandId = brand.createBrand.id;
    const input = (overrides: Record<string, unknown>) => ({
      brandId,
      categoryId,
      name: unique('Sneaker'),
      price: 59_000,
      discountAmount: 9_000,
      gender: 'MAN',
      color: 'BLUE',
      size: 'LARGE',
      stockQuantity: 3,
      ...overrides,
    });
    const visible = await ok<{ createProduct: Record<string, unknown> & { id: string } }>(owner, CREATE_PRODUCT, {
      input: input({}),
    });
    expect(visible.createProduct).toMatchObject({
      description: '',
      price: 59_000,
      discountAmount: 9_000,
      salePrice: 50_000,
      gender: 'MAN',
      color: 'BLUE',
      size: 'LARGE',
      status: 'ON_SALE',
      stockQuantity: 3,
      brand: { id: brandId, owner: { id: owner.id } },
      category: { id: categoryId, parent: null },
    });
    visibleId = visible.createProduct.id;
    hiddenId = (
      await ok<{ createProduct: { id: string } }>(owner, CREATE_PRODUCT, { input: input({ status: 'HIDDEN' }) })
    ).createProduct.id;
  });

  it('refuses invalid product input with BAD_USER_INPUT naming the field', async () => {
    const result = await catalog.client.call(owner, CREATE_PRODUCT, {
      input: { brandId, categoryId, name: 'x', price: 0, gender: 'ALL', color: 'RED', size: 'FREE', stockQuantity: 1 },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [expect.objectContaining({ field: 'input.price' })],
    });
  });

  it('shows HIDDEN products only to the brand owner and admins', async () => {
    const PRODUCT = 'query($id: ID!) { product(id: $id) { id } }';
    for (const viewer of [null, customer(), seller()]) {
      expect(await ok(viewer, PRODUCT, { id: hiddenId })).toEqual({ product: null });
      expect(await ok(viewer, PRODUCT, { id: visibleId })).toEqual({ product: { id: visibleId } });
    }
    for (const viewer of [owner, admin]) {
      expect(await ok(viewer, PRODUCT, { id: hiddenId })).toEqual({ product: { id: hiddenId } });
    }

    const BRAND_PRODUCTS = 'query($id: ID!) { brand(id: $id) { products { edges { node { id status } } } } }';
    const ofBrand = async (viewer: Viewer | null) =>
      (
        await ok<{ brand: { products: { edges: { node: { id: string } }[] } } }>(viewer, BRAND_PRODUCTS, {
          id: brandId,
        })
      ).brand.products.edges.map((edge) => edge.node.id);
    expect(await ofBrand(customer())).toEqual([visibleId]);
    expect(await ofBrand(owner)).toEqual([hiddenId, visibleId]);
    expect(await ofBrand(admin)).toEqual([hiddenId, visibleId]);

    const LIST = 'query($filter: ProductFilter) { products(filter: $filter) { edges { node { id } } } }';
    const listed = async (viewer: Viewer | null, status?: string[]) =>
      (
        await ok<{ products: { edges: { node: { id: string } }[] } }>(viewer, LIST, {
          filter: { brandId, ...(status ? { status } : {}) },
        })
      ).products.edges.map((edge) => edge.node.id);
    expect(await listed(owner)).toEqual([visibleId]);
    expect(await listed(customer(), ['HIDDEN'])).toEqual([]);
    expect(await listed(owner, ['HIDDEN'])).toEqual([hiddenId]);
  });

  it('lists brands newest first, a page at a time, and refuses a bad cursor', async () => {
    const newer = await ok<{ createBrand: { id: string } }>(owner, CREATE_BRAND, { input: { name: unique('Newer') } });
    const BRANDS =
      'query($first: Int, $after: String) { brands(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';
    type Page = {
      brands: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const first = await ok<Page>(null, BRANDS, { first: 1 });
    expect(first.brands.edges.map((edge) => edge.node.id)).toEqual([newer.createBrand.id]);
    expect(first.brands.pageInfo.hasNextPage).toBe(true);
    const second = await ok<Page>(null, BRANDS, { first: 1, after: first.brands.pageInfo.endCursor });
    expect(second.brands.edges.map((edge) => edge.node.id)).toEqual([brandId]);
    for (const variables of [
      { after: 'garbage!' },
      { after: Buffer.from('not-an-id').toString('base64url') },
      { first: 0 },
    ]) {
      expect(await codeOf(null, BRANDS, variables)).toBe('BAD_USER_INPUT');
    }
  });

  it('resolves User, Brand and Product references for the gateway', async () => {
    const stranger = newId();
    const result = await ok<{ _entities: unknown[] }>(
      null,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on User { id brands { id } }
        ... on Brand { name owner { id } }
        ... on Product { stockQuantity salePrice brand { id } }
      } }`,
      {
        representations: [
          { __typename: 'User', id: owner.id },
          { __typename: 'User', id: stranger },
          { __typename: 'Brand', id: brandId },
          { __typename: 'Brand', id: newId() },
          { __typename: 'Product', id: visibleId },
        ],
      },
    );
    const [user, ...others] = result._entities as [{ id: string; brands: { id: string }[] }, ...unknown[]];
    // oldest first: the owner's first brand leads
    expect(user).toEqual({ id: owner.id, brands: expect.arrayContaining([{ id: brandId }]) });
    expect(user.brands[0]).toEqual({ id: brandId });
    expect(others).toEqual([
      { id: stranger, brands: [] },
      { name: expect.any(String), owner: { id: owner.id } },
      null,
      { stockQuantity: 3, salePrice: 50_000, brand: { id: brandId } },
    ]);
  });

  it('leaves brand management to its owner and admins', async () => {
    const UPDATE = 'mutation($id: ID!, $name: String) { updateBrand(id: $id, input: { name: $name }) { name } }';
    expect(await codeOf(null, UPDATE, { id: brandId, name: 'x' })).toBe('UNAUTHENTICATED');
    expect(await codeOf(seller(), UPDATE, { id: brandId, name: 'x' })).toBe('FORBIDDEN');
    expect(await codeOf(owner, 'mutation($id: ID!) { deleteBrand(id: $id) }', { id: brandId })).toBe('CONFLICT');
    const STOCK =
      'mutation($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { stockQuantity status } }';
    expect(await codeOf(customer(), STOCK, { id: visibleId, delta: 1 })).toBe('FORBIDDEN');
    expect(await codeOf(owner, STOCK, { id: visibleId, delta: -4 })).toBe('BAD_USER_INPUT');
    expect(await ok(admin, STOCK, { id: visibleId, delta: -3 })).toEqual({
      adjustStock: { stockQuantity: 0, status: 'SOLD_OUT' },
    });
  });
});

import { graphql } from '@radiata/testing';
import type { SignedIn } from './accounts.js';
import type { TestGraph } from './graph.js';

export const PRODUCT_FIELDS = /* GraphQL */ `
  id name price discountAmount salePrice gender color size status stockQuantity
  brand { id name } category { id name }
`;

export interface ProductView {
  id: string;
  name: string;
  price: number;
  discountAmount: number;
  salePrice: number;
  gender: string;
  color: string;
  size: string;
  status: string;
  stockQuantity: number;
  brand: { id: string; name: string };
  category: { id: string; name: string };
}

let counter = 0;
export const unique = (prefix: string) => `${prefix} ${process.pid}-${Date.now()}-${counter++}`;

/**
 * Runs an operation and returns its data, failing the test with the errors if there are any. A
 * SERVICE_UNAVAILABLE answer (nothing was done: a database pool briefly exhausted on a busy
 * machine) is retried after its retryAfterSeconds, as a client does, a few times.
 */
export async function ok<T>(
  graph: TestGraph,
  query: string,
  variables: Record<string, unknown>,
  as?: SignedIn,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await graphql<T>(graph.gateway.url, query, {
      variables,
      ...(as ? { token: as.accessToken } : {}),
    });
    const [error] = response.errors ?? [];
    if (error?.extensions?.code === 'SERVICE_UNAVAILABLE' && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, Number(error.extensions?.retryAfterSeconds ?? 1) * 1000));
      continue;
    }
    if (response.errors?.length || !response.data)
      throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  }
}

export async function createCategory(graph: TestGraph, admin: SignedIn, name: string, parentId?: string) {
  const data = await ok<{ createCategory: { id: string } }>(
    graph,
    'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
    { input: { name, parentId } },
    admin,
  );
  return data.createCategory.id;
}

export async function createBrand(graph: TestGraph, seller: SignedIn, name = unique('Brand')) {
  const data = await ok<{ createBrand: { id: string } }>(
    graph,
    'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
    { input: { name } },
    seller,
  );
  return data.createBrand.id;
}

export const productInput = (brandId: string, categoryId: string, overrides: Record<string, unknown> = {}) => ({
  brandId,
  categoryId,
  name: unique('Product'),
  description: 'A test product',
  price: 30_000,
  discountAmount: 0,
  gender: 'ALL',
  color: 'NAVY',
  size: 'MEDIUM',
  stockQuantity: 10,
  ...overrides,
});

export async function createProduct(
  graph: TestGraph,
  as: SignedIn,
  brandId: string,
  categoryId: string,
  overrides: Record<string, unknown> = {},
): Promise<ProductView> {
  const data = await ok<{ createProduct: ProductView }>(
    graph,
    `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`,
    { input: productInput(brandId, categoryId, overrides) },
    as,
  );
  return data.createProduct;
}

/** Changes a product's regular price through the gateway (`updateProduct`), as `as`. */
export const setProductPrice = (graph: TestGraph, as: SignedIn, productId: string, price: number) =>
  ok(
    graph,
    'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }',
    { id: productId, input: { price } },
    as,
  );

/** Every row of the catalog's tables and outbox, to prove a refused request changed nothing. */
export async function catalogSnapshot(graph: TestGraph): Promise<string> {
  const tables = ['brands', 'categories', 'products', 'stock_reservations', 'outbox_messages'];
  const parts = await Promise.all(
    tables.map(async (table) => {
      const rows = await graph.catalog.sql(
        `SELECT to_jsonb(t) - 'published_at' - 'attempts' - 'available_at' - 'last_error' AS row FROM ${table} t ORDER BY 1`,
      );
      return `${table}:${JSON.stringify(rows)}`;
    }),
  );
  return parts.join('\n');
}

import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, ok, unique } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let admin: SignedIn;
let seller: SignedIn;
beforeAll(async () => {
  graph = await startTestGraph();
  [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
});
afterAll(() => graph.stop());

const HOUR = 3_600_000;

it("schedules a sale of a seller's product through the gateway and shows it on the product", async () => {
  const category = await createCategory(graph, admin, unique('Sneakers'));
  const brand = await createBrand(graph, seller);
  const product = await createProduct(graph, seller, brand, category, { name: 'Midnight runner', price: 120_000 });

  // The catalog's product.created event reaches timesales through RabbitMQ (outbox → queue).
  const create = () =>
    graphql<{ createTimeSale: { id: string; status: string } }>(
      graph.gateway.url,
      `mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id status } }`,
      {
        token: seller.accessToken,
        variables: {
          input: {
            title: 'Midnight sale',
            startAt: new Date(Date.now() + HOUR).toISOString(),
            endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
            products: [{ productId: product.id, discountRate: 30, totalQuantity: 100, perUserLimit: 2 }],
          },
        },
      },
    );
  // The product reaches timesales through the catalog's events: until then the sale is refused.
  let created = await create();
  await eventually(async () => {
    if (created.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') return true;
    created = await create();
    return false;
  });
  expect(created.errors).toBeUndefined();
  expect(created.data?.createTimeSale.status).toBe('SCHEDULED');

  const view = await ok<{
    product: { name: string; timeSales: { id: string; status: string }[]; activeTimeSale: unknown };
    timeSale: {
      products: { discountRate: number; remainingQuantity: number; product: { name: string; price: number } }[];
    };
  }>(
    graph,
    `query($product: ID!, $sale: ID!) {
      product(id: $product) { name timeSales { id status } activeTimeSale { discountRate } }
      timeSale(id: $sale) { products { discountRate remainingQuantity product { name price } } }
    }`,
    { product: product.id, sale: created.data?.createTimeSale.id },
  );
  expect(view.product).toEqual({
    name: 'Midnight runner',
    timeSales: [{ id: created.data?.createTimeSale.id, status: 'SCHEDULED' }],
    activeTimeSale: null,
  });
  expect(view.timeSale.products).toEqual([
    { discountRate: 30, remainingQuantity: 100, product: { name: 'Midnight runner', price: 120_000 } },
  ]);

  // Another seller may not put this product on sale.
  const other = await signUp(graph, 'SELLER');
  const refused = await graphql(
    graph.gateway.url,
    `mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }`,
    {
      token: other.accessToken,
      variables: {
        input: {
          title: 'Hijack',
          startAt: new Date(Date.now() + 3 * HOUR).toISOString(),
          endAt: new Date(Date.now() + 4 * HOUR).toISOString(),
          products: [{ productId: product.id, discountRate: 50, totalQuantity: 10 }],
        },
      },
    },
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

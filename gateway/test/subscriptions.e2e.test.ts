import { graphql } from '@radiata/testing';
import type { Client } from 'graphql-ws';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, ok } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { Feed, gatewayClient } from './support/subscriptions.js';

let graph: TestGraph;
let admin: SignedIn;
let seller: SignedIn;
let category: string;
let brand: string;
const clients: Client[] = [];
beforeAll(async () => {
  graph = await startTestGraph();
  [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
  category = await createCategory(graph, admin, `Subscriptions ${Date.now()}`);
  brand = await createBrand(graph, seller);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(() => graph.stop());

const client = (token?: string) => {
  const made = gatewayClient(graph.gateway.url, token);
  clients.push(made);
  return made;
};

const PRICES = /* GraphQL */ `
  subscription Prices($ids: [ID!]!) {
    lowestPriceChanged(productIds: $ids) {
      productId
      lowestPrice { amount source }
      product { name stockQuantity brand { name } }
    }
  }
`;

interface PriceEvent {
  lowestPriceChanged: {
    productId: string;
    lowestPrice: { amount: number; source: string } | null;
    product: { name: string; stockQuantity: number; brand: { name: string } } | null;
  };
}

const setPrice = (productId: string, price: number) =>
  ok(
    graph,
    'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }',
    { id: productId, input: { price } },
    seller,
  );

it('pushes a price change with fields of the catalog, anonymous shoppers included', async () => {
  const product = await createProduct(graph, seller, brand, category, { name: 'Live price', price: 50_000 });
  const feed = new Feed<PriceEvent>(client(), PRICES, { ids: [product.id] });
  // Timesales learns the product from the catalog's events; its first event is the current price.
  await feed.waitFor((event) => event.lowestPriceChanged.lowestPrice?.amount === 50_000, 'the current price');
  await setPrice(product.id, 42_000);
  const changed = await feed.waitFor((event) => event.lowestPriceChanged.lowestPrice?.amount === 42_000);
  expect(changed.lowestPriceChanged).toEqual({
    productId: product.id,
    lowestPrice: { amount: 42_000, source: 'REGULAR' },
    product: { name: 'Live price', stockQuantity: 10, brand: { name: expect.any(String) } },
  });
  expect(feed.errors).toBeUndefined();
});

it('refuses a query or a mutation over WebSocket, and documents over the limits', async () => {
  const ws = client();
  const query = new Feed(ws, '{ products(first: 1) { edges { node { id } } } }');
  await query.end();
  expect(query.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  const deep = new Feed(
    ws,
    `subscription { lowestPriceChanged(productIds: ["x"]) { product { brand { products(first: 1) { edges { node { brand { products(first: 1) { edges { node { brand { name } } } } } } } } } } } }`,
  );
  await deep.end();
  expect(deep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const response = await graphql(graph.gateway.url, '{ __typename }');
  expect(response.data).toEqual({ __typename: 'Query' });
});

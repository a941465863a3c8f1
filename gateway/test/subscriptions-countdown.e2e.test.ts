import { newId } from '@radiata/service-runtime';
import { graphql } from '@radiata/testing';
import type { Client } from 'graphql-ws';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, ok, type ProductView, unique } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { Feed, gatewayClient } from './support/subscriptions.js';

let graph: TestGraph;
let seller: SignedIn;
let category: string;
let brand: string;
const brandName = unique('Countdown brand');
const clients: Client[] = [];
beforeAll(async () => {
  graph = await startTestGraph();
  let admin: SignedIn;
  [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
  category = await createCategory(graph, admin, unique('Countdowns'));
  brand = await createBrand(graph, seller, brandName);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(() => graph.stop());

const HOUR = 3_600_000;

const client = (token?: string) => {
  const made = gatewayClient(graph.gateway.url, token);
  clients.push(made);
  return made;
};

const COUNTDOWN = /* GraphQL */ `
  subscription Countdown($id: ID!) {
    timeSaleCountdown(timeSaleId: $id) {
      timeSaleId status secondsUntilStart secondsUntilEnd remainingQuantity at
      timeSale { title products { discountRate product { name brand { name } } } }
    }
  }
`;

interface CountdownEvent {
  timeSaleCountdown: {
    timeSaleId: string;
    status: string;
    secondsUntilStart: number;
    secondsUntilEnd: number;
    remainingQuantity: number;
    at: string;
    timeSale: {
      title: string;
      products: { discountRate: number; product: { name: string; brand: { name: string } } | null }[];
    } | null;
  };
}

const PRICES = /* GraphQL */ `
  subscription Prices($ids: [ID!]!) { lowestPriceChanged(productIds: $ids) { lowestPrice { amount } } }
`;

/** A new product of the seller's brand, once timesales has heard of it (only then can a sale offer it). */
async function productKnownToTimesales(name: string): Promise<ProductView> {
  const product = await createProduct(graph, seller, brand, category, { name, price: 40_000 });
  // Timesales learns products from the catalog's events; its lowest price is null until then.
  const prices = new Feed<{ lowestPriceChanged: { lowestPrice: { amount: number } | null } }>(client(), PRICES, {
    ids: [product.id],
  });
  await prices.waitFor((event) => event.lowestPriceChanged.lowestPrice !== null, 'timesales to know the product');
  prices.unsubscribe();
  return product;
}

interface CreatedSale {
  id: string;
  startAt: string;
  products: { id: string }[];
}

/** A sale of `product` by the seller, an hour ahead (SCHEDULED for as long as any test waits). */
async function scheduleSale(product: ProductView, title: string, totalQuantity = 5): Promise<CreatedSale> {
  const data = await ok<{ createTimeSale: CreatedSale }>(
    graph,
    'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id startAt products { id } } }',
    {
      input: {
        title,
        startAt: new Date(Date.now() + HOUR).toISOString(),
        endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
        products: [{ productId: product.id, discountRate: 30, totalQuantity }],
      },
    },
    seller,
  );
  return data.createTimeSale;
}

/**
 * Moves a scheduled sale to start `leadMs` from now and last `durationMs` (the seller's
 * updateTimeSale): it then starts and ends on its own. A start already past when the mutation
 * arrives (a slow machine) is refused with BAD_USER_INPUT: then it tries again with twice the lead.
 */
async function startSoon(id: string, durationMs: number, leadMs = 2_000): Promise<void> {
  for (let lead = leadMs; ; lead *= 2) {
    const startAt = new Date(Date.now() + lead);
    const moved = await graphql(
      graph.gateway.url,
      'mutation($id: ID!, $input: UpdateTimeSaleInput!) { updateTimeSale(id: $id, input: $input) { id } }',
      {
        token: seller.accessToken,
        variables: {
          id,
          input: { startAt: startAt.toISOString(), endAt: new Date(startAt.getTime() + durationMs).toISOString() },
        },
      },
    );
    if (!moved.errors) return;
    if (moved.errors[0]?.extensions?.code !== 'BAD_USER_INPUT' || lead > 60_000) {
      throw new Error(`updateTimeSale failed: ${JSON.stringify(moved.errors)}`);
    }
  }
}

const statusesOf = (feed: Feed<CountdownEvent>) => {
  const statuses = feed.events.map((event) => event.timeSaleCountdown.status);
  return statuses.filter((status, index) => status !== statuses[index - 1]);
};

it("counts a scheduled sale down with the catalog's product, for anonymous shoppers, customers and sellers", async () => {
  const product = await productKnownToTimesales('Countdown runner');
  const sale = await scheduleSale(product, 'Countdown sale');
  const customer = await signUp(graph);
  const feeds = [client(), client(customer.accessToken), client(seller.accessToken)].map(
    (ws) => new Feed<CountdownEvent>(ws, COUNTDOWN, { id: sale.id }),
  );
  for (const feed of feeds) {
    const first = await feed.waitFor(() => true, 'the first event');
    const start = first.timeSaleCountdown.secondsUntilStart;
    expect(first.timeSaleCountdown).toEqual({
      timeSaleId: sale.id,
      status: 'SCHEDULED',
      secondsUntilStart: Math.ceil((Date.parse(sale.startAt) - Date.parse(first.timeSaleCountdown.at)) / 1000),
      secondsUntilEnd: expect.any(Number),
      remainingQuantity: 5,
      at: expect.any(String),
      timeSale: {
        title: 'Countdown sale',
        products: [{ discountRate: 30, product: { name: 'Countdown runner', brand: { name: brandName } } }],
      },
    });
    // Ticks follow, once a second, counting down.
    const later = await feed.waitFor(
      (event) => event.timeSaleCountdown.secondsUntilStart < start,
      'a tick closer to the start',
    );
    expect(later.timeSaleCountdown).toMatchObject({ status: 'SCHEDULED', timeSale: first.timeSaleCountdown.timeSale });
    expect(feed.errors).toBeUndefined();
    expect(feed.results.every((result) => result.errors === undefined)).toBe(true);
  }
});

it('pushes the start and the end of a sale, then completes', async () => {
  const product = await productKnownToTimesales('Short sale runner');
  const sale = await scheduleSale(product, 'Short sale');
  const feed = new Feed<CountdownEvent>(client(), COUNTDOWN, { id: sale.id });
  await feed.waitFor((event) => event.timeSaleCountdown.status === 'SCHEDULED', 'the scheduled sale');
  // Subscribed first, then moved: the stream cannot miss the start however long the set-up took.
  await startSoon(sale.id, 3_000);
  const live = await feed.waitFor((event) => event.timeSaleCountdown.status === 'LIVE', 'the start');
  expect(live.timeSaleCountdown).toMatchObject({ secondsUntilStart: 0, remainingQuantity: 5 });
  await feed.end();
  expect(feed.errors).toBeUndefined();
  expect(feed.closeCode).toBeUndefined();
  expect(statusesOf(feed)).toEqual(['SCHEDULED', 'LIVE', 'ENDED']);
  expect(feed.events.at(-1)?.timeSaleCountdown).toEqual({
    timeSaleId: sale.id,
    status: 'ENDED',
    secondsUntilStart: 0,
    secondsUntilEnd: 0,
    remainingQuantity: 5,
    at: expect.any(String),
    timeSale: {
      title: 'Short sale',
      products: [{ discountRate: 30, product: { name: 'Short sale runner', brand: { name: brandName } } }],
    },
  });
});

it('pushes SOLD_OUT as the last unit is reserved', async () => {
  const product = await productKnownToTimesales('Sell-out runner');
  const sale = await scheduleSale(product, 'Sell-out sale', 2);
  const feed = new Feed<CountdownEvent>(client(), COUNTDOWN, { id: sale.id });
  await feed.waitFor((event) => event.timeSaleCountdown.status === 'SCHEDULED', 'the scheduled sale');
  await startSoon(sale.id, HOUR);
  await feed.waitFor((event) => event.timeSaleCountdown.status === 'LIVE', 'the start');
  // Orders reserve sale stock through the order saga, not the API: the test reserves as it does.
  const reserved = await graph.timesales.subgraph.services.saleStock.reserve({
    orderId: newId(),
    userId: newId(),
    timeSaleProductId: sale.products[0]?.id as string,
    quantity: 2,
  });
  expect(reserved.outcome).toBe('RESERVED');
  const soldOut = await feed.waitFor((event) => event.timeSaleCountdown.status === 'SOLD_OUT', 'the sell-out');
  expect(soldOut.timeSaleCountdown).toMatchObject({ remainingQuantity: 0, timeSale: { title: 'Sell-out sale' } });
  expect(statusesOf(feed)).toEqual(['SCHEDULED', 'LIVE', 'SOLD_OUT']);
  expect(feed.ended).toBe(false);
});

it('completes the stream when the sale is deleted', async () => {
  const product = await productKnownToTimesales('Deleted sale runner');
  const sale = await scheduleSale(product, 'Deleted sale');
  const feed = new Feed<CountdownEvent>(client(), COUNTDOWN, { id: sale.id });
  await feed.waitFor((event) => event.timeSaleCountdown.status === 'SCHEDULED', 'the scheduled sale');
  await ok(graph, 'mutation($id: ID!) { deleteTimeSale(id: $id) }', { id: sale.id }, seller);
  await feed.end();
  expect(feed.errors).toBeUndefined();
  expect(feed.closeCode).toBeUndefined();
  expect(statusesOf(feed)).toEqual(['SCHEDULED']);
});

it('answers NOT_FOUND for a sale that does not exist', async () => {
  const feed = new Feed<CountdownEvent>(client(), COUNTDOWN, { id: newId() });
  await feed.end();
  // One result with the subgraph's error, then the stream completes.
  expect(feed.results).toEqual([
    {
      data: null,
      errors: [expect.objectContaining({ path: ['timeSaleCountdown'], extensions: { code: 'NOT_FOUND' } })],
    },
  ]);
  expect(feed.errors).toBeUndefined();
});

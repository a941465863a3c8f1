import { issueAccessToken } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { graphql } from '@radiata/testing';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '../src/server.js';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, setProductPrice } from './support/catalog.js';
import { createOpenCoupon } from './support/coupons.js';
import { startAnotherGateway, startTestGraph, type TestGraph } from './support/graph.js';
import { Feed, gatewayClient, wsUrl } from './support/subscriptions.js';

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

const setPrice = (productId: string, price: number) => setProductPrice(graph, seller, productId, price);

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

const CLAIM = 'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome claimId } }';
const CLAIM_RESULT = /* GraphQL */ `
  subscription Result($claimId: ID!) {
    couponClaimResult(claimId: $claimId) { claimId status issue { status coupon { id title } } }
  }
`;
interface ClaimResult {
  couponClaimResult: {
    claimId: string;
    status: string;
    issue: { status: string; coupon: { id: string; title: string } };
  };
}

describe('claim results', () => {
  let couponId: string;
  beforeAll(async () => {
    couponId = await createOpenCoupon(graph, admin, { title: 'Live claim coupon' });
  });

  const claim = async (shopper: SignedIn) => {
    const response = await graphql<{ claimCoupon: { outcome: string; claimId: string } }>(graph.gateway.url, CLAIM, {
      token: shopper.accessToken,
      variables: { id: couponId },
    });
    expect(response.data?.claimCoupon.outcome).toBe('ACCEPTED');
    return response.data?.claimCoupon.claimId as string;
  };

  it('tells the claimer the result with the coupon, then completes', async () => {
    const shopper = await signUp(graph);
    const claimId = await claim(shopper);
    const feed = new Feed<ClaimResult>(client(shopper.accessToken), CLAIM_RESULT, { claimId });
    await feed.end();
    expect(feed.errors).toBeUndefined();
    expect(feed.events).toEqual([
      {
        couponClaimResult: {
          claimId,
          status: 'ISSUED',
          issue: { status: 'ISSUED', coupon: { id: couponId, title: 'Live claim coupon' } },
        },
      },
    ]);
  });

  it("refuses someone else's claim with FORBIDDEN and an anonymous one with UNAUTHENTICATED", async () => {
    const [claimer, stranger] = await Promise.all([signUp(graph), signUp(graph)]);
    const claimId = await claim(claimer);
    const theirs = new Feed<ClaimResult>(client(stranger.accessToken), CLAIM_RESULT, { claimId });
    const anonymous = new Feed<ClaimResult>(client(), CLAIM_RESULT, { claimId });
    await Promise.all([theirs.end(), anonymous.end()]);
    expect(theirs.events).toEqual([]);
    expect(theirs.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    // The coupons subgraph refuses an anonymous follower in its subscribe resolver: one result with the error, then complete.
    expect(anonymous.results).toEqual([
      { data: null, errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] },
    ]);
    // The claimer still gets it: the stranger's refusal did not end a subscription they share nothing with.
    const mine = new Feed<ClaimResult>(client(claimer.accessToken), CLAIM_RESULT, { claimId });
    await mine.end();
    expect(mine.events.map((event) => event.couponClaimResult.status)).toEqual(['ISSUED']);
  });
});

describe('access tokens', () => {
  it('closes a connection whose token is invalid with 4403', async () => {
    const feed = new Feed(client('not-a-token'), PRICES, { ids: ['0192f3a0-0000-7000-8000-000000000001'] });
    await feed.end();
    expect(feed.closeCode).toBe(4403);
  });

  it('ends what runs as the viewer when the token expires, and keeps public feeds going', async () => {
    const shopper = await signUp(graph);
    const product = await createProduct(graph, seller, brand, category, { price: 61_000 });
    const { token } = await issueAccessToken(
      { id: shopper.id, role: 'CUSTOMER' },
      { secret: graph.secrets.JWT_SECRET, ttlSeconds: 3, sessionId: newId() },
    );
    const ws = client(token);
    // A claim id nobody has: the subscription waits (runs as the shopper) until the token expires.
    const personal = new Feed<ClaimResult>(ws, CLAIM_RESULT, { claimId: newId() });
    const prices = new Feed<PriceEvent>(ws, PRICES, { ids: [product.id] });
    await personal.end();
    expect(personal.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    // A customer's public feed runs as an anonymous shopper: it outlives the token.
    await prices.waitFor((event) => event.lowestPriceChanged.lowestPrice?.amount === 61_000);
    await setPrice(product.id, 57_000);
    await prices.waitFor((event) => event.lowestPriceChanged.lowestPrice?.amount === 57_000);
    expect(prices.ended).toBe(false);
    // A new personal subscription on the same connection is refused until the client reconnects.
    const again = new Feed<ClaimResult>(ws, CLAIM_RESULT, { claimId: newId() });
    await again.end();
    expect(again.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
  });

  it('refuses a personal subscription once the session was logged out, and the connection after it', async () => {
    const shopper = await signUp(graph);
    const product = await createProduct(graph, seller, brand, category);
    const ws = client(shopper.accessToken);
    // A public feed keeps the connection open across the log-out.
    const prices = new Feed<PriceEvent>(ws, PRICES, { ids: [product.id] });
    await prices.count(1);
    const out = await graphql(graph.gateway.url, 'mutation($token: String!) { logOut(refreshToken: $token) }', {
      variables: { token: shopper.refreshToken },
    });
    expect(out.data).toEqual({ logOut: true });
    const after = new Feed<ClaimResult>(ws, CLAIM_RESULT, { claimId: newId() });
    await after.end();
    expect(after.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    // A new connection with the ended session's token is refused outright.
    const reconnected = new Feed(client(shopper.accessToken), PRICES, { ids: [product.id] });
    await reconnected.end();
    expect(reconnected.closeCode).toBe(4403);
  });
});

describe('limits', () => {
  let limited: RunningGateway;
  beforeAll(async () => {
    limited = await startAnotherGateway(graph, {
      SUBSCRIPTIONS_PER_CONNECTION: '2',
      SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: '3',
      SUBSCRIPTION_INIT_TIMEOUT_MS: '300',
      REQUEST_RATE_LIMIT: '5',
    });
  });
  afterAll(() => limited.stop());

  const limitedClient = (token?: string) => {
    const made = gatewayClient(limited.url, token);
    clients.push(made);
    return made;
  };

  it('caps the subscriptions of one connection', async () => {
    const shopper = await signUp(graph);
    const ws = limitedClient(shopper.accessToken);
    const ids = (n: number) => ({ ids: [`0192f3a0-0000-7000-8000-00000000000${n}`] });
    const [first, second] = [new Feed(ws, PRICES, ids(1)), new Feed(ws, PRICES, ids(2))];
    const third = new Feed(ws, PRICES, ids(3));
    await third.end();
    expect(third.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    expect(first.ended || second.ended).toBe(false);
  });

  it('counts subscriptions against the client request budget', async () => {
    const shopper = await signUp(graph);
    const ws = limitedClient(shopper.accessToken);
    // Five subscriptions (the budget), one after another: each answers at once (an unknown product).
    for (let n = 0; n < 5; n += 1) {
      const feed = new Feed(ws, PRICES, { ids: [newId()] });
      await feed.count(1);
      feed.unsubscribe();
    }
    const refused = new Feed(ws, PRICES, { ids: [newId()] });
    await refused.end();
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('answers HTTP 429 past the connections of one address, and closes a silent connection (4408)', async () => {
    const sockets = await Promise.all([0, 1, 2].map(() => openSocket(limited.url)));
    const refused = await openSocket(limited.url).then(
      () => 0,
      (status: number) => status,
    );
    expect(refused).toBe(429);
    // The three were opened without connection_init: each is closed when its wait runs out.
    const codes = await Promise.all(
      sockets.map((socket) => new Promise<number>((resolve) => socket.once('close', resolve))),
    );
    expect(codes).toEqual([4408, 4408, 4408]);
    // Closed connections no longer count.
    const again = await openSocket(limited.url);
    again.close();
  });

  it('refuses malformed input with BAD_USER_INPUT before subscribing', async () => {
    const feed = new Feed(client(), PRICES, { ids: ['bad\u0000id'] });
    await feed.end();
    expect(feed.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
  });
});

/** A raw WebSocket on the gateway (no connection_init); rejects with the HTTP status of a refused upgrade. */
function openSocket(httpUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws');
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(response.statusCode));
    socket.once('error', () => reject(0));
  });
}

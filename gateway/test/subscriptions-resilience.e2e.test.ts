import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testLogger } from '@radiata/testing';
import { timesalesSubgraph } from '@radiata/timesales/subgraph';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '../src/server.js';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, setProductPrice, unique } from './support/catalog.js';
import { startAnotherGateway, startTestGraph, type TestGraph } from './support/graph.js';
import { Feed, gatewayClient, metricValue, until, wsUrl } from './support/subscriptions.js';

type RunningTimesales = Awaited<ReturnType<typeof timesalesSubgraph.start>>;

let graph: TestGraph;
let admin: SignedIn;
let seller: SignedIn;
let category: string;
let brand: string;
/** The timesales process the gateways subscribe to now (the restart test replaces it). */
let timesales: RunningTimesales;
const restartedTimesales: RunningTimesales[] = [];
const clients: Client[] = [];
/** Gateway replicas a test started beside graph.gateway. */
const replicas: RunningGateway[] = [];

/** Subscriptions the timesales process serves (to every gateway): one per shared subscription. */
const upstreamOnTimesales = () =>
  metricValue(timesales.metricsUrl, 'graphql_subscriptions_active', { operation: 'lowestPriceChanged' });
const upstreamOnGateway = (gateway: RunningGateway) =>
  metricValue(gateway.metricsUrl, 'gateway_upstream_subscriptions_active', { subgraph: 'timesales' });
const clientSubscriptionsOn = (gateway: RunningGateway) =>
  metricValue(gateway.metricsUrl, 'gateway_subscriptions_active', { operation: 'lowestPriceChanged' });

beforeAll(async () => {
  // 100 shoppers' connections come from 127.0.0.1, the default cap of one address.
  graph = await startTestGraph({ SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: '1000' });
  timesales = graph.timesales.subgraph;
  [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
  category = await createCategory(graph, admin, unique('Live resilience'));
  brand = await createBrand(graph, seller);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
  // Each test counts upstream subscriptions from none.
  await until(async () => (await upstreamOnTimesales()) === 0);
});
afterAll(async () => {
  // Before graph.stop() drops the database they run on.
  for (const replica of restartedTimesales) await replica.stop();
  await graph.stop();
});

const client = (gatewayUrl: string, token?: string) => {
  const made = gatewayClient(gatewayUrl, token);
  clients.push(made);
  return made;
};

const PRICES = /* GraphQL */ `
  subscription Prices($ids: [ID!]!) {
    lowestPriceChanged(productIds: $ids) { productId lowestPrice { amount } product { name } }
  }
`;

interface PriceEvent {
  lowestPriceChanged: {
    productId: string;
    lowestPrice: { amount: number } | null;
    product: { name: string } | null;
  };
}

const amountOf = (event: PriceEvent) => event.lowestPriceChanged.lowestPrice?.amount;
const priced = (amount: number) => (event: PriceEvent) => amountOf(event) === amount;
/** The prices a feed received from `first` on (before it, timesales may not have heard of the product yet). */
const amountsSince = (feed: Feed<PriceEvent>, first: number) => {
  const amounts = feed.events.map(amountOf);
  return amounts.slice(amounts.indexOf(first));
};

const setPrice = (productId: string, price: number) => setProductPrice(graph, seller, productId, price);

it('shares one upstream subscription among 100 shoppers and completes each event once for all of them', async () => {
  const product = await createProduct(graph, seller, brand, category, { name: 'Shared price', price: 70_000 });
  const customers = await Promise.all(Array.from({ length: 10 }, () => signUp(graph)));
  // Anonymous and signed-in shoppers alternate: a public feed runs as an anonymous shopper for both.
  const feeds = Array.from(
    { length: 100 },
    (_, n) =>
      new Feed<PriceEvent>(
        client(graph.gateway.url, n % 2 === 0 ? undefined : customers[(n >> 1) % customers.length]?.accessToken),
        PRICES,
        { ids: [product.id] },
      ),
  );
  await Promise.all(feeds.map((feed) => feed.waitFor(priced(70_000), 'the current price')));
  expect(await upstreamOnTimesales()).toBe(1);
  expect(await upstreamOnGateway(graph.gateway)).toBe(1);
  expect(await clientSubscriptionsOn(graph.gateway)).toBe(100);

  const entityFetches = () =>
    metricValue(graph.catalog.subgraph.metricsUrl, 'graphql_operation_duration_seconds_count', {
      operation: 'query._entities',
    });
  const eventsSent = () =>
    metricValue(graph.gateway.metricsUrl, 'gateway_subscription_events_sent_total', {
      operation: 'lowestPriceChanged',
    });
  const [fetchesBefore, sentBefore] = await Promise.all([entityFetches(), eventsSent()]);
  const resultsBefore = feeds.map((feed) => feed.results.length);
  await setPrice(product.id, 65_000);
  await Promise.all(feeds.map((feed) => feed.waitFor(priced(65_000), 'the new price')));
  // One event from timesales, completed with the catalog's fields by one entity fetch, sent to 100.
  expect(await entityFetches()).toBe(fetchesBefore + 1);
  expect(await eventsSent()).toBe(sentBefore + 100);
  expect(feeds.map((feed, n) => feed.results.length - (resultsBefore[n] ?? 0))).toEqual(Array(100).fill(1));
  for (const feed of feeds) {
    expect(feed.results.at(-1)).toEqual({
      data: {
        lowestPriceChanged: {
          productId: product.id,
          lowestPrice: { amount: 65_000 },
          product: { name: 'Shared price' },
        },
      },
    });
  }

  // A seller runs as themself (they may see unlisted products): an upstream subscription of their own.
  const sellerFeed = new Feed<PriceEvent>(client(graph.gateway.url, seller.accessToken), PRICES, { ids: [product.id] });
  await sellerFeed.waitFor(priced(65_000), 'the current price');
  expect(await upstreamOnTimesales()).toBe(2);
  expect(await upstreamOnGateway(graph.gateway)).toBe(2);

  await Promise.all(clients.splice(0).map((made) => made.dispose()));
  await until(async () => (await upstreamOnTimesales()) === 0);
  await until(async () => (await clientSubscriptionsOn(graph.gateway)) === 0);
  expect(await upstreamOnGateway(graph.gateway)).toBe(0);
  expect([...feeds, sellerFeed].filter((feed) => feed.errors !== undefined)).toEqual([]);
}, 120_000);

it('closes its clients with 1001 when a replica stops, while other replicas, each with its own upstream, keep serving', async () => {
  const product = await createProduct(graph, seller, brand, category, { name: 'Two replicas', price: 80_000 });
  const shopper = await signUp(graph);
  const [first, second] = await Promise.all([
    startAnotherGateway(graph, {}, 'gateway-first'),
    startAnotherGateway(graph, {}, 'gateway-second'),
  ]);
  replicas.push(first, second);
  const ids = { ids: [product.id] };
  const onFirst = [
    new Feed<PriceEvent>(client(first.url), PRICES, ids),
    new Feed<PriceEvent>(client(first.url, shopper.accessToken), PRICES, ids),
    new Feed<PriceEvent>(client(first.url, seller.accessToken), PRICES, ids),
  ];
  const onSecond = new Feed<PriceEvent>(client(second.url), PRICES, ids);
  await Promise.all([...onFirst, onSecond].map((feed) => feed.waitFor(priced(80_000), 'the current price')));
  // Replicas do not coordinate: each holds its own (the seller's is apart on the first one).
  expect(await upstreamOnGateway(first)).toBe(2);
  expect(await upstreamOnGateway(second)).toBe(1);
  expect(await upstreamOnTimesales()).toBe(3);

  await setPrice(product.id, 76_000);
  await Promise.all([...onFirst, onSecond].map((feed) => feed.waitFor(priced(76_000), 'the new price')));

  await first.stop();
  await Promise.all(onFirst.map((feed) => feed.end()));
  expect(onFirst.map((feed) => [feed.ended, feed.closeCode])).toEqual([
    [true, 1001],
    [true, 1001],
    [true, 1001],
  ]);
  await until(async () => (await upstreamOnTimesales()) === 1);
  expect(onSecond.ended).toBe(false);
  await setPrice(product.id, 72_000);
  await onSecond.waitFor(priced(72_000), 'the price changed after the other replica stopped');
  expect(amountsSince(onSecond, 80_000)).toEqual([80_000, 76_000, 72_000]);
}, 60_000);

/** MAX_QUERY_ALIASES: as many copies of the description as one document may ask for. */
const DESCRIPTION_COPIES = 15;
const LARGE_PRICES = /* GraphQL */ `
  subscription LargePrices($ids: [ID!]!) {
    lowestPriceChanged(productIds: $ids) {
      productId
      lowestPrice { amount }
      product { name ${Array.from({ length: DESCRIPTION_COPIES }, (_, n) => `copy${n}: description`).join(' ')} }
    }
  }
`;

interface StalledSubscriber {
  /** Resolves with the code the client saw when its connection closed. */
  readonly closed: Promise<number>;
  /** Reads again what piled up, then the close. */
  resume(): void;
}

/**
 * A graphql-transport-ws client on a raw WebSocket that subscribes, takes its first event and
 * then stops reading its socket: what the gateway sends piles up in the kernel's buffers, then in
 * the gateway's.
 */
async function stalledSubscriber(
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<StalledSubscriber> {
  const socket = new WebSocket(wsUrl(gatewayUrl), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
  const received = (type: string) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        if ((JSON.parse(String(data)) as { type: string }).type !== type) return;
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
      void closed.then((code) => reject(new Error(`closed ${code} before ${type}`)));
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const acknowledged = received('connection_ack');
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await acknowledged;
  const first = received('next');
  socket.send(JSON.stringify({ id: 'stalled', type: 'subscribe', payload: { query, variables } }));
  await first;
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  return { closed, resume: () => tcp.resume() };
}

it('drops a client that stops reading, while the others sharing its subscription get every event', async () => {
  const gateway = await startAnotherGateway(
    graph,
    // No keep-alive ping in the test's time: the stalled client must be dropped for being slow, not silent.
    { SUBSCRIPTION_MAX_BUFFERED_BYTES: String(512 * 1024), SUBSCRIPTION_KEEPALIVE_MS: '3600000' },
    'gateway-slow-client',
  );
  replicas.push(gateway);
  // 3-byte characters in UTF-8: each event carries 15 copies of 15 kB.
  const product = await createProduct(graph, seller, brand, category, {
    price: 10_000,
    description: '가'.repeat(5_000),
  });
  const ids = { ids: [product.id] };
  const reader = new Feed<PriceEvent>(client(gateway.url), LARGE_PRICES, ids);
  await reader.waitFor(priced(10_000), 'the current price');
  const stalled = await stalledSubscriber(gateway.url, LARGE_PRICES, ids);
  expect(await clientSubscriptionsOn(gateway)).toBe(2);

  const dropped = () =>
    metricValue(gateway.metricsUrl, 'gateway_subscription_clients_dropped_total', { reason: 'slow' });
  const sent = [10_000];
  // Loopback buffers hold a few MB: a few dozen events fill them; the cap only turns a failure into an error.
  const maxChanges = 300;
  while ((await dropped()) === 0) {
    if (sent.length > maxChanges) throw new Error(`the stalled client was not dropped after ${maxChanges} events`);
    const price = 10_000 + sent.length;
    await setPrice(product.id, price);
    await reader.waitFor(priced(price), `price ${price}`);
    sent.push(price);
  }
  expect(await dropped()).toBe(1);
  await until(async () => (await clientSubscriptionsOn(gateway)) === 1);
  stalled.resume();
  // 1013 when the close frame got out before the gateway cut the connection, else an abnormal close.
  expect([1013, 1006]).toContain(await stalled.closed);

  const last = 10_000 + sent.length;
  await setPrice(product.id, last);
  await reader.waitFor(priced(last), 'the price changed after the drop');
  sent.push(last);
  expect(amountsSince(reader, 10_000)).toEqual(sent);
  expect(reader.ended).toBe(false);
  expect(reader.events.at(-1)?.lowestPriceChanged.product).toEqual(
    expect.objectContaining({ copy0: '가'.repeat(5_000), [`copy${DESCRIPTION_COPIES - 1}`]: '가'.repeat(5_000) }),
  );
}, 240_000);

it('keeps a subscription through a restart of the subgraph: the current price again, then new changes', async () => {
  const product = await createProduct(graph, seller, brand, category, { name: 'Restarted', price: 90_000 });
  const feed = new Feed<PriceEvent>(client(graph.gateway.url), PRICES, { ids: [product.id] });
  await feed.waitFor(priced(90_000), 'the current price');
  const received = feed.results.length;

  // The process stops (its database, Redis and queues stay) and a new one starts on the same port.
  const { port } = timesales;
  await timesales.stop();
  timesales = await timesalesSubgraph.start({
    env: { ...graph.timesales.env, PORT: String(port) },
    logger: testLogger('timesales'),
  });
  restartedTimesales.push(timesales);

  // The gateway subscribes again and the new process answers with the current price first.
  await feed.count(received + 1);
  expect(feed.results[received]).toEqual({
    data: {
      lowestPriceChanged: { productId: product.id, lowestPrice: { amount: 90_000 }, product: { name: 'Restarted' } },
    },
  });
  expect(await upstreamOnTimesales()).toBe(1);
  await setPrice(product.id, 84_000);
  await feed.waitFor(priced(84_000), 'the price changed after the restart');
  expect(feed.ended).toBe(false);
  expect(feed.errors).toBeUndefined();
}, 60_000);

/**
 * The timesales subgraph as an OS process of its own (what production runs), on `port`. One
 * process: tsx as an import hook, not its CLI, which would run the service in a child of its own
 * that outlives a SIGKILL of the CLI.
 */
function spawnTimesales(port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=radiata-source', '--import', 'tsx', 'subgraphs/timesales/src/main.ts'],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...graph.timesales.env, PORT: String(port), METRICS_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    },
  );
  return child;
}

/** SIGKILL, and waits until the process is gone. */
async function killNow(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

it('keeps a subscription through kill -9 of the subgraph process and its replacement', async () => {
  const product = await createProduct(graph, seller, brand, category, { name: 'Killed', price: 70_000 });
  const feed = new Feed<PriceEvent>(client(graph.gateway.url), PRICES, { ids: [product.id] });
  await feed.waitFor(priced(70_000), 'the current price');

  // The in-process timesales makes way for a real process on the same port.
  const { port } = timesales;
  await timesales.stop();
  let child = spawnTimesales(port);
  try {
    // The gateway reaches the new process and subscribes again: the current price once more.
    let received = feed.results.length;
    await feed.count(received + 1);
    expect(amountOf(feed.events.at(-1) as PriceEvent)).toBe(70_000);

    // Killed outright while the subscription is live: no close frame, the socket just dies.
    await killNow(child);
    received = feed.results.length;
    child = spawnTimesales(port);
    await feed.count(received + 1);
    expect(amountOf(feed.events.at(-1) as PriceEvent)).toBe(70_000);
    await setPrice(product.id, 66_000);
    await feed.waitFor(priced(66_000), 'the price changed after the kill');
    expect(feed.ended).toBe(false);
    expect(feed.errors).toBeUndefined();
  } finally {
    await killNow(child);
    // Later tests (and the teardown) expect an in-process timesales again.
    timesales = await timesalesSubgraph.start({
      env: { ...graph.timesales.env, PORT: String(port) },
      logger: testLogger('timesales'),
    });
    restartedTimesales.push(timesales);
  }
}, 120_000);

it('lets clients leave while the subgraph is down, and serves new ones once it is back', async () => {
  // Short backoff: the gateway's retries (and the release of a connection nobody needs) come quickly.
  const replica = await startAnotherGateway(graph, { UPSTREAM_RETRY_MAX_MS: '50' }, 'gateway-retrying');
  replicas.push(replica);
  const product = await createProduct(graph, seller, brand, category, { name: 'Left', price: 40_000 });
  const leaving = new Feed<PriceEvent>(client(replica.url), PRICES, { ids: [product.id] });
  await leaving.waitFor(priced(40_000), 'the current price');

  const { port } = timesales;
  await timesales.stop();
  await until(
    async () => (await metricValue(replica.metricsUrl, 'gateway_upstream_subscription_connections', {})) === 0,
  );
  // The client leaves while the gateway is retrying the subgraph: the retry finds nobody to
  // subscribe for and gives the connection up (graphql-ws rejects its dispose then).
  leaving.unsubscribe();
  await until(async () => (await upstreamOnGateway(replica)) === 0);

  timesales = await timesalesSubgraph.start({
    env: { ...graph.timesales.env, PORT: String(port) },
    logger: testLogger('timesales'),
  });
  restartedTimesales.push(timesales);
  const arriving = new Feed<PriceEvent>(client(replica.url), PRICES, { ids: [product.id] });
  await arriving.waitFor(priced(40_000), 'the current price from the restarted subgraph');
  expect(await upstreamOnTimesales()).toBe(1);
  expect(leaving.errors).toBeUndefined();
}, 60_000);

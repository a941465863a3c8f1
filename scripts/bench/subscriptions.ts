// `npm run bench:subscriptions [-- --clients 5000 --rounds 3 --countdown-seconds 30 --batch 100 --profile]`
//
// Gateway subscriptions (graphql-ws on the gateway's /graphql) under a crowd of anonymous shoppers
// who all follow the same thing, so every event is completed once and fanned out N times:
//   1. N clients subscribe to `lowestPriceChanged(productIds: [P])` with the product's name and
//      stock from the catalog (another subgraph). Once every client has its first event (the
//      current price), an admin changes P's price through the gateway (`updateProduct`); the
//      change flows catalog → outbox → RabbitMQ → timesales → Redis → timesales' subscription →
//      gateway (one catalog `_entities` fetch) → N clients. Per client: the time from just before
//      the mutation is sent until it received the event with the new price. Repeated --rounds times.
//   2. The same connections then follow one live time sale's `timeSaleCountdown` for
//      --countdown-seconds: an event on every whole second of the wall clock. Per client: ticks
//      received vs. expected, and how late each arrived after its `at`.
// The clients are a minimal graphql-transport-ws client on `ws` (connection_init, connection_ack,
// subscribe, next), opened in batches; they run in this process, on the same two cores.
//
// Every subgraph of rover.yaml and the gateway run as separate OS processes (scripts/bench/
// service-processes.ts), NODE_ENV=production, on fresh databases seeded with the demo data
// (scripts/lib/seed.ts). `--profile` also records the gateway's CPU profile during each phase
// (its inspector, opened with SIGUSR1, Profiler.start/stop over the DevTools protocol) and prints
// where its time went. Everything is removed at the end, on error and on Ctrl-C.
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deleteRedisKeys, graphql, testSecrets } from '@radiata/testing';
import WebSocket, { type RawData } from 'ws';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { DEMO_PASSWORD, seedDemoData } from '../lib/seed.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { freshDatabases, startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { cpuResolutionMs, machineBusyMs, mainThreadCpuMs, processCpuMs } from './cpu-time.js';
import { flagReader } from './flags.js';
import {
  benchBrokerEnv,
  benchServiceEnv,
  freePorts,
  launchBenchService,
  processName,
  type ServiceProcess,
  waitUntilAnswering,
} from './service-processes.js';

const PRICES = `subscription Prices($ids: [ID!]!) {
  lowestPriceChanged(productIds: $ids) { productId lowestPrice { amount } product { name stockQuantity } } }`;
const COUNTDOWN = `subscription Countdown($id: ID!) {
  timeSaleCountdown(timeSaleId: $id) {
    status secondsUntilEnd remainingQuantity at
    timeSale { title products { discountRate product { name } } } } }`;
/** A client that has not received the new price this long after the mutation has lost it. */
const LOST_AFTER_MS = 30_000;
/** A tick that has not arrived this long after its second has been lost. */
const TICK_LOST_AFTER_MS = 5_000;

const usage = `usage: npm run bench:subscriptions -- [--clients N] [--rounds N] [--countdown-seconds N] [--batch N] [--profile]
  --clients            graphql-ws connections, each with one subscription (default 5000)
  --rounds             price changes in phase 1 (default 3); medians are reported
  --countdown-seconds  length of phase 2, the countdown (default 30)
  --batch              connections (and subscriptions) opened at a time (default 100)
  --profile            record the gateway's CPU profile during each phase and summarize it
  --profile-dir        where the .cpuprofile files go (default: a new directory under ${os.tmpdir()})`;

const { values: flags } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    'countdown-seconds': { type: 'string', default: '30' },
    batch: { type: 'string', default: '100' },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const flag = flagReader(usage);
const wholeNumber = (name: 'clients' | 'rounds' | 'countdown-seconds' | 'batch', min: number, max: number): number =>
  flag.wholeNumber(name, flags[name], min, max);
const clientCount = wholeNumber('clients', 1, 15_000);
const rounds = wholeNumber('rounds', 1, 99);
const countdownSeconds = wholeNumber('countdown-seconds', 1, 3_600);
const batchSize = wholeNumber('batch', 1, 5_000);
const profileDir = flags.profile
  ? (flags['profile-dir'] ?? path.join(os.tmpdir(), `radiata-subscriptions-profile-${process.pid}`))
  : undefined;

loadLocalEnv({ generate: false }); // POSTGRES_URL, REDIS_URL, RABBITMQ_URL if .env sets them

const clients: LoadClient[] = [];
const bench = startBenchRun({ onInterrupt: () => closeClients(clients) });
const step = (text: string) => console.error(color.dim(text));

// ---------------------------------------------------------------------------------------------
// The load: a minimal graphql-transport-ws client
// ---------------------------------------------------------------------------------------------

interface NextPayload {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

interface Sink {
  /** `receivedAt`: performance.now() when the message was read, before it was parsed. */
  next(payload: NextPayload, receivedAt: number): void;
  /** The server ended the subscription (error, complete) or the connection closed. */
  end(why: string): void;
}

/**
 * One WebSocket with graphql-transport-ws: `connection_init` on open, `ready` on `connection_ack`,
 * subscriptions by id. No retries, no graphql-ws createClient (lighter for thousands of clients).
 */
class LoadClient {
  readonly ready: Promise<void>;
  private readonly socket: WebSocket;
  private readonly sinks = new Map<string, Sink>();
  private acknowledge: () => void = () => {};
  closeCode: number | undefined;

  constructor(url: string) {
    this.socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    this.ready = new Promise<void>((resolve, reject) => {
      this.acknowledge = resolve;
      this.socket.once('error', reject);
      this.socket.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason} before connection_ack`)));
    });
    this.ready.catch(() => undefined);
    this.socket.on('error', () => {}); // after the handshake: the close event says what happened
    this.socket.once('open', () => this.send({ type: 'connection_init', payload: {} }));
    this.socket.on('message', (data) => this.receive(data, performance.now()));
    this.socket.once('close', (code, reason) => {
      this.closeCode = code;
      for (const sink of this.sinks.values()) sink.end(`connection closed ${code} ${reason}`);
      this.sinks.clear();
    });
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>, sink: Sink): void {
    this.sinks.set(id, sink);
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  unsubscribe(id: string): void {
    if (this.sinks.delete(id)) this.send({ id, type: 'complete' });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(1000);
    return closed;
  }

  terminate(): void {
    this.socket.terminate();
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: RawData, receivedAt: number): void {
    const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
    switch (message.type) {
      case 'connection_ack':
        this.acknowledge();
        return;
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'next':
        this.sinks.get(message.id ?? '')?.next(message.payload as NextPayload, receivedAt);
        return;
      case 'error':
      case 'complete': {
        const sink = this.sinks.get(message.id ?? '');
        this.sinks.delete(message.id ?? '');
        sink?.end(message.type === 'error' ? `error ${JSON.stringify(message.payload)}` : 'completed by the server');
        return;
      }
    }
  }
}

/** Closes every client (1000), terminating those that have not answered within 5 s. */
async function closeClients(list: readonly LoadClient[]): Promise<void> {
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([Promise.all(list.map((client) => client.close())), timer]);
  for (const client of list) client.terminate();
}

/** Runs `work` on `items` `size` at a time, each batch settled before the next starts. */
async function inBatches<T>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<void>) {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map((item, offset) => work(item, start + offset)));
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

interface PriceRound {
  readonly round: number;
  /** ms from just before the mutation was sent until each client had the new price (received ones only). */
  readonly latencies: readonly number[];
  readonly lost: number;
  /** Events with errors or without the catalog's product. */
  readonly wrong: number;
  readonly mutationMs: number;
  readonly usage: Usage;
}

interface CountdownResult {
  readonly firstTick: number;
  readonly expected: number;
  readonly received: number;
  /** ms from each tick's `at` until a client had it. */
  readonly lateness: readonly number[];
  /** `at` minus its whole second (the timesales timer and its Redis read), from one client. */
  readonly atLag: readonly number[];
  readonly clientsMissingTicks: number;
  readonly wrong: number;
  readonly usage: Usage;
}

interface Usage {
  /** Every thread of the gateway's processes (tsx's CLI included, idle). */
  readonly gatewayCpuMs: number;
  /** The gateway's JavaScript thread alone (the rest: GC helpers, libuv's pool, the profiler). */
  readonly gatewayMainCpuMs: number;
  readonly benchCpuMs: number;
  readonly machineCpuMs: number;
  /** The gateway's node process after the phase: resident and peak resident memory, MiB. */
  readonly gatewayRssMiB: number;
  readonly gatewayPeakRssMiB: number;
}

interface ProfileSummary {
  readonly file: string;
  readonly sampledMs: number;
  readonly categories: readonly { name: string; ms: number }[];
  readonly functions: readonly { name: string; where: string; ms: number }[];
  readonly inclusive: readonly { name: string; ms: number }[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  const subgraphs = readSubgraphs().map((subgraph) => subgraph.name);
  for (const needed of ['users', 'catalog', 'timesales']) {
    if (!subgraphs.includes(needed)) throw new Error(`rover.yaml has no ${needed} subgraph`);
  }

  step(`creating ${subgraphs.length} fresh databases (${subgraphs.join(', ')}), seeding users and catalog…`);
  const database = await freshDatabases(bench, subgraphs);
  await seedDemoData({ usersDatabaseUrl: database('users').url, catalogDatabaseUrl: database('catalog').url, secrets });

  const portList = await freePorts(subgraphs.length + 2);
  const ports = new Map([...subgraphs, 'gateway', 'inspector'].map((name, index) => [name, portList[index]!]));
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const prefix = (subgraph: string) => `bench:${database(subgraph).name}:`;
  const broker = benchBrokerNamespace(subgraphs);
  bench.release('delete Redis keys', async () =>
    Promise.all(subgraphs.map((s) => deleteRedisKeys(prefix(s)))).then(() => undefined),
  );
  bench.release('delete the exchanges and queues', broker.cleanUp);
  const base = (name: string): Record<string, string> => benchServiceEnv(ports.get(name)!, secrets);
  const brokers = benchBrokerEnv();
  const launched = new Map<string, ServiceProcess>();
  const launch = (name: string, dir: string, env: Record<string, string>): ServiceProcess => {
    const service = launchBenchService(bench, name, dir, env);
    launched.set(name, service);
    return service;
  };
  const subgraphEnv = (subgraph: string): Record<string, string> => ({
    ...base(subgraph),
    DATABASE_URL: database(subgraph).url,
    ...brokers,
    REDIS_KEY_PREFIX: prefix(subgraph),
    RABBITMQ_NAMESPACE: broker.namespace,
  });

  step('starting timesales first (its catalog queue must exist before the catalog publishes the seeded products)…');
  const timesales = launch('timesales', path.join('subgraphs', 'timesales'), subgraphEnv('timesales'));
  await waitUntilAnswering(timesales, `${origin('timesales')}/readyz`);
  const others = subgraphs.filter((name) => name !== 'timesales');
  step(`starting ${others.join(', ')} and the gateway (tsx from source, NODE_ENV=production, LOG_LEVEL=warn)…`);
  for (const subgraph of others) launch(subgraph, path.join('subgraphs', subgraph), subgraphEnv(subgraph));
  await Promise.all(others.map((name) => waitUntilAnswering(launched.get(name)!, `${origin(name)}/healthz`)));
  const gateway = launch('gateway', 'gateway', {
    ...base('gateway'),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...Object.fromEntries(subgraphs.map((name) => [`SUBGRAPH_${envName(name)}_URL`, `${origin(name)}/graphql`])),
    // The users subgraph's namespace: the session check reads its revocations; the request
    // counters are removed with its keys.
    REDIS_KEY_PREFIX: prefix('users'),
    // Every client comes from 127.0.0.1, and every subscribe takes one request from its budget.
    SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: String(clientCount + 100),
    REQUEST_RATE_LIMIT: String(10 * clientCount + 10_000),
    // Only the process that gets SIGUSR1 (the gateway's, not tsx's CLI) opens its inspector there.
    ...(profileDir ? { NODE_OPTIONS: `--inspect-port=127.0.0.1:${ports.get('inspector')}` } : {}),
  });
  await waitUntilAnswering(gateway, `${origin('gateway')}/readyz`);
  for (const [name, service] of launched) {
    step(
      `  ${name} :${ports.get(name)}: ${service
        .tree()
        .map((pid) => `${pid} ${processName(pid)}`)
        .join(' → ')}`,
    );
  }
  const gatewayPids = gateway.tree();
  // The process running the gateway: tsx's CLI runs it in a child node process (same executable).
  const gatewayNode = gatewayPids.slice(1).find((pid) => executable(pid) === executable(gateway.pid)) ?? gateway.pid;
  step(`  the gateway's node process: ${gatewayNode} (CPU: all of ${gatewayPids.join(', ')})`);

  const gatewayUrl = `${origin('gateway')}/graphql`;
  const request = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const response = await graphql<T>(gatewayUrl, query, { variables, ...(token ? { token } : {}) });
    if (response.errors || !response.data) {
      throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.errors ?? response.data).slice(0, 500)}`);
    }
    return response.data;
  };
  // A fresh login per use: an access token lives 15 minutes, a large run may take longer.
  const adminToken = async () =>
    (
      await request<{ logIn: { accessToken: string } }>(
        'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
        { input: { email: 'admin@radiata.dev', password: DEMO_PASSWORD } },
      )
    ).logIn.accessToken;

  step('waiting for timesales to know two products on sale (the catalog publishes them through RabbitMQ)…');
  interface PageProduct {
    id: string;
    name: string;
    status: string;
    price: number;
    discountAmount: number;
    stockQuantity: number;
    lowestPrice: { amount: number } | null;
  }
  const page = async () =>
    (
      await request<{ products: { edges: { node: PageProduct }[] } }>(
        '{ products(first: 20) { edges { node { id name status price discountAmount stockQuantity lowestPrice { amount } } } } }',
      )
    ).products.edges.map((edge) => edge.node);
  const deadline = Date.now() + 60_000;
  let known: PageProduct[] = [];
  for (;;) {
    known = (await page()).filter((product) => product.status === 'ON_SALE' && product.lowestPrice !== null);
    if (known.length >= 2) break;
    if (Date.now() > deadline) throw new Error('timesales knows fewer than 2 products on sale after 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const [priced, saleProduct] = known as [PageProduct, PageProduct];

  const gatewayRss = () => memoryMiB(gatewayNode);
  const idleRss = gatewayRss();
  const measure = () => ({
    gateway: gatewayPids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0),
    gatewayMain: mainThreadCpuMs(gatewayNode) ?? 0,
    bench: processCpuMs(process.pid) ?? 0,
    machine: machineBusyMs(),
  });
  const usageSince = (before: ReturnType<typeof measure>): Usage => {
    const after = measure();
    const memory = gatewayRss();
    return {
      gatewayCpuMs: after.gateway - before.gateway,
      gatewayMainCpuMs: after.gatewayMain - before.gatewayMain,
      benchCpuMs: after.bench - before.bench,
      machineCpuMs: after.machine - before.machine,
      gatewayRssMiB: memory.rss,
      gatewayPeakRssMiB: memory.peak,
    };
  };
  const profiler = profileDir ? await GatewayProfiler.attach(gatewayNode, ports.get('inspector')!) : undefined;
  if (profiler) bench.release('detach from the gateway inspector', () => profiler.close());

  // ------------------------------------------------------------------ phase 1: price changes
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  bench.release('close the clients', () => closeClients(clients));
  step(`phase 1: opening ${clientCount} connections, ${batchSize} at a time, each subscribing to P's lowest price…`);
  let target = priced.lowestPrice!.amount;
  let onPrice: (index: number, payload: NextPayload, receivedAt: number) => void = () => {};
  const priceFailures: string[] = [];
  const connectProfile = profiler?.start();
  const connectStarted = performance.now();
  const connectUsage = measure();
  await inBatches(
    Array.from({ length: clientCount }, (_, index) => index),
    batchSize,
    async (index) => {
      const client = new LoadClient(wsUrl);
      clients.push(client);
      await client.ready;
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          'price',
          PRICES,
          { ids: [priced.id] },
          {
            next: (payload, receivedAt) => {
              const amount = amountOf(payload);
              if (amount === target) resolve();
              else
                reject(
                  new Error(`client ${index}: the first event is not the current price: ${JSON.stringify(payload)}`),
                );
              onPrice(index, payload, receivedAt);
            },
            end: (why) => {
              priceFailures.push(why);
              reject(new Error(`client ${index}: the price subscription ended: ${why}`));
            },
          },
        );
      });
    },
  );
  const connected = usageSince(connectUsage);
  const connectSummary = connectProfile
    ? summarizeProfile(await connectProfile.stop(), profileDir!, 'phase1-connect')
    : null;
  const connectMs = performance.now() - connectStarted;
  step(
    `  ${clientCount} clients have the current price (${target} won) after ${(connectMs / 1000).toFixed(1)} s; ` +
      `gateway RSS ${idleRss.rss.toFixed(0)} → ${connected.gatewayRssMiB.toFixed(0)} MiB`,
  );

  const priceRounds: PriceRound[] = [];
  const priceProfile = profiler?.start();
  for (let round = 1; round <= rounds; round += 1) {
    const token = await adminToken();
    const newPrice = priced.price + 1_000 * round;
    target = newPrice - priced.discountAmount;
    const arrived = new Float64Array(clientCount).fill(Number.NaN);
    let received = 0;
    let wrong = 0;
    let allArrived: () => void = () => {};
    const everyone = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    const before = measure();
    const sentAt = performance.now();
    onPrice = (index, payload, receivedAt) => {
      if (!Number.isNaN(arrived[index]!) || amountOf(payload) !== target) return;
      arrived[index] = receivedAt - sentAt;
      const event = payload.data?.lowestPriceChanged as { product?: { name?: string } | null } | undefined;
      if (payload.errors || event?.product?.name !== priced.name) wrong += 1;
      received += 1;
      if (received === clientCount) allArrived();
    };
    await request(
      'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }',
      { id: priced.id, input: { price: newPrice } },
      token,
    );
    const mutationMs = performance.now() - sentAt;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([everyone, new Promise((resolve) => (timer = setTimeout(resolve, LOST_AFTER_MS)))]);
    clearTimeout(timer);
    const usage = usageSince(before);
    const latencies = [...arrived].filter((ms) => !Number.isNaN(ms));
    priceRounds.push({ round, latencies, lost: clientCount - received, wrong, mutationMs, usage });
    const sorted = [...latencies].sort((a, b) => a - b);
    step(
      `  round ${round}/${rounds}: ${target} won; first ${quantile(sorted, 0).toFixed(0)} ms, p50 ` +
        `${quantile(sorted, 0.5).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ` +
        `${quantile(sorted, 1).toFixed(0)} ms; lost ${clientCount - received}; gateway CPU ` +
        `${usage.gatewayCpuMs.toFixed(0)} ms, RSS ${usage.gatewayRssMiB.toFixed(0)} MiB`,
    );
  }
  onPrice = () => {};
  const priceSummary = priceProfile ? summarizeProfile(await priceProfile.stop(), profileDir!, 'phase1-price') : null;

  // ------------------------------------------------------------------ phase 2: a countdown
  step('phase 2: a time sale on another product, live for the whole phase…');
  const startAt = new Date(Date.now() + 3_000);
  const sale = await request<{ createTimeSale: { id: string } }>(
    'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
    {
      input: {
        title: 'Benchmark countdown',
        startAt: startAt.toISOString(),
        endAt: new Date(startAt.getTime() + (countdownSeconds + 600) * 1_000).toISOString(),
        products: [{ productId: saleProduct.id, discountRate: 30, totalQuantity: 1_000 }],
      },
    },
    await adminToken(),
  );
  const saleId = sale.createTimeSale.id;
  let onTick: (index: number, payload: NextPayload, receivedAt: number) => void = () => {};
  const countdownFailures: string[] = [];
  step(`  moving the ${clientCount} connections from the price to the countdown, ${batchSize} at a time…`);
  await inBatches(clients, batchSize, async (client, index) => {
    client.unsubscribe('price');
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        'countdown',
        COUNTDOWN,
        { id: saleId },
        {
          next: (payload, receivedAt) => {
            resolve();
            onTick(index, payload, receivedAt);
          },
          end: (why) => {
            countdownFailures.push(why);
            reject(new Error(`client ${index}: the countdown ended: ${why}`));
          },
        },
      );
    });
  });
  // The window: whole seconds after every client has its first event and the sale has started.
  const firstTick = Math.max(Math.ceil(Date.now() / 1_000) + 1, Math.ceil(startAt.getTime() / 1_000) + 1);
  const lastTick = firstTick + countdownSeconds - 1;
  const lastSecond = new Float64Array(clientCount).fill(0);
  const ticksOf = new Int32Array(clientCount);
  const lateness: number[] = [];
  const atLag: number[] = [];
  let ticks = 0;
  let wrongTicks = 0;
  let allTicked: () => void = () => {};
  const everyTick = new Promise<void>((resolve) => {
    allTicked = resolve;
  });
  onTick = (index, payload, receivedAt) => {
    const countdown = payload.data?.timeSaleCountdown as { at?: string; status?: string } | undefined;
    const at = Date.parse(countdown?.at ?? '');
    if (Number.isNaN(at)) {
      wrongTicks += 1;
      return;
    }
    const second = Math.round(at / 1_000);
    if (second < firstTick || second > lastTick || second <= lastSecond[index]!) return;
    lastSecond[index] = second;
    if (payload.errors || countdown?.status !== 'LIVE') wrongTicks += 1;
    lateness.push(performance.timeOrigin + receivedAt - at);
    if (index === 0) atLag.push(at - second * 1_000);
    ticksOf[index] = (ticksOf[index] ?? 0) + 1;
    ticks += 1;
    if (ticks === clientCount * countdownSeconds) allTicked();
  };
  step(
    `  counting ticks ${new Date(firstTick * 1_000).toISOString()} … ${new Date(lastTick * 1_000).toISOString()} ` +
      `(${countdownSeconds} s)…`,
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstTick * 1_000 - 500 - Date.now())));
  const countdownProfile = profiler?.start();
  const countdownBefore = measure();
  let tickTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    everyTick,
    new Promise(
      (resolve) => (tickTimer = setTimeout(resolve, Math.max(0, lastTick * 1_000 + TICK_LOST_AFTER_MS - Date.now()))),
    ),
  ]);
  clearTimeout(tickTimer);
  const countdownUsage = usageSince(countdownBefore);
  onTick = () => {};
  const countdownSummary = countdownProfile
    ? summarizeProfile(await countdownProfile.stop(), profileDir!, 'phase2-countdown')
    : null;
  const countdown: CountdownResult = {
    firstTick,
    expected: clientCount * countdownSeconds,
    received: ticks,
    lateness,
    atLag,
    clientsMissingTicks: ticksOf.filter((count) => count < countdownSeconds).length,
    wrong: wrongTicks,
    usage: countdownUsage,
  };
  const stillOpen = clients.filter((client) => client.open).length;

  report({
    started,
    loadBefore,
    connectMs,
    connected,
    idleRss: idleRss.rss,
    priceRounds,
    countdown,
    stillOpen,
    failures: [...priceFailures, ...countdownFailures],
    profiles: { connect: connectSummary, price: priceSummary, countdown: countdownSummary },
  });
}

function amountOf(payload: NextPayload): number | undefined {
  const event = payload.data?.lowestPriceChanged as { lowestPrice?: { amount?: number } | null } | undefined;
  return event?.lowestPrice?.amount;
}

function executable(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM (peak) of `pid` in MiB (0 once it is gone). */
function memoryMiB(pid: number): { rss: number; peak: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // gone
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ---------------------------------------------------------------------------------------------
// The gateway's CPU profile, over the DevTools protocol
// ---------------------------------------------------------------------------------------------

interface CpuProfile {
  readonly nodes: readonly {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The gateway's V8 profiler, reached through its inspector: SIGUSR1 makes a running node process
 * open it on its --inspect-port; the profile then covers exactly a phase, not the start-up.
 */
class GatewayProfiler {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  static async attach(pid: number, port: number): Promise<GatewayProfiler> {
    process.kill(pid, 'SIGUSR1');
    const deadline = Date.now() + 10_000;
    let targets: { webSocketDebuggerUrl: string }[] = [];
    while (targets.length === 0) {
      try {
        targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as typeof targets;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the gateway's inspector did not open: ${errorMessage(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 2 ** 30 });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const profiler = new GatewayProfiler(socket);
    await profiler.call('Profiler.enable');
    return profiler;
  }

  /** Starts a profile; `stop()` ends it and returns it. */
  start(): { stop(): Promise<CpuProfile> } {
    const started = this.call('Profiler.start');
    return {
      stop: async () => {
        await started;
        return ((await this.call('Profiler.stop')) as { profile: CpuProfile }).profile;
      },
    };
  }

  async close(): Promise<void> {
    await this.call('Profiler.disable').catch(() => undefined);
    this.socket.close();
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** Where a script's functions belong: its package, a source folder of the repository, or V8/Node. */
function categoryOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'Node.js core (net, streams, timers…)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const parts = repositoryPath(url).split('/');
  if (parts[0] === 'gateway' && parts[2] === 'subscriptions') return 'gateway/src/subscriptions';
  if (parts[0] === 'packages') return `packages/${parts[1]}`;
  return parts.slice(0, 2).join('/');
}

function shortWhere(url: string, lineNumber: number): string {
  if (url === '') return '';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return `${url.slice(modules + '/node_modules/'.length)}:${lineNumber + 1}`;
  // tsx's transpiled sources: the profile's line numbers are not the file's.
  return url.startsWith('node:') ? `${url}:${lineNumber + 1}` : repositoryPath(url);
}

function repositoryPath(url: string): string {
  return path.relative(repoRoot, url.startsWith('file://') ? fileURLToPath(url) : url);
}

/** Writes the profile for DevTools, and sums its self time by category and function. */
function summarizeProfile(profile: CpuProfile, dir: string, name: string): ProfileSummary {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `gateway-${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, { name: string; where: string; category: string; us: number }>();
  const inclusive = new Map<string, number>();
  let sampledUs = 0;
  // A sample stands for the time until the next one.
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index + 1] ?? 0;
    const node = nodes.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') return;
    sampledUs += us;
    const where = shortWhere(url, lineNumber);
    const key = `${functionName}\u0000${where}`;
    const entry = self.get(key) ?? {
      name: functionName || '(anonymous)',
      where,
      category: categoryOf(url, functionName),
      us: 0,
    };
    entry.us += us;
    self.set(key, entry);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      if (!frame?.functionName) continue;
      const label = `${frame.functionName} (${categoryOf(frame.url, frame.functionName)})`;
      if (seen.has(label)) continue;
      seen.add(label);
      inclusive.set(label, (inclusive.get(label) ?? 0) + us);
    }
  });
  const categories = new Map<string, number>();
  for (const entry of self.values()) categories.set(entry.category, (categories.get(entry.category) ?? 0) + entry.us);
  /** Functions whose total time tells where an event's work goes, by name and category. */
  const interesting = new Set([
    'executeQueryPlan (@apollo/gateway)',
    'deliver (gateway/src/subscriptions)',
    'emit (graphql-ws)',
    'stringifyMessage (graphql-ws)',
    'send (ws)',
    'sendFrame (ws)',
    'writev ((native))',
    'onMessage (ws)',
    // Subscribing
    'handleUpgrade (ws)',
    'onSubscribe (gateway/src/subscriptions)',
    'prepare (gateway/src/subscriptions)',
    'parse (graphql)',
    'validate (graphql)',
    'inputProblems (packages/service-runtime)',
    'plan (gateway/src/subscriptions)',
    'take (gateway/src)',
    'join (gateway/src/subscriptions)',
  ]);
  return {
    file,
    sampledMs: sampledUs / 1_000,
    categories: [...categories]
      .map(([category, us]) => ({ name: category, ms: us / 1_000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12),
    functions: [...self.values()]
      .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1_000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
    inclusive: [...inclusive]
      .filter(([label]) => interesting.has(label))
      .map(([label, us]) => ({ name: label, ms: us / 1_000 }))
      .sort((a, b) => b.ms - a.ms),
  };
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

interface ReportInput {
  readonly started: number;
  readonly loadBefore: readonly number[];
  readonly connectMs: number;
  readonly connected: Usage;
  readonly idleRss: number;
  readonly priceRounds: readonly PriceRound[];
  readonly countdown: CountdownResult;
  readonly stillOpen: number;
  readonly failures: readonly string[];
  readonly profiles: Readonly<Record<'connect' | 'price' | 'countdown', ProfileSummary | null>>;
}

function report(input: ReportInput): void {
  const cores = os.availableParallelism();
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  console.log(
    `\n## Gateway subscriptions: ${clientCount} clients on one feed\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${cores} (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
      `Node ${process.version}; load average ${loads(input.loadBefore)} before, ${loads(os.loadavg())} after. ` +
      `${clientCount} anonymous graphql-ws connections from this process (the load generator, on the same cores), ` +
      `opened ${batchSize} at a time${profileDir ? '; **profiled run** (the gateway ran with its inspector attached)' : ''}.\n`,
  );
  console.log(
    `Connecting and subscribing the ${clientCount} clients took ${fixed(input.connectMs / 1_000, 1)} s ` +
      `(gateway CPU ${fixed(input.connected.gatewayCpuMs)} ms); gateway RSS ${fixed(input.idleRss)} MiB before, ` +
      `${fixed(input.connected.gatewayRssMiB)} MiB with them.\n`,
  );
  console.log(
    `### Phase 1: a price change reaching every client (\`lowestPriceChanged\` with the catalog's product)\n\n` +
      `ms from just before \`updateProduct\` was sent until each client had the new price; lost: no new price ` +
      `within ${LOST_AFTER_MS / 1_000} s. CPU from /proc (${cpuResolutionMs} ms resolution), from the mutation until ` +
      `the last client had the event.\n`,
  );
  console.log(
    '| round | mutation (ms) | first client (ms) | p50 (ms) | p99 (ms) | max (ms) | lost | wrong | gateway CPU (ms) | of it JS thread (ms) | load generator CPU (ms) | machine CPU (ms) | gateway RSS (MiB) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows = input.priceRounds.map((round) => {
    const sorted = [...round.latencies].sort((a, b) => a - b);
    return {
      label: String(round.round),
      mutation: round.mutationMs,
      first: quantile(sorted, 0),
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: quantile(sorted, 1),
      lost: round.lost,
      wrong: round.wrong,
      gateway: round.usage.gatewayCpuMs,
      main: round.usage.gatewayMainCpuMs,
      bench: round.usage.benchCpuMs,
      machine: round.usage.machineCpuMs,
      rss: round.usage.gatewayRssMiB,
    };
  });
  const medianRow = {
    ...(Object.fromEntries(
      (['mutation', 'first', 'p50', 'p99', 'max', 'gateway', 'main', 'bench', 'machine', 'rss'] as const).map((key) => [
        key,
        median(rows.map((row) => row[key])),
      ]),
    ) as Omit<(typeof rows)[number], 'label' | 'lost' | 'wrong'>),
    label: '**median** (lost, wrong: sum)',
    lost: rows.reduce((sum, row) => sum + row.lost, 0),
    wrong: rows.reduce((sum, row) => sum + row.wrong, 0),
  };
  for (const row of [...rows, medianRow]) {
    console.log(
      `| ${row.label} | ${fixed(row.mutation)} | ${fixed(row.first)} | ${fixed(row.p50)} | ${fixed(row.p99)} | ` +
        `${fixed(row.max)} | ${fixed(row.lost)} | ${fixed(row.wrong)} | ${fixed(row.gateway)} | ${fixed(row.main)} | ` +
        `${fixed(row.bench)} | ` +
        `${fixed(row.machine)} | ${fixed(row.rss)} |`,
    );
  }
  const { countdown } = input;
  const late = [...countdown.lateness].sort((a, b) => a - b);
  const lag = [...countdown.atLag].sort((a, b) => a - b);
  console.log(
    `\n### Phase 2: a live sale's countdown (\`timeSaleCountdown\`), ${countdownSeconds} s\n\n` +
      `Ticks of the whole seconds ${new Date(countdown.firstTick * 1_000).toISOString()} onwards; lateness: when ` +
      `a client had the tick, minus its \`at\` (the timesales subgraph stamps \`at\` ${fixed(quantile(lag, 0.5), 1)} ms ` +
      `after the whole second at p50, ${fixed(quantile(lag, 1), 1)} ms at most); lost: not there ` +
      `${TICK_LOST_AFTER_MS / 1_000} s after its second.\n`,
  );
  console.log(
    '| clients | ticks expected | ticks received | ticks lost | clients missing ticks | wrong | lateness p50 (ms) | p99 (ms) | max (ms) | gateway CPU per tick (ms) | of it JS thread (ms) | load generator CPU per tick (ms) | machine CPU per tick (ms) | gateway RSS (MiB) | peak RSS (MiB) |',
  );
  console.log(
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const perTick = (ms: number) => fixed(ms / countdownSeconds, 1);
  console.log(
    `| ${clientCount} | ${countdown.expected} | ${countdown.received} | ${countdown.expected - countdown.received} | ` +
      `${countdown.clientsMissingTicks} | ${countdown.wrong} | ${fixed(quantile(late, 0.5), 1)} | ` +
      `${fixed(quantile(late, 0.99), 1)} | ${fixed(quantile(late, 1), 1)} | ${perTick(countdown.usage.gatewayCpuMs)} | ` +
      `${perTick(countdown.usage.gatewayMainCpuMs)} | ` +
      `${perTick(countdown.usage.benchCpuMs)} | ${perTick(countdown.usage.machineCpuMs)} | ` +
      `${fixed(countdown.usage.gatewayRssMiB)} | ${fixed(countdown.usage.gatewayPeakRssMiB)} |`,
  );
  for (const [title, summary] of [
    [`connecting and subscribing ${clientCount} clients`, input.profiles.connect],
    ['phase 1, the price changes', input.profiles.price],
    ['phase 2, the countdown', input.profiles.countdown],
  ] as const) {
    if (!summary) continue;
    const share = (ms: number) => `${((100 * ms) / Math.max(summary.sampledMs, 1e-9)).toFixed(1)} %`;
    console.log(
      `\n### Where the gateway's time went: ${title}\n\n` +
        `${fixed(summary.sampledMs)} ms of non-idle samples (${summary.file}). Self time by package or folder:\n`,
    );
    console.log('| where | self (ms) | share |');
    console.log('| --- | ---: | ---: |');
    for (const row of summary.categories) console.log(`| ${row.name} | ${fixed(row.ms)} | ${share(row.ms)} |`);
    console.log('\nTop functions by self time:\n');
    console.log('| function | where | self (ms) | share |');
    console.log('| --- | --- | ---: | ---: |');
    for (const row of summary.functions) {
      console.log(`| \`${row.name}\` | ${row.where || '–'} | ${fixed(row.ms)} | ${share(row.ms)} |`);
    }
    console.log('\nInclusive time (the function and what it called):\n');
    console.log('| function | total (ms) | share |');
    console.log('| --- | ---: | ---: |');
    for (const row of summary.inclusive) console.log(`| \`${row.name}\` | ${fixed(row.ms)} | ${share(row.ms)} |`);
  }
  const failures = new Map<string, number>();
  for (const why of input.failures) failures.set(why, (failures.get(why) ?? 0) + 1);
  console.log(
    `\n${input.stillOpen} of ${clientCount} connections still open at the end.` +
      (failures.size > 0
        ? ` Subscriptions ended early: ${[...failures].map(([why, count]) => `${count}× ${why}`).join('; ')}.`
        : '') +
      `\nFinished in ${((Date.now() - input.started) / 1000).toFixed(0)} s.`,
  );
}

// Last: main() uses the classes above, which do not exist before their declarations run.
try {
  await Promise.race([main(), bench.serviceFailure]);
  await bench.cleanup();
} catch (error) {
  if (!bench.interrupted) {
    console.error(color.red(`bench: ${errorMessage(error)}`));
    await bench.cleanup();
    process.exit(1);
  }
}

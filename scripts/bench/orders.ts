// `npm run bench:orders [-- --concurrency 32 --duration 15 --rounds 3 --warmup 5 --watch subscription|poll --mix]`
//
// The order saga end to end through the gateway: orders placed and paid with the wallet per
// second. Each of N virtual shoppers (a closed loop: the next order as soon as the last is PAID)
//   1. places an order (`placeOrder`: one regular product, quantity 1; with --mix also a product
//      of a LIVE time sale and 100 points),
//   2. waits until it is AWAITING_PAYMENT (the `orderStatusChanged` subscription over graphql-ws
//      on the gateway, or with --watch poll `order(id) { status }` every --poll-ms),
//   3. pays it (`payOrder`, method WALLET with the PIN; payments learns of the order from the
//      saga's event, so a NOT_FOUND right after AWAITING_PAYMENT is retried and counted),
//   4. waits until it is PAID.
// Every answer is checked (a wrong status, amount or order is an error). Reported: paid orders/s,
// placeOrder→PAID p50/p95/p99 and its parts, CPU ms per paid order of every process (/proc),
// RabbitMQ messages per order (outbox rows and inbox rows of each database), where the server
// side's time goes (timestamps in the databases), and what the PIN check's argon2id costs alone.
//
// Every subgraph of rover.yaml and the gateway run as separate OS processes (scripts/bench/
// service-processes.ts), NODE_ENV=production, on fresh databases, with the payment provider fake
// as a process of its own. Set-up, outside the measured phase, goes through the gateway as a shop
// would: an admin (promoted in the users database, the only way to make the first one), a seller
// (setUserRole) with a brand and --products products of large stock, shoppers who sign up, open a
// wallet with a PIN and top it up through the provider fake; with --mix a time sale created an
// hour ahead then moved to start in a moment, and points for every shopper (adjustPoints). At the
// end the databases must agree with the answers: every order PAID once, stock, sale quantity,
// wallets and points as the paid orders say, every outbox published. Everything (processes,
// databases, Redis keys, exchanges and queues) is removed at the end, on error and on Ctrl-C.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnProviderFake } from '@radiata/provider-fake/process';
import { deleteBrokerNames, deleteRedisKeys, testSecrets } from '@radiata/testing';
import pg from 'pg';
import { Agent, request } from 'undici';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { freshDatabases, startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { closedLoop } from './closed-loop.js';
import { cpuResolutionMs, startCpuSpan, threadsCpuMs } from './cpu-time.js';
import {
  type Counts,
  type DatabaseWork,
  databaseStats,
  diffCounts,
  messageCounts,
  PostgresCpuByDatabase,
  sequentialScans,
  workBetween,
} from './database-figures.js';
import { flagReader } from './flags.js';
import { GraphqlWsConnection, type NextPayload } from './graphql-ws-client.js';
import { checkOutcome, type ServerTimes, serverTimes, settle } from './order-outcome.js';
import { hashParameters, measureVerify, type VerifyFigures } from './pin-check-cost.js';
import {
  benchBrokerEnv,
  benchServiceEnv,
  findProcess,
  freePorts,
  launchBenchService,
  processName,
  type ServiceProcess,
  serviceNodeProcess,
  waitUntilAnswering,
} from './service-processes.js';
import { median, quantile } from './stats.js';

const PIN = '246810';
const PASSWORD = 'bench-shopper-1';
/** The regular products' price (no discount of their own). */
const REGULAR_PRICE = 12_900;
/** --mix: the sale product's price and the sale's rate: 20,000 less 30 % = 14,000. */
const SALE_PRICE = 20_000;
const SALE_RATE = 30;
const SALE_UNIT_PRICE = SALE_PRICE - Math.floor((SALE_PRICE * SALE_RATE) / 100);
/** --mix: points every order uses. */
const POINTS_PER_ORDER = 100;
const STOCK = 10_000_000;
/** Each shopper's top-up: far more than any run spends (balance is an int4). */
const TOP_UP = 1_000_000_000;
const MONEY_LIMIT = 2_000_000_000;
/** --mix: each shopper's points. */
const POINTS_GRANT = 10_000_000;
/** An order that is not where it should be this long after the last step is an error. */
const WAIT_LIMIT_MS = 60_000;
/** How long payOrder is retried while payments does not know the order yet (NOT_FOUND). */
const PAY_RETRY_LIMIT_MS = 10_000;
const PAY_RETRY_DELAY_MS = 10;
const SETUP_IN_FLIGHT = 4;
const HOUR = 3_600_000;

const PLACE = 'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }';
const STATUS_CHANGED =
  'subscription Status($orderId: ID!) { orderStatusChanged(orderId: $orderId) { id status cancelReason amountToPay } }';
const ORDER_STATUS = 'query Status($id: ID!) { order(id: $id) { id status cancelReason amountToPay } }';
const PAY = 'mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { id orderId amount status failureCode } }';
const ADDRESS = {
  recipient: 'Kim Radiata',
  phone: '010-1234-5678',
  zipCode: '06236',
  roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
  detailAddress: '12F',
};

const usage = `usage: npm run bench:orders -- [--concurrency N] [--duration S] [--rounds N] [--warmup S] [--watch subscription|poll] [--poll-ms MS] [--mix] [--products N] [--verifies N]
  --concurrency  virtual shoppers, each with one order in flight (default 32)
  --duration     seconds per measured round (default 15)
  --rounds       measured rounds (default 3); medians are reported
  --warmup       seconds of unmeasured orders first (default 5)
  --watch        how a shopper learns the order's status: the orderStatusChanged subscription over
                 graphql-ws (subscription, default) or polling order(id) through the gateway (poll)
  --poll-ms      --watch poll: ms between two reads (default 20)
  --mix          every order also buys a product of a LIVE time sale and uses ${POINTS_PER_ORDER} points
  --products     regular products the orders are spread over (default 16)
  --verifies     argon2id verifies for the PIN check's cost alone (default 100)`;

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '32' },
    duration: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '5' },
    watch: { type: 'string', default: 'subscription' },
    'poll-ms': { type: 'string', default: '20' },
    mix: { type: 'boolean', default: false },
    products: { type: 'string', default: '16' },
    verifies: { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const { refuse, wholeNumber } = flagReader(usage);
const concurrency = wholeNumber('concurrency', flags.concurrency, 1, 1_000);
const durationS = wholeNumber('duration', flags.duration, 1, 600);
const rounds = wholeNumber('rounds', flags.rounds, 1, 20);
const warmupS = wholeNumber('warmup', flags.warmup, 0, 600);
const pollMs = wholeNumber('poll-ms', flags['poll-ms'], 1, 10_000);
const productCount = wholeNumber('products', flags.products, 1, 100);
const verifies = wholeNumber('verifies', flags.verifies, 1, 10_000);
if (flags.watch !== 'subscription' && flags.watch !== 'poll') refuse('--watch must be subscription or poll');
const watchMode = flags.watch as 'subscription' | 'poll';
const mix = flags.mix;
/** What every order costs the shopper. */
const AMOUNT = REGULAR_PRICE + (mix ? SALE_UNIT_PRICE - POINTS_PER_ORDER : 0);

loadLocalEnv({ generate: false }); // POSTGRES_URL, REDIS_URL, RABBITMQ_URL if .env sets them (the secrets are fresh ones)

/** The subgraphs an order goes through (every one of rover.yaml runs). */
const NEEDED = ['users', 'catalog', 'coupons', 'timesales', 'payments', 'orders'] as const;

/** Where CPU time is reported: [key of Round.cpuMs, row head]. */
type Column = readonly [source: string, head: string];
const columnsOf = (subgraphs: readonly string[]): Column[] => [
  ['gateway', 'gateway'],
  ...subgraphs.flatMap((name): Column[] =>
    name === 'payments'
      ? [
          [name, name],
          ['paymentsPool', 'of it argon2 (libuv pool)'],
        ]
      : [[name, name]],
  ),
  ['provider', 'provider fake'],
  ['postgres', 'PostgreSQL'],
  ...subgraphs.map((name): Column => [`pg:${name}`, `of it the ${name} database`]),
  ['redis', 'Redis'],
  ['rabbitmq', 'RabbitMQ'],
  ['bench', 'load generator'],
  ['rest', 'rest of the machine'],
  ['machine', 'whole machine'],
];
/** The sources that add up to the machine's busy time (the rest is other work). */
const countedOf = (subgraphs: readonly string[]) => [
  'gateway',
  ...subgraphs,
  'provider',
  'postgres',
  'redis',
  'rabbitmq',
  'bench',
];

interface Shopper {
  readonly id: string;
  readonly token: string;
  /** --watch subscription: the shopper's graphql-ws connection to the gateway. */
  connection?: GraphqlWsConnection;
}

/** One paid order's times, ms (client side). */
interface OrderTimes {
  readonly orderId: string;
  /** placeOrder sent → PAID seen. */
  readonly total: number;
  /** placeOrder sent → answered. */
  readonly place: number;
  /** placeOrder answered → AWAITING_PAYMENT seen. */
  readonly awaiting: number;
  /** AWAITING_PAYMENT seen → payOrder answered APPROVED (NOT_FOUND retries included). */
  readonly pay: number;
  /** The payOrder call that answered APPROVED alone. */
  readonly payCall: number;
  /** payOrder answered → PAID seen. */
  readonly paid: number;
  /** payOrder calls answered NOT_FOUND first (payments not yet told of the order). */
  readonly notFound: number;
}

interface Round {
  readonly round: number;
  readonly wallMs: number;
  readonly orders: readonly OrderTimes[];
  readonly failures: number;
  readonly failureMessages: readonly string[];
  readonly cpuMs: Readonly<Record<string, number>>;
  readonly loadAverage: number;
}

let stopped = false;
const bench = startBenchRun({ onInterrupt: () => (stopped = true) });
const step = (text: string) => console.error(color.dim(text));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  const providerSecret = `test_sk_bench_${randomBytes(16).toString('hex')}`;
  const subgraphs = readSubgraphs().map((subgraph) => subgraph.name);
  for (const needed of NEEDED) {
    if (!subgraphs.includes(needed)) throw new Error(`rover.yaml has no ${needed} subgraph`);
  }

  step(`creating ${subgraphs.length} fresh databases (${subgraphs.join(', ')}), starting the provider fake…`);
  const database = await freshDatabases(bench, subgraphs);
  const spawning = spawnProviderFake({ secretKey: providerSecret });
  bench.pending(spawning);
  const provider = await spawning;
  bench.release('stop the provider fake', provider.stop);

  const portList = await freePorts(subgraphs.length + 1);
  const ports = new Map([...subgraphs, 'gateway'].map((name, index) => [name, portList[index]!]));
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const prefix = (subgraph: string) => `bench:${database(subgraph).name}:`;
  const broker = benchBrokerNamespace(subgraphs);
  bench.release('delete Redis keys', async () =>
    Promise.all(subgraphs.map((subgraph) => deleteRedisKeys(prefix(subgraph)))).then(() => undefined),
  );
  bench.release('delete the exchanges and queues', broker.cleanUp);
  // The saga's queues, which benchBrokerNamespace does not know of.
  bench.release('delete the saga queues', () =>
    deleteBrokerNames({
      exchanges: [],
      queues: ['orders.saga-replies', ...['timesales', 'catalog', 'coupons', 'users'].map((p) => `${p}.saga-commands`)]
        .flatMap((queue) => [queue, `${queue}.dead-letter`])
        .map((queue) => broker.namespace + queue),
    }),
  );
  const brokers = benchBrokerEnv();
  const launched = new Map<string, ServiceProcess>();
  // e.g. BENCH_ORDERS_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/orders-profile" to see where its time goes
  const nodeOptions = (name: string): Record<string, string> => {
    const value = process.env[`BENCH_${name.toUpperCase()}_NODE_OPTIONS`];
    return value ? { NODE_OPTIONS: value } : {};
  };
  const extra: Partial<Record<string, Record<string, string>>> = {
    users: {
      // every shopper signs up from 127.0.0.1; a long run must not outlive its access tokens
      SIGN_UP_RATE_LIMIT: String(concurrency + 10),
      ACCESS_TOKEN_TTL_SECONDS: String(24 * 3_600),
    },
    payments: {
      PROVIDER_BASE_URL: provider.url,
      PROVIDER_SECRET_KEY: providerSecret,
      WALLET_MAX_BALANCE: String(MONEY_LIMIT),
      PAYMENT_MAX_AMOUNT: String(MONEY_LIMIT),
    },
  };
  step('starting every subgraph and the gateway (tsx from source, NODE_ENV=production, LOG_LEVEL=warn)…');
  for (const subgraph of subgraphs) {
    launched.set(
      subgraph,
      launchBenchService(bench, subgraph, path.join('subgraphs', subgraph), {
        ...benchServiceEnv(ports.get(subgraph)!, secrets),
        DATABASE_URL: database(subgraph).url,
        ...brokers,
        REDIS_KEY_PREFIX: prefix(subgraph),
        RABBITMQ_NAMESPACE: broker.namespace,
        ...extra[subgraph],
        ...nodeOptions(subgraph),
      }),
    );
  }
  await Promise.all(subgraphs.map((name) => waitUntilAnswering(launched.get(name)!, `${origin(name)}/readyz`)));
  const gateway = launchBenchService(bench, 'gateway', 'gateway', {
    ...benchServiceEnv(ports.get('gateway')!, secrets),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...Object.fromEntries(subgraphs.map((name) => [`SUBGRAPH_${envName(name)}_URL`, `${origin(name)}/graphql`])),
    // the users subgraph's namespace: the session check reads its revocations
    REDIS_KEY_PREFIX: prefix('users'),
    // a shopper places, follows and pays several orders a second, all from 127.0.0.1
    REQUEST_RATE_LIMIT: String(10_000_000),
    SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: String(concurrency + 100),
    ...nodeOptions('gateway'),
  });
  launched.set('gateway', gateway);
  await waitUntilAnswering(gateway, `${origin('gateway')}/readyz`);
  for (const [name, service] of launched) {
    step(
      `  ${name} :${ports.get(name)}: ${service
        .tree()
        .map((pid) => `${pid} ${processName(pid)}`)
        .join(' → ')}`,
    );
  }

  const sql = new Map<string, pg.Client>();
  for (const subgraph of subgraphs) {
    const client = new pg.Client({ connectionString: database(subgraph).url });
    await client.connect();
    bench.release(`close the ${subgraph} database client`, () => client.end());
    sql.set(subgraph, client);
  }
  const query = async <T extends pg.QueryResultRow>(subgraph: string, text: string, values: unknown[] = []) =>
    (await sql.get(subgraph)!.query<T>(text, values)).rows;

  const agent = new Agent({ connections: concurrency + SETUP_IN_FLIGHT, pipelining: 1 });
  bench.release('close the gateway client', () => agent.close());
  const gatewayUrl = `${origin('gateway')}/graphql`;
  type Answer = {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const viaGateway = async (text: string, variables: Record<string, unknown>, token?: string): Promise<Answer> => {
    const response = await request(gatewayUrl, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: text, variables }),
    });
    const answer = (await response.body.json()) as Answer;
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const dataOf = <T>(what: string, answer: Answer): T => {
    if (answer.errors || !answer.data) throw new Error(`${what}: ${JSON.stringify(answer).slice(0, 400)}`);
    return answer.data as T;
  };
  const call = async <T>(what: string, text: string, variables: Record<string, unknown>, token?: string) =>
    dataOf<T>(what, await viaGateway(text, variables, token));

  // ------------------------------------------------------------------ set-up, through the gateway
  const runTag = randomBytes(4).toString('hex');
  const signUp = async (who: string) =>
    (
      await call<{ signUp: { accessToken: string; user: { id: string } } }>(
        'signUp',
        'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
        { input: { email: `${who}.${runTag}@bench.radiata.dev`, password: PASSWORD, name: 'Bench' } },
      )
    ).signUp;
  const logIn = async (who: string) =>
    (
      await call<{ logIn: { accessToken: string } }>(
        'logIn',
        'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
        { input: { email: `${who}.${runTag}@bench.radiata.dev`, password: PASSWORD } },
      )
    ).logIn.accessToken;

  step('an admin (promoted in the users database), a seller (setUserRole), a category, a brand and products…');
  const adminUser = await signUp('admin');
  await query('users', "UPDATE users SET role = 'ADMIN' WHERE id = $1", [adminUser.user.id]);
  const admin = await logIn('admin');
  const sellerUser = await signUp('seller');
  await call(
    'setUserRole',
    'mutation($userId: ID!) { setUserRole(userId: $userId, role: SELLER) { role } }',
    { userId: sellerUser.user.id },
    admin,
  );
  const seller = await logIn('seller');
  const { createCategory } = await call<{ createCategory: { id: string } }>(
    'createCategory',
    'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
    { input: { name: `Bench ${runTag}` } },
    admin,
  );
  const { createBrand } = await call<{ createBrand: { id: string } }>(
    'createBrand',
    'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
    { input: { name: `Bench Brand ${runTag}` } },
    seller,
  );
  const createProduct = async (name: string, price: number) =>
    (
      await call<{ createProduct: { id: string; stockQuantity: number } }>(
        'createProduct',
        'mutation($input: CreateProductInput!) { createProduct(input: $input) { id stockQuantity } }',
        {
          input: {
            brandId: createBrand.id,
            categoryId: createCategory.id,
            name,
            description: 'A benchmark product',
            price,
            discountAmount: 0,
            gender: 'ALL',
            color: 'NAVY',
            size: 'MEDIUM',
            stockQuantity: STOCK,
          },
        },
        seller,
      )
    ).createProduct.id;
  const products: string[] = [];
  for (let index = 0; index < productCount; index += 1)
    products.push(await createProduct(`Tee ${index}`, REGULAR_PRICE));

  let sale: { id: string; productId: string } | undefined;
  if (mix) {
    step('--mix: a time sale of one more product, created an hour ahead, then moved to start in a moment…');
    const productId = await createProduct('Sale runner', SALE_PRICE);
    sale = { id: await liveSale(productId), productId };
  }

  async function liveSale(productId: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    let saleId: string | undefined;
    // timesales learns of the product from the catalog's event: until then the sale is refused
    while (saleId === undefined) {
      const created = await viaGateway(
        'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
        {
          input: {
            title: `Bench sale ${runTag}`,
            startAt: new Date(Date.now() + HOUR).toISOString(),
            endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
            products: [{ productId, discountRate: SALE_RATE, totalQuantity: STOCK, perUserLimit: STOCK }],
          },
        },
        seller,
      );
      saleId = (created.data?.createTimeSale as { id: string } | undefined)?.id;
      if (saleId !== undefined) break;
      if (Date.now() > deadline) throw new Error(`createTimeSale: ${JSON.stringify(created.errors)}`);
      await sleep(200);
    }
    for (let lead = 1_500; ; lead *= 2) {
      const startAt = new Date(Date.now() + lead);
      const moved = await viaGateway(
        'mutation($id: ID!, $input: UpdateTimeSaleInput!) { updateTimeSale(id: $id, input: $input) { id } }',
        {
          id: saleId,
          input: { startAt: startAt.toISOString(), endAt: new Date(startAt.getTime() + 24 * HOUR).toISOString() },
        },
        seller,
      );
      if (!moved.errors) break;
      if (lead > 60_000) throw new Error(`updateTimeSale: ${JSON.stringify(moved.errors)}`);
    }
    for (;;) {
      const { timeSale } = await call<{ timeSale: { status: string } }>(
        'timeSale',
        'query($id: ID!) { timeSale(id: $id) { status } }',
        { id: saleId },
      );
      if (timeSale.status === 'LIVE') return saleId;
      if (Date.now() > deadline + 60_000) throw new Error(`the sale is ${timeSale.status}, not LIVE`);
      await sleep(200);
    }
  }

  step(`signing up ${concurrency} shoppers, opening and topping up their wallets${mix ? ', granting points' : ''}…`);
  const shoppers: Shopper[] = [];
  const arranged = await closedLoop(
    concurrency,
    SETUP_IN_FLIGHT,
    async (index) => {
      const { accessToken: token, user } = await signUp(`shopper${index}`);
      await call(
        'createWallet',
        'mutation($input: CreateWalletInput!) { createWallet(input: $input) { balance } }',
        {
          input: { pin: PIN },
        },
        token,
      );
      const providerOrderId = `bench-topup-${randomUUID()}`;
      const checkout = await provider.openCheckout(providerOrderId, TOP_UP);
      const { topUpWallet } = await call<{ topUpWallet: { status: string } }>(
        'topUpWallet',
        'mutation($input: TopUpWalletInput!) { topUpWallet(input: $input) { status } }',
        { input: { amount: TOP_UP, paymentKey: checkout.paymentKey, providerOrderId } },
        token,
      );
      if (topUpWallet.status !== 'APPROVED') throw new Error(`top-up of ${TOP_UP} won: ${topUpWallet.status}`);
      if (mix) {
        await call(
          'adjustPoints',
          'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { balanceAfter } }',
          { input: { userId: user.id, amount: POINTS_GRANT, reason: 'Benchmark points' } },
          admin,
        );
      }
      const shopper: Shopper = { id: user.id, token };
      if (watchMode === 'subscription') {
        shopper.connection = await GraphqlWsConnection.open(gatewayUrl.replace(/^http/, 'ws'), {
          authorization: `Bearer ${token}`,
        });
      }
      shoppers[index] = shopper;
    },
    () => stopped,
  );
  bench.release('close the shoppers’ connections', async () => {
    await Promise.all(shoppers.map((shopper) => shopper?.connection?.close()));
  });
  if (arranged.failures > 0) throw new Error(`arranging the shoppers failed: ${arranged.failureMessages.join('; ')}`);
  const pointsBefore = new Map(
    (await query<{ user_id: string; balance: number }>('users', 'SELECT user_id, balance FROM point_accounts')).map(
      (row) => [row.user_id, row.balance],
    ),
  );

  // ------------------------------------------------------------------ one shopper's order
  type Status = { status: string; cancelReason: string | null; amountToPay: number | null };
  /** The status the order must reach next; a status it may pass on the way; anything else fails. */
  const reached = (order: Status, want: string, passing: string): boolean => {
    if (order.status === want) {
      if (order.amountToPay !== AMOUNT) throw new Error(`${want} with amountToPay ${order.amountToPay}, not ${AMOUNT}`);
      return true;
    }
    if (order.status === passing) return false;
    throw new Error(`the order is ${order.status}${order.cancelReason ? ` (${order.cancelReason})` : ''}, not ${want}`);
  };
  const statusOf = (payload: NextPayload): Status => {
    if (payload.errors || !payload.data) throw new Error(`orderStatusChanged: ${JSON.stringify(payload)}`);
    return payload.data.orderStatusChanged as Status;
  };
  /** Follows one order: the subscription, or reads through the gateway every --poll-ms. */
  const follow = (shopper: Shopper, orderId: string) => {
    if (watchMode === 'subscription') {
      const subscription = shopper.connection!.subscribe(STATUS_CHANGED, { orderId });
      return {
        until: (want: string, passing: string) =>
          subscription.until(
            (payload) => (reached(statusOf(payload), want, passing) ? true : undefined),
            WAIT_LIMIT_MS,
          ),
        stop: () => subscription.stop(),
      };
    }
    return {
      until: async (want: string, passing: string) => {
        const deadline = performance.now() + WAIT_LIMIT_MS;
        for (;;) {
          const { order } = await call<{ order: Status }>('order', ORDER_STATUS, { id: orderId }, shopper.token);
          if (reached(order, want, passing)) return true;
          if (performance.now() > deadline) throw new Error(`not ${want} within ${WAIT_LIMIT_MS} ms`);
          await sleep(pollMs);
        }
      },
      stop: () => {},
    };
  };
  let orderSequence = 0;
  const placeAndPay = async (shopper: Shopper): Promise<OrderTimes> => {
    const items: { productId: string; quantity: number; timeSaleId?: string }[] = [
      { productId: products[orderSequence++ % products.length]!, quantity: 1 },
    ];
    if (sale) items.push({ productId: sale.productId, quantity: 1, timeSaleId: sale.id });
    const input = {
      items,
      ...(mix ? { points: POINTS_PER_ORDER } : {}),
      shippingAddress: ADDRESS,
      idempotencyKey: `bench-${randomUUID()}`,
    };
    const sent = performance.now();
    const { placeOrder } = await call<{ placeOrder: { id: string; status: string } }>(
      'placeOrder',
      PLACE,
      { input },
      shopper.token,
    );
    if (placeOrder.status !== 'PENDING' || typeof placeOrder.id !== 'string') {
      throw new Error(`placeOrder answered ${JSON.stringify(placeOrder)}`);
    }
    const placed = performance.now();
    const orderId = placeOrder.id;
    const watch = follow(shopper, orderId);
    try {
      await watch.until('AWAITING_PAYMENT', 'PENDING');
      const awaiting = performance.now();
      let notFound = 0;
      let payCall = 0;
      for (;;) {
        const calledAt = performance.now();
        const answer = await viaGateway(PAY, { input: { orderId, method: 'WALLET', pin: PIN } }, shopper.token);
        payCall = performance.now() - calledAt;
        if (answer.errors?.[0]?.extensions?.code === 'NOT_FOUND' && performance.now() - awaiting < PAY_RETRY_LIMIT_MS) {
          notFound += 1;
          await sleep(PAY_RETRY_DELAY_MS);
          continue;
        }
        const { payOrder } = dataOf<{ payOrder: { orderId: string; amount: number; status: string } }>(
          'payOrder',
          answer,
        );
        if (payOrder.status !== 'APPROVED' || payOrder.orderId !== orderId || payOrder.amount !== AMOUNT) {
          throw new Error(`payOrder answered ${JSON.stringify(payOrder)} for order ${orderId}`);
        }
        break;
      }
      const payAnswered = performance.now();
      await watch.until('PAID', 'AWAITING_PAYMENT');
      const done = performance.now();
      return {
        orderId,
        total: done - sent,
        place: placed - sent,
        awaiting: awaiting - placed,
        pay: payAnswered - awaiting,
        payCall,
        paid: done - payAnswered,
        notFound,
      };
    } finally {
      watch.stop();
    }
  };

  // ------------------------------------------------------------------ the load and what it costs
  const redisPid = findProcess('redis-server');
  const rabbitPid = listeningProcess(
    Number(new URL(process.env.RABBITMQ_URL ?? 'amqp://127.0.0.1:5672').port || 5672),
    'beam.smp',
  );
  const postgres = new PostgresCpuByDatabase(subgraphs.map((subgraph) => database(subgraph).name));
  bench.release('stop sampling PostgreSQL', async () => postgres.stop());
  const processes: Record<string, () => number[]> = {
    ...Object.fromEntries([...launched].map(([name, service]) => [name, () => service.tree()])),
    provider: () => (provider.process.pid ? [provider.process.pid] : []),
    redis: () => (redisPid ? [redisPid] : []),
    rabbitmq: () => (rabbitPid ? [rabbitPid] : []),
    bench: () => [process.pid],
  };
  const paymentsNode = serviceNodeProcess(launched.get('payments')!);
  const counters = {
    paymentsPool: () => threadsCpuMs(paymentsNode, 'libuv-worker'),
    ...Object.fromEntries(
      subgraphs.map((subgraph) => [`pg:${subgraph}`, () => postgres.totalMs(database(subgraph).name)]),
    ),
  };
  const columns = columnsOf(subgraphs);
  const counted = countedOf(subgraphs);
  step(`  CPU: RabbitMQ ${rabbitPid ?? 'not found'}, Redis ${redisPid ?? 'not found'}`);

  // One continuous load, cut into windows (the warm-up, then each round) by the clock: no round
  // starts empty or ends draining. An order counts in the window it finished in; those still in
  // flight when the last round ends finish (and are checked) but count in none.
  interface Window {
    readonly round: number;
    readonly started: number;
    readonly orders: OrderTimes[];
    failures: number;
    readonly failureMessages: string[];
    readonly stop: () => Record<string, number>;
  }
  const open = (round: number): Window => ({
    round,
    started: performance.now(),
    orders: [],
    failures: 0,
    failureMessages: [],
    stop: startCpuSpan(processes, { counters }),
  });
  const close = (window: Window): Round => {
    const cpuMs = window.stop();
    cpuMs.postgres = subgraphs.reduce((sum, subgraph) => sum + cpuMs[`pg:${subgraph}`]!, 0);
    cpuMs.rest = cpuMs.machine! - counted.reduce((sum, source) => sum + cpuMs[source]!, 0);
    return { ...window, wallMs: performance.now() - window.started, cpuMs, loadAverage: os.loadavg()[0]! };
  };
  const describe = (round: Round) => {
    const paid = Math.max(1, round.orders.length);
    const total = sorted(round.orders.map((order) => order.total));
    return (
      `${((round.orders.length * 1000) / round.wallMs).toFixed(1)} paid orders/s, placeOrder→PAID p50 ` +
      `${quantile(total, 0.5).toFixed(0)} ms, p99 ${quantile(total, 0.99).toFixed(0)} ms; CPU ms/order: ` +
      columns.map(([source]) => `${source} ${(round.cpuMs[source]! / paid).toFixed(2)}`).join(', ') +
      (round.failures > 0 ? color.red(`; ${round.failures} failed: ${round.failureMessages.join(' | ')}`) : '')
    );
  };
  const names = new Map(subgraphs.map((subgraph) => [subgraph, database(subgraph).name]));
  const snapshot = async () => ({
    messages: await messageCounts(query, subgraphs),
    stats: await databaseStats(query, names),
    scans: await sequentialScans(query, subgraphs),
  });

  const phases = [...(warmupS > 0 ? [{ round: 0, seconds: warmupS }] : [])];
  for (let round = 1; round <= rounds; round += 1) phases.push({ round, seconds: durationS });
  step(
    `${concurrency} shoppers ordering: ${warmupS > 0 ? `${warmupS} s of warm-up, then ` : ''}${rounds} round(s) of ${durationS} s…`,
  );
  const measured: Round[] = [];
  let before = warmupS > 0 ? undefined : await snapshot();
  let after: Awaited<ReturnType<typeof snapshot>> | undefined;
  let window: Window | undefined = open(phases[0]!.round);
  const clock = (async () => {
    for (const [index, phase] of phases.entries()) {
      const end = window!.started + phase.seconds * 1000;
      while (!stopped && performance.now() < end) await sleep(Math.min(100, end - performance.now()));
      if (stopped) break;
      const closed = close(window!);
      const next = phases[index + 1];
      window = next ? open(next.round) : undefined;
      if (closed.round === 0) {
        step(`  warm-up: ${describe(closed)}`);
      } else {
        measured.push(closed);
        step(`  round ${closed.round}/${rounds}: ${describe(closed)}`);
      }
      // Counters around the measured rounds, read while the load goes on (steady state).
      if (next?.round === 1) before = await snapshot();
      if (!next) after = await snapshot();
    }
  })();
  const idle = [...shoppers];
  const outcome = { paid: 0, failed: 0 };
  await closedLoop(
    Number.MAX_SAFE_INTEGER,
    concurrency,
    async () => {
      const shopper = idle.pop()!;
      try {
        const times = await placeAndPay(shopper);
        outcome.paid += 1;
        window?.orders.push(times);
      } catch (error) {
        outcome.failed += 1;
        if (window) {
          window.failures += 1;
          if (window.failureMessages.length < 5) window.failureMessages.push(errorMessage(error));
        } else {
          console.error(color.red(`an order in flight after the last round failed: ${errorMessage(error)}`));
        }
        throw error;
      } finally {
        idle.push(shopper);
      }
    },
    () => stopped || window === undefined,
  );
  await clock;
  if (stopped || !before || !after) return;
  step('waiting for the sagas to settle (points earned, every outbox published)…');
  const settleProblem = await settle(query, subgraphs);
  const scans = diffCounts(before.scans, after.scans);
  const work = workBetween(before.stats, after.stats);
  const messages = diffCounts(before.messages, after.messages);

  step('where the server side’s time went (timestamps in the orders and payments databases)…');
  const measuredIds = measured.flatMap((round) => round.orders.map((order) => order.orderId));
  const server = await serverTimes(query, measuredIds);

  step('checking the outcome in every database…');
  const problems = [
    ...(settleProblem ? [settleProblem] : []),
    ...(await checkOutcome(query, {
      amount: AMOUNT,
      stock: STOCK,
      topUp: TOP_UP,
      shoppers: shoppers.map((shopper) => shopper.id),
      paid: outcome.paid,
      sale,
      pointsBefore,
    })),
  ];

  step(`argon2id verify alone, on a PIN hash the subgraph stored (${verifies} verifies, 1 and 2 in flight)…`);
  const [stored] = await query<{ pin_hash: string }>('payments', 'SELECT pin_hash FROM wallets LIMIT 1');
  const verifyFigures: VerifyFigures[] = [];
  for (const inFlight of [1, 2]) {
    verifyFigures.push(await measureVerify(stored!.pin_hash, PIN, { inFlight, count: verifies, warmup: 4 }));
  }

  report(measured, {
    started,
    loadBefore,
    hash: hashParameters(stored!.pin_hash),
    verifyFigures,
    server,
    messages,
    work,
    scans,
    columns,
    problems,
    outcome,
  });
  if (problems.length > 0 || outcome.failed > 0) process.exitCode = 1;
}

// ------------------------------------------------------------------ helpers

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The process named `comm` that listens on TCP `port` (the machine may run more than one
 * RabbitMQ: the one the services talk to is measured).
 */
function listeningProcess(port: number, comm: string): number | undefined {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      // state 0A: LISTEN; the port is the hex after the colon
      if (fields[3] === '0A' && Number.parseInt(local.slice(local.indexOf(':') + 1), 16) === port) {
        inodes.add(fields[9] ?? '');
      }
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return Number(entry);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return findProcess(comm);
}

function report(
  measured: readonly Round[],
  info: {
    started: number;
    loadBefore: readonly number[];
    hash: string;
    verifyFigures: readonly VerifyFigures[];
    server: ServerTimes;
    messages: Counts;
    work: readonly (DatabaseWork & { subgraph: string })[];
    scans: Counts;
    columns: readonly Column[];
    problems: readonly string[];
    outcome: { paid: number; failed: number };
  },
): void {
  const cores = os.availableParallelism();
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(value < 10 ? 1 : 0));
  const perRound = (pick: (round: Round) => number) => median(measured.map(pick));
  const q = (round: Round, field: keyof Omit<OrderTimes, 'orderId'>, at: number) =>
    quantile(sorted(round.orders.map((order) => order[field])), at);
  const rate = (round: Round) => (round.orders.length * 1000) / round.wallMs;
  const paidInRounds = measured.reduce((sum, round) => sum + round.orders.length, 0);
  const failedInRounds = measured.reduce((sum, round) => sum + round.failures, 0);
  const retried = measured.reduce((sum, round) => sum + round.orders.filter((order) => order.notFound > 0).length, 0);
  const notFoundCalls = measured.reduce(
    (sum, round) => sum + round.orders.reduce((calls, order) => calls + order.notFound, 0),
    0,
  );
  const cpuPerOrder = (round: Round, source: string) => round.cpuMs[source]! / Math.max(1, round.orders.length);

  console.log(
    `\n## Orders (order saga): placed and paid with the wallet through the gateway\n\n` +
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; nproc ${cores} (${cpuModel}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average ${loads(info.loadBefore)} ` +
      `before, ${loads(os.loadavg())} after. ${concurrency} shoppers (one order each in flight), ${rounds} round(s) × ` +
      `${durationS} s after ${warmupS} s of warm-up; status followed by ${watchMode === 'subscription' ? 'the orderStatusChanged subscription (graphql-ws)' : `polling order(id) every ${pollMs} ms`}; ` +
      `${mix ? `each order: a regular product, a LIVE time-sale product and ${POINTS_PER_ORDER} points` : 'each order: one regular product'} ` +
      `(${AMOUNT} won); medians of the rounds.\n`,
  );
  console.log(
    '| round | paid orders/s | placeOrder→PAID p50 (ms) | p95 | p99 | placeOrder p50 / p99 | → AWAITING_PAYMENT seen p50 / p99 | payOrder p50 / p99 | of it the APPROVED call p50 / p99 | → PAID seen p50 / p99 | paid | errors | payOrder NOT_FOUND first | machine busy | load average |',
  );
  console.log(
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const row = (
    label: string,
    pick: (field: keyof Omit<OrderTimes, 'orderId'>, at: number) => number,
    values: {
      rate: number;
      paid: number;
      failed: number;
      retried: number;
      busy: number;
      load: string;
    },
  ) =>
    `| ${label} | ${values.rate.toFixed(1)} | ${ms(pick('total', 0.5))} | ${ms(pick('total', 0.95))} | ${ms(pick('total', 0.99))} | ` +
    `${ms(pick('place', 0.5))} / ${ms(pick('place', 0.99))} | ${ms(pick('awaiting', 0.5))} / ${ms(pick('awaiting', 0.99))} | ` +
    `${ms(pick('pay', 0.5))} / ${ms(pick('pay', 0.99))} | ${ms(pick('payCall', 0.5))} / ${ms(pick('payCall', 0.99))} | ` +
    `${ms(pick('paid', 0.5))} / ${ms(pick('paid', 0.99))} | ` +
    `${values.paid} | ${values.failed} | ${values.retried} | ${values.busy.toFixed(0)} % | ${values.load} |`;
  for (const round of measured) {
    console.log(
      row(String(round.round), (field, at) => q(round, field, at), {
        rate: rate(round),
        paid: round.orders.length,
        failed: round.failures,
        retried: round.orders.filter((order) => order.notFound > 0).length,
        busy: (round.cpuMs.machine! / round.wallMs) * 100,
        load: round.loadAverage.toFixed(2),
      }),
    );
  }
  console.log(
    row('**median**', (field, at) => perRound((round) => q(round, field, at)), {
      rate: perRound(rate),
      paid: paidInRounds,
      failed: failedInRounds,
      retried,
      busy: perRound((round) => (round.cpuMs.machine! / round.wallMs) * 100),
      load: '',
    }),
  );
  console.log(
    `\npayOrder answered NOT_FOUND (payments not yet told of an order the shopper saw AWAITING_PAYMENT; retried every ` +
      `${PAY_RETRY_DELAY_MS} ms) for ${retried} of ${paidInRounds} orders, ${notFoundCalls} calls in all.`,
  );
  for (const round of measured) {
    if (round.failures > 0) console.log(color.red(`round ${round.round} errors: ${round.failureMessages.join(' | ')}`));
  }

  console.log(
    `\nCPU ms per paid order (/proc utime+stime, ${cpuResolutionMs} ms resolution; PostgreSQL: the backends of the ` +
      `${info.work.length} bench databases; Redis and RabbitMQ: the machine's servers, shared with any other work), ` +
      'median of the rounds, and share of one core (100 % = one core):\n',
  );
  console.log('| process | CPU ms per paid order | % of a core | CPU ms per order, each round |');
  console.log('| --- | ---: | ---: | --- |');
  for (const [source, head] of info.columns) {
    console.log(
      `| ${head} | ${perRound((round) => cpuPerOrder(round, source)).toFixed(2)} | ` +
        `${perRound((round) => (round.cpuMs[source]! / round.wallMs) * 100).toFixed(0)} % | ` +
        `${measured.map((round) => cpuPerOrder(round, source).toFixed(2)).join(' / ')} |`,
    );
  }

  console.log(
    `\nServer side, from the databases' timestamps (ms resolution), over the ${info.server.reserve.length} measured orders:\n`,
  );
  console.log('| interval | p50 (ms) | p95 (ms) | p99 (ms) |');
  console.log('| --- | ---: | ---: | ---: |');
  const serverRow = (label: string, values: readonly number[]) =>
    console.log(
      `| ${label} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.95))} | ${ms(quantile(values, 0.99))} |`,
    );
  serverRow('placed → AWAITING_PAYMENT (orders: the reserving steps over RabbitMQ)', info.server.reserve);
  serverRow('AWAITING_PAYMENT → payments knows the order (the awaiting-payment event)', info.server.announce);
  serverRow('payment approved → PAID (the payment-approved event, the decision)', info.server.approvedToPaid);

  const totalMessages = (kind: string) =>
    [...info.messages].filter(([key]) => key.startsWith(`${kind}\t`)).reduce((sum, [, n]) => sum + n, 0);
  const published = totalMessages('published');
  const consumed = totalMessages('consumed');
  console.log(
    `\nRabbitMQ messages per paid order, over the measured rounds (${paidInRounds} paid orders; rows each database ` +
      `wrote from the start of the first round to the end of the last, read as the load ran): ${(published / Math.max(1, paidInRounds)).toFixed(2)} published ` +
      `(outbox rows), ${(consumed / Math.max(1, paidInRounds)).toFixed(2)} applied by a consumer (inbox rows).\n`,
  );
  console.log('| messages | database | routing key / consumer queue | per paid order |');
  console.log('| --- | --- | --- | ---: |');
  for (const [key, n] of [...info.messages].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, subgraph, name] = key.split('\t');
    console.log(`| ${kind} | ${subgraph} | ${name} | ${(n / Math.max(1, paidInRounds)).toFixed(2)} |`);
  }
  console.log(
    '\nPostgreSQL work per paid order, by database, over the measured rounds (pg_stat_database, which a backend ' +
      'updates within a second), and its CPU per order (median of the rounds):\n',
  );
  console.log(
    "| database | transactions | rows inserted | rows updated | rows deleted | rows read | backends' CPU ms |",
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const per = (n: number) => (n / Math.max(1, paidInRounds)).toFixed(1);
  for (const db of info.work) {
    console.log(
      `| ${db.subgraph} | ${per(db.commits + db.rollbacks)} | ${per(db.inserted)} | ${per(db.updated)} | ${per(db.deleted)} | ` +
        `${per(db.read)} | ${perRound((round) => cpuPerOrder(round, `pg:${db.subgraph}`)).toFixed(2)} |`,
    );
  }
  const scanned = [...info.scans]
    .filter(([key, rows]) => key.startsWith('rows\t') && rows >= paidInRounds)
    .sort(([, a], [, b]) => b - a);
  console.log(
    `\nTables read by sequential scans, at least a row per paid order (pg_stat_user_tables; ${scanned.length} table(s)):\n`,
  );
  console.log('| database | table | sequential scans per paid order | rows they read per paid order |');
  console.log('| --- | --- | ---: | ---: |');
  for (const [key, rows] of scanned) {
    const [, subgraph, table] = key.split('\t');
    console.log(
      `| ${subgraph} | ${table} | ${per(info.scans.get(`scans\t${subgraph}\t${table}`) ?? 0)} | ${per(rows)} |`,
    );
  }
  const rabbitPerOrder = perRound((round) => cpuPerOrder(round, 'rabbitmq'));
  const machinePerOrder = perRound((round) => cpuPerOrder(round, 'machine'));
  const perMessage = published / Math.max(1, paidInRounds);
  console.log(
    `\nPer message published: RabbitMQ ${(rabbitPerOrder / perMessage).toFixed(2)} CPU ms, the whole machine ` +
      `${(machinePerOrder / perMessage).toFixed(2)} CPU ms (everything an order costs, spread over its messages).`,
  );

  console.log(
    `\nThe PIN check alone: argon2id verify (@node-rs/argon2, ${info.hash}) in this process, services idle:\n`,
  );
  console.log('| verifies in flight | verifies/s | p50 (ms) | p99 (ms) | CPU ms per verify |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const figures of info.verifyFigures) {
    console.log(
      `| ${figures.inFlight} | ${figures.perSecond.toFixed(0)} | ${figures.p50.toFixed(1)} | ${figures.p99.toFixed(1)} | ` +
        `${figures.cpuMsPerVerify.toFixed(1)} |`,
    );
  }
  const poolPerOrder = perRound((round) => cpuPerOrder(round, 'paymentsPool'));
  const verifyCpu = median(info.verifyFigures.map((figures) => figures.cpuMsPerVerify));
  console.log(
    `\nAn order costs the machine ${machinePerOrder.toFixed(1)} CPU ms; payments' libuv pool (argon2) ` +
      `${poolPerOrder.toFixed(1)} of them (${((poolPerOrder / machinePerOrder) * 100).toFixed(0)} %); one verify alone ` +
      `${verifyCpu.toFixed(1)} ms. At that cost the two cores carry at most ≈ ` +
      `${((cores * 1000) / machinePerOrder).toFixed(0)} paid orders/s; without the verify ≈ ` +
      `${((cores * 1000) / Math.max(0.01, machinePerOrder - poolPerOrder)).toFixed(0)}.`,
  );
  if (info.problems.length === 0 && info.outcome.failed === 0) {
    console.log(
      `Checked: ${info.outcome.paid} orders (warm-up included) answered and stored PAID with ${AMOUNT} won, one APPROVED ` +
        'payment each, every wallet its top-up less its payments (= its ledger), stock' +
        `${mix ? ', sale quantity' : ''} and points as the PAID orders say, every outbox published.`,
    );
  } else {
    if (info.outcome.failed > 0) console.log(color.red(`ERRORS: ${info.outcome.failed} orders failed (see above)`));
    for (const problem of info.problems) console.log(color.red(`WRONG: ${problem}`));
  }
  console.log(`Finished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`);
}

// Last: the classes and constants above must be initialized before main() runs.
try {
  await Promise.race([main(), bench.serviceFailure]);
  await bench.cleanup();
} catch (error) {
  if (!bench.interrupted) {
    stopped = true;
    console.error(color.red(`bench: ${errorMessage(error)}`));
    await bench.cleanup();
    process.exit(1);
  }
}

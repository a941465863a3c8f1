// `npm run bench:payments [-- --payments 200 --rounds 3 --concurrency 16,64 --shoppers 64 --warmup 300 --verifies 200]`
//
// Wallet payments of orders (`payOrder`, method WALLET, PIN checked with argon2id), every payment
// on a different order awaiting payment, at a fixed number in flight:
//   (a) through the gateway (each shopper's own access token, from a real sign-up),
//   (b) straight at the payments subgraph (with the signed context the gateway would add),
// each with the orders spread over many shoppers' wallets and, as one more figure, all on ONE
// wallet (PinGuard lets at most PIN_MAX_ATTEMPTS checks of a wallet run at once; the rest queue).
// Around every run the CPU time of each process is read from /proc, so the report says what a
// payment costs where. Then argon2id `verify` alone, on a PIN hash the subgraph stored: what the
// PIN check costs by itself, one at a time and on libuv's thread pool.
//
// The users and payments subgraphs and the gateway run as separate OS processes (scripts/bench/
// service-processes.ts), NODE_ENV=production, on fresh databases, with the payment provider fake
// as a process of its own. Shoppers sign up through the gateway, open their wallet (createWallet,
// the PIN hashed by the subgraph) and top it up through the fake (topUpWallet), as a shopper
// would. Orders awaiting payment are written into payments' payable_orders table before each run,
// outside the timed part (the orders subgraph does not exist yet; its announcement would write the
// same row). At the end the run checks that the numbers are of real work: every payment APPROVED,
// every announced order paid once, one successful PIN check per payment, each wallet's balance =
// its ledger's sum = its top-up minus its payments, no wallet locked, every payment event
// published. Everything (processes, databases, Redis keys, exchanges and queues) is removed at
// the end, on error and on Ctrl-C.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Viewer } from '@radiata/auth-context';
import { spawnProviderFake } from '@radiata/provider-fake/process';
import { createTestDatabase, deleteRedisKeys, subgraphClient, testSecrets } from '@radiata/testing';
import pg from 'pg';
import { Agent, request } from 'undici';
import { v7 } from 'uuid';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { type ClosedLoopResult, closedLoop } from './closed-loop.js';
import { cpuResolutionMs, mainThreadCpuMs, PostgresBackendsCpu, startCpuSpan, threadsCpuMs } from './cpu-time.js';
import { flagReader } from './flags.js';
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

const PAY = 'mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { id orderId amount status failureCode } }';
const PIN = '246810';
/** Every order's amount, in won. */
const AMOUNT = 12_900;
/** The wallets' limit and the largest top-up, raised so one top-up covers a shopper's whole run (balance is an int4). */
const MONEY_LIMIT = 2_000_000_000;
/** Verifies in flight for the argon2 figures; libuv's pool has 4 threads unless UV_THREADPOOL_SIZE says otherwise. */
const VERIFY_IN_FLIGHT = [1, 2, 4, 8];
/** Sign-ups, wallets and top-ups in flight while the shoppers are arranged. */
const SETUP_IN_FLIGHT = 4;

const usage = `usage: npm run bench:payments -- [--payments N] [--rounds N] [--concurrency C,C…] [--shoppers N] [--warmup N] [--verifies N]
  --payments     payments per measured run (default 200); each round has a run per target × concurrency × wallets (spread, one)
  --rounds       rounds, the targets' order alternating (default 3)
  --concurrency  payments in flight, comma-separated (default 16,64)
  --shoppers     shoppers (wallets) the spread runs share out their orders to (default 64); one more holds the one-wallet runs
  --warmup       unmeasured payments per target before the first round (default 300)
  --verifies     argon2 verifies per setting of the PIN-check figures (default 200)`;

const { values: flags } = parseArgs({
  options: {
    payments: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16,64' },
    shoppers: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '300' },
    verifies: { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const { refuse, wholeNumber } = flagReader(usage);
const paymentsPerRun = wholeNumber('payments', flags.payments, 1, 100_000);
const rounds = wholeNumber('rounds', flags.rounds, 1, 99);
const concurrencies = flags.concurrency.split(',').map((part) => wholeNumber('concurrency', part.trim(), 1, 1_000));
const shopperCount = wholeNumber('shoppers', flags.shoppers, 1, 10_000);
const warmup = wholeNumber('warmup', flags.warmup, 0, 100_000);
const verifies = wholeNumber('verifies', flags.verifies, 1, 100_000);

// What each wallet must hold for the whole run: spread runs take their orders from the shoppers in turn.
const measuredPerKind = rounds * concurrencies.length * paymentsPerRun;
const spreadPerShopper = Math.ceil((2 * warmup + 2 * measuredPerKind) / shopperCount);
const onePerShopper = 2 * measuredPerKind;
if (Math.max(spreadPerShopper, onePerShopper) * AMOUNT > MONEY_LIMIT) {
  refuse(`a wallet would have to hold more than ${MONEY_LIMIT} won: fewer payments or rounds, or more shoppers`);
}

loadLocalEnv({ generate: false }); // POSTGRES_URL, REDIS_URL, RABBITMQ_URL if .env sets them (the secrets are fresh ones)

type Target = 'gateway' | 'direct';
type Wallets = 'spread' | 'one';
/** Where CPU time is counted (plus `postgres` and `machine`, see startCpuSpan). */
const PROCESSES = ['gateway', 'payments', 'users', 'redis', 'rabbitmq', 'bench'] as const;
/**
 * Where CPU time is reported. Of the payments process: `paymentsJs` its JavaScript thread,
 * `paymentsPool` libuv's thread pool, where @node-rs/argon2 hashes (nothing else of a payment
 * runs there: no file system, DNS or zlib work).
 */
const COLUMNS = [
  ['gateway', 'gateway'],
  ['payments', 'payments'],
  ['paymentsJs', 'of it its JS thread'],
  ['paymentsPool', 'of it libuv pool (argon2)'],
  ['users', 'users'],
  ['postgres', 'PostgreSQL'],
  ['redis', 'Redis'],
  ['rabbitmq', 'RabbitMQ'],
  ['bench', 'load generator'],
  ['rest', 'rest of the machine'],
  ['machine', 'whole machine'],
] as const;
type Source = (typeof COLUMNS)[number][0];
const COUNTED: readonly Source[] = ['gateway', 'payments', 'users', 'postgres', 'redis', 'rabbitmq', 'bench'];
const columnHeads = COLUMNS.map(([, head]) => head).join(' | ');
const columnRule = COLUMNS.map(() => '---:').join(' | ');

interface Shopper {
  readonly viewer: Viewer;
  readonly token: string;
}

interface Run {
  readonly target: Target;
  readonly wallets: Wallets;
  readonly concurrency: number;
  readonly round: number;
  readonly result: ClosedLoopResult;
  readonly cpuMs: Readonly<Record<Source, number>>;
  readonly loadAverage: number;
}

let stopped = false;
const bench = startBenchRun({ onInterrupt: () => (stopped = true) });
const step = (text: string) => console.error(color.dim(text));

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

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  const providerSecret = `test_sk_bench_${randomBytes(16).toString('hex')}`;

  step('creating fresh users and payments databases, starting the provider fake…');
  const creating = Promise.all(
    (['users', 'payments'] as const).map((subgraph) =>
      createTestDatabase(subgraph, path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations')).then((database) => {
        bench.release(`drop ${database.name}`, database.drop);
        return database;
      }),
    ),
  );
  bench.pending(creating);
  const [usersDb, paymentsDb] = await creating;
  const spawning = spawnProviderFake({ secretKey: providerSecret });
  bench.pending(spawning);
  const provider = await spawning;
  bench.release('stop the provider fake', provider.stop);

  const [usersPort, paymentsPort, gatewayPort] = await freePorts(3);
  const origin = (port: number | undefined) => `http://127.0.0.1:${port}`;
  const usersPrefix = `bench:${usersDb!.name}:`;
  // 'orders': the exchange payments' consumer binds its queue to.
  const broker = benchBrokerNamespace(['users', 'payments', 'orders']);
  bench.release('delete Redis keys', () => deleteRedisKeys(usersPrefix));
  bench.release('delete the exchanges and queues', broker.cleanUp);
  const brokers = benchBrokerEnv();
  const launched = new Map<string, ServiceProcess>();
  const launch = (name: string, dir: string, env: Record<string, string>): ServiceProcess => {
    const service = launchBenchService(bench, name, dir, env);
    launched.set(name, service);
    return service;
  };
  // e.g. BENCH_PAYMENTS_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/payments-profile" to see where its time goes
  const nodeOptions = (name: string): Record<string, string> => {
    const value = process.env[`BENCH_${name.toUpperCase()}_NODE_OPTIONS`];
    return value ? { NODE_OPTIONS: value } : {};
  };

  step('starting users, payments and the gateway (tsx from source, NODE_ENV=production, LOG_LEVEL=warn)…');
  const users = launch('users', path.join('subgraphs', 'users'), {
    ...benchServiceEnv(usersPort!, secrets),
    DATABASE_URL: usersDb!.url,
    ...brokers,
    REDIS_KEY_PREFIX: usersPrefix,
    RABBITMQ_NAMESPACE: broker.namespace,
    // every shopper signs up from 127.0.0.1; a long run must not outlive its access tokens
    SIGN_UP_RATE_LIMIT: String(shopperCount + 10),
    ACCESS_TOKEN_TTL_SECONDS: String(24 * 3_600),
    ...nodeOptions('users'),
  });
  const payments = launch('payments', path.join('subgraphs', 'payments'), {
    ...benchServiceEnv(paymentsPort!, secrets),
    DATABASE_URL: paymentsDb!.url,
    ...brokers,
    RABBITMQ_NAMESPACE: broker.namespace,
    PROVIDER_BASE_URL: provider.url,
    PROVIDER_SECRET_KEY: providerSecret,
    WALLET_MAX_BALANCE: String(MONEY_LIMIT),
    PAYMENT_MAX_AMOUNT: String(MONEY_LIMIT),
    ...nodeOptions('payments'),
  });
  await Promise.all([
    waitUntilAnswering(users, `${origin(usersPort)}/readyz`),
    waitUntilAnswering(payments, `${origin(paymentsPort)}/readyz`),
  ]);
  const startedPorts = new Map([
    ['users', usersPort],
    ['payments', paymentsPort],
  ]);
  const gateway = launch('gateway', 'gateway', {
    ...benchServiceEnv(gatewayPort!, secrets),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // the subgraphs not started answer nothing (port 9): a payment's plan touches only payments
    ...Object.fromEntries(
      readSubgraphs().map(({ name }) => [
        `SUBGRAPH_${envName(name)}_URL`,
        startedPorts.has(name) ? `${origin(startedPorts.get(name))}/graphql` : 'http://127.0.0.1:9/graphql',
      ]),
    ),
    // the users subgraph's namespace: the session check reads its revocations
    REDIS_KEY_PREFIX: usersPrefix,
    // a shopper pays many orders a second here (one wallet: all of them)
    REQUEST_RATE_LIMIT: String(10_000_000),
    ...nodeOptions('gateway'),
  });
  await waitUntilAnswering(gateway, `${origin(gatewayPort)}/healthz`);
  for (const [name, service] of launched) {
    step(
      `  ${name}: ${service
        .tree()
        .map((pid) => `${pid} ${processName(pid)}`)
        .join(' → ')}`,
    );
  }

  const maxConcurrency = Math.max(...concurrencies);
  const agent = new Agent({ connections: maxConcurrency, pipelining: 1 });
  bench.release('close the gateway client', () => agent.close());
  const direct = subgraphClient(`${origin(paymentsPort)}/graphql`, secrets.GATEWAY_CONTEXT_SECRET, maxConcurrency);
  bench.release('close the payments client', () => direct.close());
  const gatewayUrl = `${origin(gatewayPort)}/graphql`;
  type Answer = { data?: Record<string, unknown> | null; errors?: { message: string }[] };
  const viaGateway = async (query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> => {
    const response = await request(gatewayUrl, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.body.json()) as Answer;
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const dataOf = <T>(what: string, answer: Answer): T => {
    if (answer.errors || !answer.data) throw new Error(`${what}: ${JSON.stringify(answer).slice(0, 400)}`);
    return answer.data as T;
  };

  // Shoppers: the spread ones, then the one-wallet shopper (the last).
  step(`signing up ${shopperCount + 1} shoppers, opening and topping up their wallets through the gateway…`);
  const runTag = randomBytes(4).toString('hex');
  const shoppers: Shopper[] = [];
  const toppedUp = new Map<string, number>();
  const arranged = await closedLoop(
    shopperCount + 1,
    SETUP_IN_FLIGHT,
    async (index) => {
      const { signUp } = dataOf<{ signUp: { accessToken: string; user: { id: string } } }>(
        'signUp',
        await viaGateway('mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }', {
          input: { email: `shopper${index}.${runTag}@bench.radiata.dev`, password: 'bench-shopper-1', name: 'Bench' },
        }),
      );
      const token = signUp.accessToken;
      dataOf(
        'createWallet',
        await viaGateway(
          'mutation($input: CreateWalletInput!) { createWallet(input: $input) { balance } }',
          { input: { pin: PIN } },
          token,
        ),
      );
      const amount = (index < shopperCount ? spreadPerShopper : onePerShopper) * AMOUNT;
      const providerOrderId = `bench-topup-${v7()}`;
      const checkout = await provider.openCheckout(providerOrderId, amount);
      const { topUpWallet } = dataOf<{ topUpWallet: { status: string } }>(
        'topUpWallet',
        await viaGateway(
          'mutation($input: TopUpWalletInput!) { topUpWallet(input: $input) { status } }',
          { input: { amount, paymentKey: checkout.paymentKey, providerOrderId } },
          token,
        ),
      );
      if (topUpWallet.status !== 'APPROVED') throw new Error(`top-up of ${amount} won: ${topUpWallet.status}`);
      shoppers[index] = { viewer: { id: signUp.user.id, role: 'CUSTOMER' }, token };
      toppedUp.set(signUp.user.id, amount);
    },
    () => stopped,
  );
  if (arranged.failures > 0) throw new Error(`arranging the shoppers failed: ${arranged.failureMessages.join('; ')}`);
  const soloShopper = shoppers[shopperCount]!;

  const db = new pg.Client({ connectionString: paymentsDb!.url });
  await db.connect();
  bench.release('close the payments database client', () => db.end());
  let spreadCursor = 0;
  /** Orders awaiting payment, as payments stores the orders subgraph's announcement: one per payment of the run. */
  const announce = async (wallets: Wallets, count: number) => {
    const owners = Array.from({ length: count }, () =>
      wallets === 'one' ? soloShopper : shoppers[spreadCursor++ % shopperCount]!,
    );
    const orderIds = owners.map(() => v7());
    await db.query(
      `INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status)
       SELECT o, u, $3, jsonb_build_object($4::text, $3::int), 'AWAITING_PAYMENT'
       FROM unnest($1::uuid[], $2::uuid[]) AS t (o, u)`,
      [orderIds, owners.map((owner) => owner.viewer.id), AMOUNT, v7()],
    );
    return owners.map((owner, index) => ({ owner, orderId: orderIds[index]! }));
  };
  const paid = new Map<string, number>();
  const pay = async (target: Target, owner: Shopper, orderId: string) => {
    const variables = { input: { orderId, method: 'WALLET', pin: PIN } };
    const answer =
      target === 'gateway'
        ? await viaGateway(PAY, variables, owner.token)
        : await direct.call<Record<string, unknown>>(owner.viewer, PAY, variables);
    const { payOrder } = dataOf<{ payOrder: { orderId: string; amount: number; status: string } }>('payOrder', answer);
    if (payOrder.status !== 'APPROVED' || payOrder.orderId !== orderId || payOrder.amount !== AMOUNT) {
      throw new Error(`payOrder answered ${JSON.stringify(payOrder)} for order ${orderId}`);
    }
    paid.set(owner.viewer.id, (paid.get(owner.viewer.id) ?? 0) + 1);
  };

  const redisPid = findProcess('redis-server');
  const rabbitPid = findProcess('beam.smp');
  const postgres = new PostgresBackendsCpu([usersDb!.name, paymentsDb!.name]);
  const processes: Record<(typeof PROCESSES)[number], () => number[]> = {
    gateway: () => gateway.tree(),
    payments: () => payments.tree(),
    users: () => users.tree(),
    redis: () => (redisPid ? [redisPid] : []),
    rabbitmq: () => (rabbitPid ? [rabbitPid] : []),
    bench: () => [process.pid],
  };

  const paymentsNode = serviceNodeProcess(payments);
  const paymentsThreads = {
    paymentsJs: () => mainThreadCpuMs(paymentsNode),
    paymentsPool: () => threadsCpuMs(paymentsNode, 'libuv-worker'),
  };

  const run = async (target: Target, wallets: Wallets, concurrency: number, count: number, round: number) => {
    const orders = await announce(wallets, count);
    const stop = startCpuSpan(processes, { postgres, counters: paymentsThreads });
    const result = await closedLoop(
      count,
      concurrency,
      (index) => pay(target, orders[index]!.owner, orders[index]!.orderId),
      () => stopped,
    );
    const cpuMs = stop() as Record<Source, number>;
    cpuMs.rest = cpuMs.machine - COUNTED.reduce((sum, source) => sum + cpuMs[source], 0);
    return { target, wallets, concurrency, round, result, cpuMs, loadAverage: os.loadavg()[0]! };
  };
  const describe = (run: Run) => {
    const done = Math.max(1, run.result.latencies.length);
    const sorted = [...run.result.latencies].sort((a, b) => a - b);
    return (
      `${((done * 1000) / run.result.wallMs).toFixed(0)} payments/s, p50 ${quantile(sorted, 0.5).toFixed(0)} ms, ` +
      `p99 ${quantile(sorted, 0.99).toFixed(0)} ms; CPU ms/payment: ` +
      COLUMNS.map(([source]) => `${source} ${(run.cpuMs[source] / done).toFixed(2)}`).join(', ') +
      (run.result.failures > 0
        ? color.red(`; ${run.result.failures} failed: ${run.result.failureMessages.join(' | ')}`)
        : '')
    );
  };

  if (warmup > 0) {
    step(`warming up: ${warmup} payments per target, ${maxConcurrency} in flight, spread…`);
    for (const target of ['gateway', 'direct'] as const) {
      const warm = await run(target, 'spread', maxConcurrency, warmup, 0);
      step(`  warm-up ${target}: ${describe(warm)}`);
    }
  }
  const runs: Run[] = [];
  for (let round = 1; round <= rounds && !stopped; round += 1) {
    const targets: Target[] = round % 2 === 1 ? ['gateway', 'direct'] : ['direct', 'gateway'];
    for (const concurrency of concurrencies) {
      for (const wallets of ['spread', 'one'] as const) {
        for (const target of targets) {
          if (stopped) break;
          const measured = await run(target, wallets, concurrency, paymentsPerRun, round);
          runs.push(measured);
          step(
            `round ${round}/${rounds} ${target.padEnd(7)} ${wallets.padEnd(6)} ×${concurrency}: ${describe(measured)}`,
          );
        }
      }
    }
  }
  if (stopped) return;

  step('checking the outcome in the payments database…');
  const problems = await checkOutcome(db, {
    paid,
    toppedUp,
    expectedPayments: [...paid.values()].reduce((a, b) => a + b, 0),
  });

  step(`argon2id verify alone, on a PIN hash the subgraph stored (${verifies} verifies per setting)…`);
  const stored = (await db.query<{ pin_hash: string }>('SELECT pin_hash FROM wallets LIMIT 1')).rows[0]!.pin_hash;
  const verifyFigures: VerifyFigures[] = [];
  for (const inFlight of VERIFY_IN_FLIGHT) {
    verifyFigures.push(await measureVerify(stored, PIN, { inFlight, count: verifies, warmup: 2 * inFlight }));
    const last = verifyFigures.at(-1)!;
    step(
      `  ${inFlight} in flight: ${last.perSecond.toFixed(0)}/s, p50 ${last.p50.toFixed(1)} ms, CPU ${last.cpuMsPerVerify.toFixed(1)} ms/verify`,
    );
  }

  report(runs, verifyFigures, { started, loadBefore, hash: hashParameters(stored), problems });
  if (problems.length > 0) process.exitCode = 1;
}

/** What is wrong with the payments database after the run (nothing: an empty list). */
async function checkOutcome(
  db: pg.Client,
  expected: { paid: ReadonlyMap<string, number>; toppedUp: ReadonlyMap<string, number>; expectedPayments: number },
): Promise<string[]> {
  const problems: string[] = [];
  const one = async <T>(sql: string) => (await db.query<T & pg.QueryResultRow>(sql)).rows[0]!;
  const payments = await one<{ approved: number; other: number; unpaid: number; orders: number }>(`
    SELECT count(*) FILTER (WHERE p.status = 'APPROVED')::int AS approved,
           count(*) FILTER (WHERE p.status <> 'APPROVED')::int AS other,
           count(*) FILTER (WHERE p.id IS NULL)::int AS unpaid,
           count(DISTINCT o.order_id)::int AS orders
    FROM payable_orders o LEFT JOIN payments p ON p.order_id = o.order_id`);
  if (payments.approved !== expected.expectedPayments || payments.other > 0 || payments.unpaid > 0) {
    problems.push(
      `order payments: ${payments.approved} APPROVED (${expected.expectedPayments} answered APPROVED), ` +
        `${payments.other} in another status, ${payments.unpaid} of ${payments.orders} orders unpaid`,
    );
  }
  const checks = await one<{ total: number; open: number; wrong: number }>(`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE finished_at IS NULL)::int AS open,
           count(*) FILTER (WHERE succeeded IS NOT TRUE)::int AS wrong FROM pin_checks`);
  if (checks.total !== expected.expectedPayments || checks.open > 0 || checks.wrong > 0) {
    problems.push(
      `PIN checks: ${checks.total} for ${expected.expectedPayments} payments, ${checks.open} unfinished, ${checks.wrong} not successful`,
    );
  }
  const wallets = await db.query<{
    user_id: string;
    balance: number;
    ledger: string;
    charges: number;
    locked: boolean;
    failed: number;
  }>(`
    SELECT w.user_id, w.balance, COALESCE(SUM(e.amount), 0)::text AS ledger,
           count(*) FILTER (WHERE e.type = 'CHARGE')::int AS charges,
           (w.locked_until IS NOT NULL) AS locked, w.failed_pin_attempts AS failed
    FROM wallets w LEFT JOIN wallet_entries e ON e.user_id = w.user_id
    GROUP BY w.user_id`);
  for (const wallet of wallets.rows) {
    const paid = expected.paid.get(wallet.user_id) ?? 0;
    const should = (expected.toppedUp.get(wallet.user_id) ?? 0) - paid * AMOUNT;
    if (wallet.balance !== Number(wallet.ledger) || wallet.balance !== should || wallet.charges !== paid) {
      problems.push(
        `wallet ${wallet.user_id}: balance ${wallet.balance}, ledger sum ${wallet.ledger}, expected ${should} ` +
          `(${wallet.charges} charges, ${paid} payments answered APPROVED)`,
      );
    }
    if (wallet.locked || wallet.failed > 0) problems.push(`wallet ${wallet.user_id}: locked or wrong PINs counted`);
  }
  if (wallets.rows.length !== expected.toppedUp.size) {
    problems.push(`${wallets.rows.length} wallets, ${expected.toppedUp.size} opened`);
  }
  // The approvals leave through the outbox to RabbitMQ: wait for the relay to publish them all.
  const deadline = Date.now() + 30_000;
  let pending = 0;
  do {
    pending = (await one<{ n: number }>('SELECT count(*)::int AS n FROM outbox_messages WHERE published_at IS NULL')).n;
    if (pending > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  } while (pending > 0 && Date.now() < deadline);
  if (pending > 0) problems.push(`${pending} payment events still unpublished in the outbox after 30 s`);
  return problems;
}

function report(
  runs: readonly Run[],
  verifyFigures: readonly VerifyFigures[],
  info: { started: number; loadBefore: readonly number[]; hash: string; problems: readonly string[] },
): void {
  const cores = os.availableParallelism();
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const kinds = concurrencies.flatMap((concurrency) =>
    (['spread', 'one'] as const).flatMap((wallets) =>
      (['gateway', 'direct'] as const).map((target) => ({ concurrency, wallets, target })),
    ),
  );
  const summary = (kind: (typeof kinds)[number]) => {
    const list = runs.filter(
      (run) => run.target === kind.target && run.wallets === kind.wallets && run.concurrency === kind.concurrency,
    );
    const count = list.reduce((sum, run) => sum + run.result.latencies.length, 0);
    const wallMs = list.reduce((sum, run) => sum + run.result.wallMs, 0);
    const sorted = (run: Run) => [...run.result.latencies].sort((a, b) => a - b);
    const cpu = (source: Source) => list.reduce((sum, run) => sum + run.cpuMs[source], 0);
    return {
      perSecond: median(list.map((run) => (run.result.latencies.length * 1000) / run.result.wallMs)),
      p50: median(list.map((run) => quantile(sorted(run), 0.5))),
      p99: median(list.map((run) => quantile(sorted(run), 0.99))),
      count,
      failures: list.reduce((sum, run) => sum + run.result.failures, 0),
      /** CPU ms per payment over all the kind's rounds. */
      perPayment: (source: Source) => cpu(source) / Math.max(1, count),
      /** Share of one core over all the kind's rounds, %. */
      ofCore: (source: Source) => (cpu(source) / wallMs) * 100,
    };
  };
  const label = (kind: (typeof kinds)[number]) =>
    `${kind.target === 'gateway' ? '(a) through the gateway' : '(b) payments subgraph directly'} | ${kind.concurrency} | ${kind.wallets === 'spread' ? `${shopperCount} wallets` : 'one wallet'}`;

  console.log(
    `\n## Wallet payments: gateway vs. payments subgraph\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${cores} (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
      `Node ${process.version}; load average ${loads(info.loadBefore)} before, ${loads(os.loadavg())} after. ` +
      `${rounds} round(s) × ${paymentsPerRun} payments per run (each on its own order of ${AMOUNT} won), after ` +
      `${warmup} warm-up payments per target; medians of the rounds. PIN hash: ${info.hash}.\n`,
  );
  console.log('| target | in flight | wallets | payments/s | p50 (ms) | p99 (ms) | payments | failed |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of kinds) {
    const row = summary(kind);
    console.log(
      `| ${label(kind)} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(0)} | ${row.p99.toFixed(0)} | ${row.count} | ${row.failures} |`,
    );
  }

  console.log(
    `\nCPU ms per payment (/proc utime+stime, ${cpuResolutionMs} ms resolution; PostgreSQL: the backends of the users ` +
      `and payments bench databases; Redis and RabbitMQ: the machine's servers, shared with any other work) and ` +
      `how busy the whole machine was (${cores * 100} % = all ${cores} cores):\n`,
  );
  console.log(`| target | in flight | wallets | ${columnHeads} | machine busy |`);
  console.log(`| --- | ---: | --- | ${columnRule} | ---: |`);
  for (const kind of kinds) {
    const row = summary(kind);
    console.log(
      `| ${label(kind)} | ${COLUMNS.map(([source]) => row.perPayment(source).toFixed(2)).join(' | ')} | ` +
        `${row.ofCore('machine').toFixed(0)} % |`,
    );
  }

  console.log('\nEach run (CPU ms per payment):\n');
  console.log(
    `| round | target | in flight | wallets | payments/s | p50 (ms) | p99 (ms) | ${columnHeads} | load avg |`,
  );
  console.log(`| ---: | --- | ---: | --- | ---: | ---: | ---: | ${columnRule} | ---: |`);
  for (const run of runs) {
    const done = Math.max(1, run.result.latencies.length);
    const sorted = [...run.result.latencies].sort((a, b) => a - b);
    console.log(
      `| ${run.round} | ${run.target} | ${run.concurrency} | ${run.wallets} | ${((done * 1000) / run.result.wallMs).toFixed(0)} | ` +
        `${quantile(sorted, 0.5).toFixed(0)} | ${quantile(sorted, 0.99).toFixed(0)} | ` +
        `${COLUMNS.map(([source]) => (run.cpuMs[source] / done).toFixed(2)).join(' | ')} | ` +
        `${run.loadAverage.toFixed(2)} |`,
    );
  }

  console.log(
    `\nThe PIN check alone: argon2id verify (@node-rs/argon2, ${info.hash}) in this process, libuv thread pool of ` +
      `${process.env.UV_THREADPOOL_SIZE ?? 4} threads:\n`,
  );
  console.log('| verifies in flight | verifies/s | p50 (ms) | p99 (ms) | CPU ms per verify |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const figures of verifyFigures) {
    console.log(
      `| ${figures.inFlight} | ${figures.perSecond.toFixed(0)} | ${figures.p50.toFixed(1)} | ${figures.p99.toFixed(1)} | ` +
        `${figures.cpuMsPerVerify.toFixed(1)} |`,
    );
  }
  const verifyCpu = median(verifyFigures.map((figures) => figures.cpuMsPerVerify));
  const reference = summary({ concurrency: concurrencies[0]!, wallets: 'spread', target: 'direct' });
  const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)} %`;
  const [processMs, jsMs, poolMs, machineMs] = (['payments', 'paymentsJs', 'paymentsPool', 'machine'] as const).map(
    (source) => reference.perPayment(source),
  ) as [number, number, number, number];
  console.log(
    `\nAt the payments subgraph (${concurrencies[0]} in flight, ${shopperCount} wallets) a payment costs the machine ` +
      `${machineMs.toFixed(1)} CPU ms, ${processMs.toFixed(1)} of them in the payments process: ${jsMs.toFixed(1)} on ` +
      `its JavaScript thread, ${poolMs.toFixed(1)} on libuv's pool (the argon2id verify: ${share(poolMs, machineMs)} ` +
      `of the machine's CPU per payment). One verify alone costs ${verifyCpu.toFixed(1)} ms on an otherwise idle ` +
      'machine (median of the settings above).',
  );
  if (info.problems.length === 0) {
    console.log(
      'Checked: every payment APPROVED, every announced order paid once, one successful PIN check per payment, ' +
        'each balance = its ledger sum = top-up − payments, no wallet locked, every payment event published.',
    );
  } else {
    for (const problem of info.problems) console.log(color.red(`WRONG: ${problem}`));
  }
  console.log(`Finished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`);
}

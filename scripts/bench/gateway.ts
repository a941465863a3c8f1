// `npm run bench:gateway [-- --connections 50 --duration 8 --rounds 2 --warmup 3 --workers 1,2 --skip-build --hive-dedupe]`
//
// Radiata's gateway against Hive Gateway (@graphql-hive/gateway-runtime, scripts/bench/hive-
// gateway.ts) on the same supergraph and the same subgraph processes, as deployed:
//   1. `npm run build` (turbo: every workspace to dist/), then every subgraph of rover.yaml and
//      Radiata's gateway run as `node <workspace>/dist/main.js`, NODE_ENV=production, LOG_LEVEL=warn; Hive as
//      `node scripts/bench/hive-gateway.ts` (Node strips the types; @radiata/auth-context from
//      dist/). Fresh databases seeded with the demo data (scripts/lib/seed.ts), a RabbitMQ
//      namespace and Redis key prefixes of the run's own; a LIVE time sale on 10 products of the
//      first page; one first-come-first-served coupon with room for every claim.
//   2. For each --workers value: Radiata's gateway with GATEWAY_WORKERS=<n> and a fresh Hive
//      Gateway; one checked answer per operation and gateway (a difference between the two
//      gateways' data is reported), --warmup seconds of unmeasured load each, then --rounds rounds, each measuring
//      every operation on each target with autocannon (--connections, --duration), Radiata and
//      Hive in alternating order:
//        catalog   { products(first: 20) { edges { node { id name brand { name } } } } }
//        product   product(id) { … brand { name owner { name } } lowestPrice { … } }: catalog,
//                  users and timesales (the product is on the live sale)
//        claim     claimCoupon, every request a different shopper (an access token minted per
//                  request with JWT_SECRET, as bench:claims does); also straight at the coupons
//                  subgraph with the signed context the gateway would add
//      Every answer is checked (HTTP 200, the checked body; a claim: ACCEPTED with a claim id).
//      Around every measurement the CPU time of each process (/proc: each gateway's and
//      subgraph's node processes, cluster workers included; the PostgreSQL backends of the run's
//      databases; redis-server; this process; the whole machine) is read, and the RSS of every
//      service is sampled (VmRSS every 500 ms, VmHWM).
//   3. After the load: the claim persister drained, nothing oversold (PostgreSQL rows = Redis
//      count ≤ quantity, ≥ accepted answers).
// Medians of the rounds are printed as markdown tables, with the ratios the issue asks for.
// Everything (processes, databases, Redis keys, exchanges and queues) is removed at the end, on
// error and on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueAccessToken } from '@radiata/auth-context';
import { deleteBrokerNames, deleteRedisKeys, signedContextHeaders, testSecrets } from '@radiata/testing';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { v7 } from 'uuid';
import { gatewayDeployedEnv } from '../lib/deployment.js';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { DEMO_PRODUCT_COUNT, seedDemoData } from '../lib/seed.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { freshDatabases, startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { cpuResolutionMs, memoryOf, PostgresBackendsCpu, startCpuSpan } from './cpu-time.js';
import { flagReader } from './flags.js';
import {
  benchBrokerEnv,
  benchServiceEnv,
  findProcess,
  freePorts,
  launchBuiltBenchService,
  processTree,
  type ServiceProcess,
  waitUntilAnswering,
} from './service-processes.js';
import { median } from './stats.js';

const CATALOG_PAGE = '{ products(first: 20) { edges { node { id name brand { name } } } } }';
const PRODUCT_PAGE =
  'query ProductPage($id: ID!) { product(id: $id) { id name salePrice brand { name owner { name } } ' +
  'lowestPrice { amount source validUntil } } }';
const CLAIM = 'mutation Claim($id: ID!) { claimCoupon(couponId: $id) { outcome claimId } }';
/** The coupon's quantity: room for every claim of the run. */
const QUANTITY = 2_000_000;
/** Shoppers minted per second of a claim measurement: above any rate this machine reaches. */
const CLAIMS_PER_SECOND_CEILING = 6_000;
/** Products of the first page on the live sale, and its rate (above any demo product's own discount). */
const SALE_PRODUCTS = 10;
const SALE_RATE = 50;
/** A signed context lives 60 s (packages/auth-context): a direct claim measurement must fit in it. */
const MAX_DURATION_SECONDS = 50;
const GATEWAY_RSS_GOAL_MIB = 256;
const RSS_SAMPLE_MS = 500;
const HIVE_ENTRY = 'scripts/bench/hive-gateway.ts';
const SUPERGRAPH_PATH = path.join(repoRoot, 'schema', 'supergraph.graphql');

const OPERATIONS = ['catalog', 'product', 'claim'] as const;
type Operation = (typeof OPERATIONS)[number];
const OPERATION_LABEL: Record<Operation, string> = {
  catalog: 'Catalog page: `products(first: 20) { … brand { name } }` (catalog)',
  product: 'Product page with lowestPrice (catalog + users + timesales)',
  claim: '`claimCoupon`, a distinct shopper per request (coupons)',
};
type Target = 'radiata' | 'hive' | 'direct';
const TARGET_LABEL: Record<Target, string> = {
  radiata: "Radiata's gateway",
  hive: 'Hive Gateway',
  direct: 'coupons subgraph alone',
};
const targetsOf = (operation: Operation): Target[] =>
  operation === 'claim' ? ['radiata', 'hive', 'direct'] : ['radiata', 'hive'];

/** What the comparison leaves out, printed beside the figures. */
const hiveDifferences = (deduplicating: boolean): string =>
  "What Radiata's gateway does per request that the Hive set-up does not: the session check (one Redis " +
  'MGET of the revocation keys per authenticated request), the request rate limit (a Redis counter per ' +
  'client, signed-in user or address, on every request: REQUEST_RATE_LIMIT, raised here so it never refuses), ' +
  'query depth/cost/alias/token limits and its input rules (validation rules and plugins), CSRF prevention, ' +
  'Prometheus metrics per operation and per subgraph fetch, an x-request-id header per request and subgraph ' +
  'fetch. Both verify the Bearer access token (verifyAccessToken of @radiata/auth-context, JWT_SECRET; 401 when invalid) and sign x-radiata-context ' +
  '(viewer, request id, client address; GATEWAY_CONTEXT_SECRET) onto every subgraph fetch with ' +
  '@radiata/auth-context. Hive runs with its defaults otherwise (masked errors, introspection allowed, no ' +
  'landing page), except that its upstream deduplication of identical in-flight queries ' +
  (deduplicating
    ? 'is ON (--hive-dedupe, its default): concurrent identical queries share one subgraph fetch, signed for the ' +
      "first request's viewer, so Hive's subgraphs see only a fraction of the requests."
    : 'is OFF (`deduplicateInflightRequests: false`): its key is taken before the signed context is added, so a ' +
      "shared fetch would answer every request with the first one's viewer; Radiata does not share fetches either.");

const usage = `usage: npm run bench:gateway -- [--connections C] [--duration S] [--rounds N] [--warmup S] [--workers 1,2] [--skip-build] [--hive-dedupe]
  --connections  concurrent connections per measurement (default 50)
  --duration     seconds per measurement (default 8, at most ${MAX_DURATION_SECONDS}: a signed context lives 60 s)
  --rounds       rounds; each measures every operation on every target, Radiata and Hive in alternating order (default 2)
  --warmup       seconds of unmeasured load per operation and target before the first round (default 3)
  --workers      GATEWAY_WORKERS values for Radiata's gateway, comma-separated (default 1,2)
  --skip-build   run the services' dist/ as it is, without \`npm run build\` first
  --hive-dedupe  leave Hive's upstream deduplication of identical in-flight queries on (its default; see
                 scripts/bench/hive-gateway.ts: it shares one subgraph fetch, and its viewer, among them)`;

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2' },
    'skip-build': { type: 'boolean', default: false },
    'hive-dedupe': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const { wholeNumber } = flagReader(usage);
const connections = wholeNumber('connections', flags.connections, 1, 10_000);
const duration = wholeNumber('duration', flags.duration, 1, MAX_DURATION_SECONDS);
const rounds = wholeNumber('rounds', flags.rounds, 1, 99);
const warmup = wholeNumber('warmup', flags.warmup, 0, 600);
const workerCounts = [...new Set(flags.workers.split(',').map((text) => wholeNumber('workers', text.trim(), 1, 64)))];

loadLocalEnv({ generate: false }); // POSTGRES_URL, REDIS_URL, RABBITMQ_URL if .env sets them (the secrets are fresh ones)
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One measured run of one operation on one target. */
interface Measurement {
  readonly workers: number;
  readonly round: number;
  readonly operation: Operation;
  readonly target: Target;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Connection errors, timeouts, non-2xx and answers other than the checked one. */
  readonly errors: number;
  /** Claims: shoppers used twice because the minted ones ran out (their answers count as errors). */
  readonly reused: number;
  readonly wallMs: number;
  /** CPU ms during the run per source (see cpuSources). */
  readonly cpuMs: Readonly<Record<string, number>>;
  readonly loadAverage: number;
}

/** Peak memory of a service: its largest process's VmHWM and the largest sampled sum of VmRSS of all its processes. */
interface Peak {
  readonly processes: number;
  /** Sum of VmRSS of its processes when first watched (started, before any load). */
  readonly startKb: number;
  readonly largestKb: number;
  readonly totalKb: number;
}

interface ConfigResult {
  readonly workers: number;
  readonly measurements: Measurement[];
  /** Operation → target → why it was not measured (its checked answer was wrong). */
  readonly broken: Map<Operation, Map<Target, string>>;
  /** Differences between the two gateways' checked answers. */
  readonly differences: string[];
  readonly peaks: Map<'radiata' | 'hive', Peak>;
}

let running: autocannon.Instance | undefined;
const bench = startBenchRun({ onInterrupt: () => running?.stop() });
const step = (text: string) => console.error(color.dim(text));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  await Promise.race([main(), bench.serviceFailure]);
  await bench.cleanup();
} catch (error) {
  if (!bench.interrupted) {
    running?.stop();
    console.error(color.red(`bench:gateway: ${errorMessage(error)}`));
    await bench.cleanup();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  const subgraphs = readSubgraphs().map((subgraph) => subgraph.name);
  for (const needed of ['users', 'catalog', 'timesales', 'coupons']) {
    if (!subgraphs.includes(needed)) throw new Error(`rover.yaml has no ${needed} subgraph`);
  }

  if (flags['skip-build']) step('--skip-build: running dist/ as it is');
  else await build();
  const entryOf = (name: string) => (name === 'gateway' ? 'gateway/dist/main.js' : `subgraphs/${name}/dist/main.js`);
  for (const name of [...subgraphs, 'gateway']) {
    if (!existsSync(path.join(repoRoot, entryOf(name)))) throw new Error(`${entryOf(name)} is missing: npm run build`);
  }

  step(`creating ${subgraphs.length} fresh databases (${subgraphs.join(', ')}), seeding users and catalog…`);
  const database = await freshDatabases(bench, subgraphs);
  await seedDemoData({ usersDatabaseUrl: database('users').url, catalogDatabaseUrl: database('catalog').url, secrets });

  const portList = await freePorts(subgraphs.length + 2);
  const ports = new Map([...subgraphs, 'radiata', 'hive'].map((name, index) => [name, portList[index]!]));
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const prefix = (subgraph: string) => `bench:${database(subgraph).name}:`;
  const broker = benchBrokerNamespace(subgraphs);
  bench.release('delete Redis keys', async () =>
    Promise.all(subgraphs.map((subgraph) => deleteRedisKeys(prefix(subgraph), REDIS_URL))).then(() => undefined),
  );
  bench.release('delete the exchanges and queues', broker.cleanUp);
  // The saga's queues and payments' catalog queue, which benchBrokerNamespace does not know of.
  bench.release('delete the saga queues', () =>
    deleteBrokerNames({
      exchanges: [],
      queues: [
        'orders.saga-replies',
        'payments.catalog',
        ...['timesales', 'catalog', 'coupons', 'users'].map((participant) => `${participant}.saga-commands`),
      ]
        .flatMap((queue) => [queue, `${queue}.dead-letter`])
        .map((queue) => broker.namespace + queue),
    }),
  );

  const startBuilt = (name: string, entry: string, env: Record<string, string>): ServiceProcess =>
    launchBuiltBenchService(bench, name, entry, env);
  const subgraphEnv = (subgraph: string): Record<string, string> => ({
    ...benchServiceEnv(ports.get(subgraph)!, secrets),
    DATABASE_URL: database(subgraph).url,
    ...benchBrokerEnv(),
    REDIS_KEY_PREFIX: prefix(subgraph),
    RABBITMQ_NAMESPACE: broker.namespace,
    // Every claim is a different shopper: the per-shopper limit is not what is measured.
    ...(subgraph === 'coupons' ? { CLAIM_RATE_LIMIT: String(1_000_000) } : {}),
  });
  const services = new Map<string, ServiceProcess>();
  step('starting timesales first (its catalog queue must exist before the catalog publishes the seeded products)…');
  services.set('timesales', startBuilt('timesales', entryOf('timesales'), subgraphEnv('timesales')));
  await waitUntilAnswering(services.get('timesales')!, `${origin('timesales')}/readyz`);
  const others = subgraphs.filter((name) => name !== 'timesales');
  step(`starting ${others.join(', ')} (node <dir>/dist/main.js, NODE_ENV=production, LOG_LEVEL=warn)…`);
  for (const subgraph of others) services.set(subgraph, startBuilt(subgraph, entryOf(subgraph), subgraphEnv(subgraph)));
  await Promise.all(others.map((name) => waitUntilAnswering(services.get(name)!, `${origin(name)}/readyz`)));

  // ---------------------------------------------------------------- data: the sale and the coupon
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const admin = () => signedContextHeaders({ id: v7(), role: 'ADMIN' }, secrets.GATEWAY_CONTEXT_SECRET, 'bench');
  const dataOf = <T>(what: string, answer: { status: number; text: string }): T => {
    const parsed = JSON.parse(answer.text) as { data?: T; errors?: unknown };
    if (answer.status !== 200 || parsed.errors || !parsed.data) {
      throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 400)}`);
    }
    return parsed.data;
  };

  step(`waiting for the timesales products projection to hold the ${DEMO_PRODUCT_COUNT} seeded products…`);
  const timesalesDb = new pg.Client({ connectionString: database('timesales').url });
  await timesalesDb.connect();
  bench.release('close the timesales database client', () => timesalesDb.end());
  const projected = async () =>
    (await timesalesDb.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE price IS NOT NULL')).rows[0]
      ?.n ?? 0;
  const projectionDeadline = Date.now() + 60_000;
  while ((await projected()) < DEMO_PRODUCT_COUNT) {
    if (Date.now() > projectionDeadline) {
      throw new Error(`the projection holds ${await projected()} of ${DEMO_PRODUCT_COUNT} products after 60 s`);
    }
    await sleep(200);
  }
  const firstPage = dataOf<{ products: { edges: { node: { id: string } }[] } }>(
    'products (catalog)',
    await post(
      `${origin('catalog')}/graphql`,
      { query: CATALOG_PAGE },
      await signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET, 'bench'),
    ),
  ).products.edges.map((edge) => edge.node.id);
  if (!firstPage[0]) throw new Error('the catalog answered an empty first page');
  const productId: string = firstPage[0];

  step(`a time sale of ${SALE_PRODUCTS} products of the first page, LIVE in 3 s for 2 hours; one coupon…`);
  const saleStart = new Date(Date.now() + 3_000);
  dataOf(
    'createTimeSale',
    await post(
      `${origin('timesales')}/graphql`,
      {
        query: 'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
        variables: {
          input: {
            title: 'Gateway benchmark sale',
            startAt: saleStart.toISOString(),
            endAt: new Date(saleStart.getTime() + 2 * 3_600_000).toISOString(),
            products: firstPage.slice(0, SALE_PRODUCTS).map((id) => ({
              productId: id,
              discountRate: SALE_RATE,
              totalQuantity: 1_000,
            })),
          },
        },
      },
      await admin(),
    ),
  );
  const couponId = dataOf<{ createCoupon: { id: string } }>(
    'createCoupon',
    await post(
      `${origin('coupons')}/graphql`,
      {
        query: 'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
        variables: {
          input: {
            title: 'Gateway benchmark',
            type: 'FIRST_COME_FIRST_SERVED',
            discountType: 'RATE',
            discountRate: 10,
            issueStartAt: new Date(Date.now() - 60_000).toISOString(),
            issueEndAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
            validDays: 1,
            totalQuantity: QUANTITY,
          },
        },
      },
      await admin(),
    ),
  ).createCoupon.id;
  await sleep(Math.max(0, saleStart.getTime() + 500 - Date.now()));

  // ---------------------------------------------------------------- measuring
  const redisPid = findProcess('redis-server');
  const postgres = new PostgresBackendsCpu(subgraphs.map((subgraph) => database(subgraph).name));
  /** The node process running `entry` in the service's tree, with its children (cluster workers). */
  const served = (service: ServiceProcess, entry: string): number[] => {
    const root = service.tree().find((pid) => commandLine(pid)[1] === entry);
    return root === undefined ? [] : processTree(root);
  };
  const subgraphPids = new Map(subgraphs.map((name) => [name, served(services.get(name)!, entryOf(name))]));
  for (const [name, pids] of subgraphPids) {
    if (pids.length === 0) throw new Error(`${name}: no node process running ${entryOf(name)}`);
  }
  const memory = memoryWatch();
  for (const [name, pids] of subgraphPids) memory.watch(name, pids);
  memory.start();
  bench.release('stop sampling memory', async () => memory.stop());

  let acceptedAnswers = 0;
  /** Claim load runs (warm-ups included): each may stop with up to --connections claims unanswered. */
  let claimRuns = 0;
  const claimBody = JSON.stringify({ query: CLAIM, variables: { id: couponId } });
  const isAccepted = (text: string): boolean => {
    try {
      const answer = JSON.parse(text) as {
        data?: { claimCoupon?: { outcome?: string; claimId?: unknown } };
        errors?: unknown;
      };
      return (
        !answer.errors &&
        answer.data?.claimCoupon?.outcome === 'ACCEPTED' &&
        typeof answer.data.claimCoupon.claimId === 'string'
      );
    } catch {
      return false;
    }
  };
  const mintShoppers = async (target: Target, count: number): Promise<Record<string, string>[]> =>
    target === 'direct'
      ? Promise.all(
          Array.from({ length: count }, () =>
            signedContextHeaders({ id: v7(), role: 'CUSTOMER' }, secrets.GATEWAY_CONTEXT_SECRET, 'bench'),
          ),
        )
      : Promise.all(
          Array.from({ length: count }, async () => {
            const { token } = await issueAccessToken(
              { id: v7(), role: 'CUSTOMER' },
              { secret: secrets.JWT_SECRET, ttlSeconds: 3_600, sessionId: v7() },
            );
            return { authorization: `Bearer ${token}` };
          }),
        );

  const results: ConfigResult[] = [];
  for (const workers of workerCounts) {
    if (bench.interrupted) break;
    const result = await measureConfig(workers);
    results.push(result);
  }
  if (bench.interrupted) return; // cleanup is under way: the databases are being dropped

  async function measureConfig(workers: number): Promise<ConfigResult> {
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((name) => [`SUBGRAPH_${envName(name)}_URL`, `${origin(name)}/graphql`]),
    );
    step(`\nGATEWAY_WORKERS=${workers}: starting Radiata's gateway (node gateway/dist/main.js) and Hive Gateway…`);
    const deployed = gatewayDeployedEnv(repoRoot);
    const radiata = startBuilt(`gateway (GATEWAY_WORKERS=${workers})`, entryOf('gateway'), {
      ...benchServiceEnv(ports.get('radiata')!, secrets),
      REDIS_URL,
      ...subgraphUrls,
      // the users subgraph's namespace: the session check reads its revocations
      REDIS_KEY_PREFIX: prefix('users'),
      // every request comes from this one address: the per-client limit would refuse most
      REQUEST_RATE_LIMIT: String(100_000_000),
      GATEWAY_WORKERS: String(workers),
      // as deployed (gateway/package.json's start script, docker-compose.yml), then e.g.
      // BENCH_GATEWAY_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/gateway-profile" to see where its time goes
      ...deployed,
      NODE_OPTIONS: `${deployed.NODE_OPTIONS} ${process.env.BENCH_GATEWAY_NODE_OPTIONS ?? ''}`.trim(),
    });
    const hive = startBuilt('hive-gateway', HIVE_ENTRY, {
      ...benchServiceEnv(ports.get('hive')!, secrets),
      SUPERGRAPH_PATH,
      ...subgraphUrls,
      HIVE_DEDUPLICATE_INFLIGHT: String(flags['hive-dedupe']),
      ...(process.env.BENCH_HIVE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_HIVE_NODE_OPTIONS } : {}),
    });
    await Promise.all([
      waitUntilAnswering(radiata, `${origin('radiata')}/readyz`),
      waitUntilAnswering(hive, `${origin('hive')}/healthcheck`),
    ]);
    const gatewayPids = {
      radiata: served(radiata, entryOf('gateway')),
      hive: served(hive, HIVE_ENTRY),
    };
    for (const [name, pids] of Object.entries(gatewayPids)) {
      if (pids.length === 0) throw new Error(`${name}: no node process found`);
      step(`  ${TARGET_LABEL[name as Target]}: pid ${pids.join(', ')} (${pids.length} process(es))`);
    }
    const radiataKey = `radiata@${workers}`;
    const hiveKey = `hive@${workers}`;
    memory.watch(radiataKey, gatewayPids.radiata);
    memory.watch(hiveKey, gatewayPids.hive);

    const url: Record<Target, string> = {
      radiata: `${origin('radiata')}/graphql`,
      hive: `${origin('hive')}/graphql`,
      direct: `${origin('coupons')}/graphql`,
    };
    const queryBody: Record<Exclude<Operation, 'claim'>, string> = {
      catalog: JSON.stringify({ query: CATALOG_PAGE }),
      product: JSON.stringify({ query: PRODUCT_PAGE, variables: { id: productId } }),
    };

    // One checked answer per operation and target; a target that fails its check is not measured.
    const broken = new Map<Operation, Map<Target, string>>(OPERATIONS.map((operation) => [operation, new Map()]));
    const expected = new Map<string, string>();
    const differences: string[] = [];
    for (const operation of ['catalog', 'product'] as const) {
      const data = new Map<Target, string>();
      for (const target of ['radiata', 'hive'] as const) {
        const answer = await post(url[target], JSON.parse(queryBody[operation]));
        const problem = checkQueryAnswer(operation, answer, productId);
        if (problem) {
          broken.get(operation)!.set(target, problem);
          console.error(color.red(`${TARGET_LABEL[target]}, ${operation}: ${problem}`));
          continue;
        }
        expected.set(`${operation}:${target}`, answer.text);
        data.set(target, JSON.stringify((JSON.parse(answer.text) as { data: unknown }).data));
      }
      if (data.size === 2 && data.get('radiata') !== data.get('hive')) {
        const difference = `${operation}: the gateways' data differ: Radiata ${data.get('radiata')!.slice(0, 300)} …; Hive ${data.get('hive')!.slice(0, 300)} …`;
        differences.push(difference);
        console.error(color.yellow(difference));
      }
    }
    for (const target of targetsOf('claim')) {
      const [shopper] = await mintShoppers(target, 1);
      const answer = await post(url[target], JSON.parse(claimBody), shopper);
      if (isAccepted(answer.text)) acceptedAnswers += 1;
      else {
        const problem = `claim not ACCEPTED: HTTP ${answer.status} ${answer.text.slice(0, 400)}`;
        broken.get('claim')!.set(target, problem);
        console.error(color.red(`${TARGET_LABEL[target]}, claim: ${problem}`));
      }
    }

    /** One load run of `seconds` on `target`; CPU and load are read around it. */
    const measure = async (operation: Operation, target: Target, seconds: number) => {
      let shoppers: Record<string, string>[] = [];
      if (operation === 'claim') shoppers = await mintShoppers(target, seconds * CLAIMS_PER_SECOND_CEILING);
      const pids = {
        radiata: gatewayPids.radiata,
        hive: gatewayPids.hive,
        ...Object.fromEntries(subgraphPids),
        redis: redisPid ? [redisPid] : [],
        bench: [process.pid],
      };
      const end = startCpuSpan(Object.fromEntries(Object.entries(pids).map(([name, list]) => [name, () => list])), {
        postgres,
      });
      const t0 = performance.now();
      const outcome = await fire({
        url: url[target],
        seconds,
        ...(operation === 'claim'
          ? { body: claimBody, shoppers, check: (text: string) => isAccepted(text) }
          : { body: queryBody[operation], expected: expected.get(`${operation}:${target}`)! }),
      });
      const wallMs = performance.now() - t0;
      const cpuMs = end();
      if (operation === 'claim') {
        acceptedAnswers += outcome.passed;
        claimRuns += 1;
      }
      if (outcome.sample) {
        console.error(color.yellow(`  ${TARGET_LABEL[target]}, ${operation}: first wrong answer: ${outcome.sample}`));
      }
      return { ...outcome, wallMs, cpuMs };
    };

    if (warmup > 0) {
      step(`  warming up: ${warmup} s per operation and target…`);
      for (const operation of OPERATIONS) {
        for (const target of targetsOf(operation)) {
          if (!broken.get(operation)!.has(target) && !bench.interrupted) await measure(operation, target, warmup);
        }
      }
    }

    const measurements: Measurement[] = [];
    for (let round = 1; round <= rounds && !bench.interrupted; round += 1) {
      for (const operation of OPERATIONS) {
        const order = round % 2 === 1 ? targetsOf(operation) : targetsOf(operation).reverse();
        for (const target of order) {
          if (broken.get(operation)!.has(target) || bench.interrupted) continue;
          const run = await measure(operation, target, duration);
          if (bench.interrupted) break;
          const measurement: Measurement = {
            workers,
            round,
            operation,
            target,
            requestsPerSecond: run.requestsPerSecond,
            p50: run.p50,
            p99: run.p99,
            requests: run.requests,
            errors: run.errors,
            reused: run.reused,
            wallMs: run.wallMs,
            cpuMs: run.cpuMs,
            loadAverage: os.loadavg()[0]!,
          };
          measurements.push(measurement);
          const perRequest = (source: string) => ((run.cpuMs[source] ?? 0) / Math.max(1, run.requests)).toFixed(2);
          const gateway = target === 'direct' ? '' : `gateway ${perRequest(target)}, `;
          step(
            `  w${workers} round ${round}/${rounds} ${operation.padEnd(7)} ${target.padEnd(7)} ` +
              `${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms; CPU ms/req: ${gateway}` +
              `${subgraphs
                .filter((name) => (run.cpuMs[name] ?? 0) / Math.max(1, run.requests) >= 0.01)
                .map((name) => `${name} ${perRequest(name)}`)
                .join(', ')}, postgres ${perRequest('postgres')}, machine ${perRequest('machine')}` +
              (run.errors > 0 ? color.red(`; ${run.errors} errors`) : '') +
              (run.reused > 0 ? color.red(`; ${run.reused} shoppers reused`) : ''),
          );
        }
      }
    }

    memory.sample();
    const peaks = new Map<'radiata' | 'hive', Peak>([
      ['radiata', memory.peak(radiataKey)],
      ['hive', memory.peak(hiveKey)],
    ]);
    step('  stopping both gateways…');
    await Promise.all([radiata.stop(), hive.stop()]);
    return { workers, measurements, broken, differences, peaks };
  }

  // ---------------------------------------------------------------- nothing oversold
  step('draining the claim persister, counting the claims…');
  const redis = new Redis(REDIS_URL);
  bench.release('close Redis', async () => void (await redis.quit()));
  const redisCount = await redis.hlen(`${prefix('coupons')}{coupon:${couponId}}:claims`);
  const couponsDb = new pg.Client({ connectionString: database('coupons').url });
  await couponsDb.connect();
  bench.release('close the coupons database client', () => couponsDb.end());
  const issued = async () =>
    (
      await couponsDb.query<{ n: number }>('SELECT count(*)::int AS n FROM coupon_issues WHERE coupon_id = $1', [
        couponId,
      ])
    ).rows[0]?.n ?? 0;
  const drainDeadline = Date.now() + 120_000;
  let rows = await issued();
  while (rows < redisCount && Date.now() < drainDeadline) {
    await sleep(200);
    rows = await issued();
  }
  memory.sample();
  const integrity = {
    acceptedAnswers,
    redisCount,
    rows,
    oversold: Math.max(0, rows - QUANTITY, redisCount - QUANTITY),
    // autocannon stops with requests in flight: the server may accept those without an answer counted
    inFlightCeiling: connections * claimRuns,
  };
  const intact =
    integrity.oversold === 0 &&
    rows === redisCount &&
    rows >= acceptedAnswers &&
    rows - acceptedAnswers <= integrity.inFlightCeiling;
  if (!intact) process.exitCode = 1;

  report({
    results,
    subgraphs,
    subgraphPeaks: new Map(subgraphs.map((name) => [name, memory.peak(name)])),
    integrity,
    intact,
    loadBefore,
    started,
    redisWatched: redisPid !== undefined,
  });
}

/** `npm run build` (turbo), its output shown only when it fails. */
async function build(): Promise<void> {
  step('npm run build (turbo: every workspace to dist/)…');
  const t0 = Date.now();
  const output: string[] = [];
  const child = spawn('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    console.error(output.join('').split('\n').slice(-60).join('\n'));
    throw new Error(`npm run build exited with code ${code}`);
  }
  step(`  built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** What is wrong with a checked catalog or product answer, or undefined when it is right. */
function checkQueryAnswer(
  operation: 'catalog' | 'product',
  answer: { status: number; text: string },
  productId: string,
): string | undefined {
  const shown = `HTTP ${answer.status} ${answer.text.slice(0, 400)}`;
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown };
  try {
    parsed = JSON.parse(answer.text) as typeof parsed;
  } catch {
    return `not JSON: ${shown}`;
  }
  if (answer.status !== 200 || parsed.errors || !parsed.data) return shown;
  if (operation === 'catalog') {
    const edges = (parsed.data.products as { edges?: { node?: { id?: unknown; brand?: { name?: unknown } } }[] })
      ?.edges;
    if (
      edges?.length !== 20 ||
      !edges.every((edge) => typeof edge.node?.id === 'string' && typeof edge.node.brand?.name === 'string')
    ) {
      return `not 20 products with their brand's name: ${shown}`;
    }
    return undefined;
  }
  const product = parsed.data.product as
    | { id?: unknown; brand?: { owner?: { name?: unknown } }; lowestPrice?: { source?: unknown } }
    | undefined;
  if (product?.id !== productId) return `not the product: ${shown}`;
  if (typeof product.brand?.owner?.name !== 'string') return `no owner name (users): ${shown}`;
  if (product.lowestPrice?.source !== 'TIME_SALE') return `lowestPrice is not the live sale's (timesales): ${shown}`;
  return undefined;
}

interface Fired {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  /** Answers that passed the check. */
  readonly passed: number;
  readonly reused: number;
  /** The first wrong answer, shortened. */
  readonly sample: string | undefined;
}

/**
 * autocannon at --connections for `seconds`: one fixed request whose every answer must equal
 * `expected`, or (`shoppers`) a request per shopper whose answer must pass `check`.
 */
async function fire(
  load: { readonly url: string; readonly seconds: number; readonly body: string } & (
    | { readonly expected: string }
    | { readonly shoppers: readonly Record<string, string>[]; readonly check: (text: string) => boolean }
  ),
): Promise<Fired> {
  let sent = 0;
  let reused = 0;
  let wrong = 0;
  let passed = 0;
  let sample: string | undefined;
  const judge = (status: number, text: string) => {
    const right = status === 200 && ('expected' in load ? text === load.expected : load.check(text));
    if (right) passed += 1;
    else {
      if (status === 200) wrong += 1; // non-2xx are counted by autocannon
      sample ??= `HTTP ${status} ${text.slice(0, 300)}`;
    }
  };
  const request: autocannon.Request = {
    onResponse: (status, text) => judge(status, text),
    ...('shoppers' in load
      ? {
          setupRequest: (base: autocannon.Request) => {
            const index = sent++;
            if (index >= load.shoppers.length) reused += 1;
            return {
              ...base,
              headers: { 'content-type': 'application/json', ...load.shoppers[index % load.shoppers.length] },
              body: load.body,
            };
          },
        }
      : {}),
  };
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      running = autocannon(
        {
          url: load.url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: load.body,
          connections,
          duration: load.seconds,
          requests: [request],
        },
        (error: unknown, outcome) => (error ? reject(error) : resolve(outcome)),
      );
    });
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx + wrong,
      passed,
      reused,
      sample,
    };
  } finally {
    running = undefined;
  }
}

/** The arguments of `pid`'s command line ([] once it is gone). */
function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Peak memory per named group of processes, sampled every RSS_SAMPLE_MS once started. (A
 * function, not a class: main() runs before a class declared down here would be initialised.)
 */
function memoryWatch() {
  const groups = new Map<string, { pids: readonly number[]; startKb: number; largestKb: number; totalKb: number }>();
  let timer: NodeJS.Timeout | undefined;
  const sample = (): void => {
    for (const group of groups.values()) {
      let total = 0;
      for (const pid of group.pids) {
        const reading = memoryOf(pid);
        if (!reading) continue;
        total += reading.rss;
        group.largestKb = Math.max(group.largestKb, reading.hwm);
      }
      group.totalKb = Math.max(group.totalKb, total);
    }
  };
  return {
    sample,
    watch(name: string, pids: readonly number[]): void {
      const group = { pids, startKb: 0, largestKb: 0, totalKb: 0 };
      groups.set(name, group);
      sample();
      group.startKb = group.totalKb;
    },
    start(): void {
      timer = setInterval(sample, RSS_SAMPLE_MS);
    },
    stop(): void {
      clearInterval(timer);
    },
    peak(name: string): Peak {
      const group = groups.get(name);
      return {
        processes: group?.pids.length ?? 0,
        startKb: group?.startKb ?? 0,
        largestKb: group?.largestKb ?? 0,
        totalKb: group?.totalKb ?? 0,
      };
    },
  };
}

function report(info: {
  readonly results: readonly ConfigResult[];
  readonly subgraphs: readonly string[];
  readonly subgraphPeaks: ReadonlyMap<string, Peak>;
  readonly integrity: {
    readonly acceptedAnswers: number;
    readonly redisCount: number;
    readonly rows: number;
    readonly oversold: number;
    readonly inFlightCeiling: number;
  };
  readonly intact: boolean;
  readonly loadBefore: readonly number[];
  readonly started: number;
  readonly redisWatched: boolean;
}): void {
  const cores = os.availableParallelism();
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const mib = (kb: number) => (kb / 1024).toFixed(0);
  const hiveVersion = (
    JSON.parse(
      readFileSync(path.join(repoRoot, 'node_modules/@graphql-hive/gateway-runtime/package.json'), 'utf8'),
    ) as { version: string }
  ).version;
  const cpuColumns = ['gateway', ...info.subgraphs, 'postgres', 'redis', 'bench', 'machine'];
  const columnHead: Record<string, string> = {
    gateway: 'gateway',
    postgres: 'PostgreSQL',
    redis: 'Redis',
    bench: 'load gen.',
    machine: 'whole machine',
  };

  console.log(
    `\n## Gateway: Radiata vs. Hive Gateway on the same supergraph and subgraphs\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${cores} (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average ${loads(info.loadBefore)} ` +
      `before, ${loads(os.loadavg())} after. ${flags['skip-build'] ? 'dist/ as found (--skip-build)' : 'Built (`npm run build`)'}, ` +
      'run as `node <dir>/dist/main.js`, ' +
      `NODE_ENV=production, LOG_LEVEL=warn; Hive Gateway: @graphql-hive/gateway-runtime ${hiveVersion} served by ` +
      `node:http (scripts/bench/hive-gateway.ts). autocannon, ${connections} connections, ${rounds} round(s) × ` +
      `${duration} s per operation and target (Radiata and Hive in alternating order), after ${warmup} s of ` +
      `warm-up each; medians of the rounds. CPU: /proc utime+stime (${cpuResolutionMs} ms resolution), ms per ` +
      `request over all rounds; "gateway" is the gateway under test (all its processes), PostgreSQL the backends ` +
      `of the run's databases${info.redisWatched ? ', Redis the redis-server process (shared with any other work)' : ''}.\n`,
  );
  console.log(`${hiveDifferences(flags['hive-dedupe'])}\n`);

  for (const result of info.results) {
    console.log(`### Radiata's gateway with GATEWAY_WORKERS=${result.workers}, Hive Gateway one process\n`);
    const of = (operation: Operation, target: Target) =>
      result.measurements.filter((m) => m.operation === operation && m.target === target);
    const summary = (operation: Operation, target: Target) => {
      const runs = of(operation, target);
      const requests = runs.reduce((sum, run) => sum + run.requests, 0);
      return {
        runs: runs.length,
        requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
        p50: median(runs.map((run) => run.p50)),
        p99: median(runs.map((run) => run.p99)),
        requests,
        errors: runs.reduce((sum, run) => sum + run.errors, 0),
        reused: runs.reduce((sum, run) => sum + run.reused, 0),
        cpu: (source: string) => runs.reduce((sum, run) => sum + (run.cpuMs[source] ?? 0), 0) / Math.max(1, requests),
      };
    };
    console.log(
      `| operation | target | req/s | p50 (ms) | p99 (ms) | requests | errors | ` +
        `${cpuColumns.map((column) => `CPU ms/req ${columnHead[column] ?? column}`).join(' | ')} |`,
    );
    console.log(`| --- | --- | ---: | ---: | ---: | ---: | ---: | ${cpuColumns.map(() => '---:').join(' | ')} |`);
    for (const operation of OPERATIONS) {
      for (const target of targetsOf(operation)) {
        const problem = result.broken.get(operation)?.get(target);
        if (problem) {
          console.log(`| ${operation} | ${TARGET_LABEL[target]} | failed its check: not measured | | | | | |`);
          continue;
        }
        const row = summary(operation, target);
        if (row.runs === 0) continue;
        const cpu = cpuColumns.map((column) =>
          column === 'gateway' ? (target === 'direct' ? '–' : row.cpu(target).toFixed(2)) : row.cpu(column).toFixed(2),
        );
        console.log(
          `| ${operation} | ${TARGET_LABEL[target]} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ` +
            `${row.requests} | ${row.errors}${row.reused > 0 ? ` (${row.reused} shoppers reused)` : ''} | ${cpu.join(' | ')} |`,
        );
      }
    }

    console.log('\n| goal | figures (req/s) | ratio | met |');
    console.log('| --- | ---: | ---: | --- |');
    /** `minimum` undefined: a figure for reference, no goal. */
    const ratioRow = (goal: string, a: number, b: number, minimum?: number) => {
      const ratio = a / b;
      const shown = Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
      const met = Number.isFinite(ratio) && minimum !== undefined ? (ratio >= minimum ? 'yes' : '**no**') : '–';
      console.log(`| ${goal} | ${a.toFixed(0)} / ${b.toFixed(0)} | ${shown} | ${met} |`);
    };
    for (const operation of OPERATIONS) {
      ratioRow(
        `${operation}: Radiata / Hive ≥ 1.0`,
        summary(operation, 'radiata').requestsPerSecond,
        summary(operation, 'hive').requestsPerSecond,
        1,
      );
    }
    ratioRow(
      'claim: through Radiata / coupons alone ≥ 0.7',
      summary('claim', 'radiata').requestsPerSecond,
      summary('claim', 'direct').requestsPerSecond,
      0.7,
    );
    ratioRow(
      'claim: through Hive / coupons alone (for reference)',
      summary('claim', 'hive').requestsPerSecond,
      summary('claim', 'direct').requestsPerSecond,
    );

    console.log(
      '\n| gateway | processes | RSS when started (MiB, all processes) | peak RSS, largest process (MiB, VmHWM) | ' +
        `peak RSS, all its processes (MiB, sampled) | under ${GATEWAY_RSS_GOAL_MIB} MiB |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const [key, peak] of result.peaks) {
      const under = peak.largestKb / 1024 < GATEWAY_RSS_GOAL_MIB && peak.totalKb / 1024 < GATEWAY_RSS_GOAL_MIB;
      console.log(
        `| ${TARGET_LABEL[key]} | ${peak.processes} | ${mib(peak.startKb)} | ${mib(peak.largestKb)} | ${mib(peak.totalKb)} | ` +
          `${under ? 'yes' : '**no**'} |`,
      );
    }
    for (const problem of [...result.broken.entries()].flatMap(([operation, targets]) =>
      [...targets].map(([target, why]) => `${TARGET_LABEL[target]}, ${operation}: ${why}`),
    )) {
      console.log(`\nNot measured: ${problem}`);
    }
    for (const difference of result.differences) console.log(`\nNote: ${difference}`);

    console.log('\nEach measurement:\n');
    console.log(
      '| round | operation | target | req/s | p50 (ms) | p99 (ms) | errors | gateway CPU ms/req | machine busy | load avg |',
    );
    console.log('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const m of result.measurements) {
      const gatewayCpu = m.target === 'direct' ? '–' : ((m.cpuMs[m.target] ?? 0) / Math.max(1, m.requests)).toFixed(2);
      const busy = (((m.cpuMs.machine ?? 0) / (m.wallMs * cores)) * 100).toFixed(0);
      console.log(
        `| ${m.round} | ${m.operation} | ${m.target} | ${m.requestsPerSecond.toFixed(0)} | ${m.p50} | ${m.p99} | ` +
          `${m.errors} | ${gatewayCpu} | ${busy} % | ${m.loadAverage.toFixed(2)} |`,
      );
    }
    console.log('');
  }

  console.log('Subgraphs (whole run):\n');
  console.log('| subgraph | processes | RSS when first watched (MiB) | peak RSS (MiB, VmHWM) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, peak] of info.subgraphPeaks) {
    console.log(`| ${name} | ${peak.processes} | ${mib(peak.startKb)} | ${mib(peak.largestKb)} |`);
  }

  const { acceptedAnswers, redisCount, rows, oversold, inFlightCeiling } = info.integrity;
  console.log(
    `\nClaims: ${acceptedAnswers} answered ACCEPTED; ${redisCount} accepted in Redis, ${rows} issued in PostgreSQL, ` +
      `of ${QUANTITY}; oversold ${oversold}; ${rows - acceptedAnswers} accepted without an answer counted ` +
      `(in flight when a load run stopped; at most ${inFlightCeiling}). ` +
      (info.intact ? 'Nothing oversold or lost.' : color.red('CHECK FAILED.')) +
      `\n${Object.entries(OPERATION_LABEL)
        .map(([operation, label]) => `${operation}: ${label}`)
        .join('; ')}.\nFinished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`,
  );
}

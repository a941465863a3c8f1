// `npm run bench:lowest-price [-- --requests 200 --rounds 3 --warmup 50 --sales 4]`
//
// A page of 100 products with their lowest price, with the lowest-price cache hit vs. missed, in
// the same run on the same processes:
//   (a) through the gateway: `products(first: 100) { … lowestPrice { … } }` (the catalog's page,
//       then one `_entities` fetch of 100 products from timesales),
//   (b) the same 100 representations sent straight to the timesales subgraph (`_entities`, with
//       the signed context the gateway would add): the lowest-price part alone.
// Miss: the page's 100 cache keys are deleted before each request (outside the timed part), so
// every request computes all 100 answers (one SQL statement, the live quantities of the selling
// sale products, and the store) while everything else stays warm (JIT, pools, query plans).
// Hit: nothing is deleted (a request before the run fills the cache); every request reads the
// 100 answers in one Redis round trip. Requests are sequential (one at a time): concurrent
// requests would refill each other's deleted keys, and what is compared is the cost of a page.
//
// Every subgraph of rover.yaml and the gateway run as separate OS processes (scripts/bench/
// service-processes.ts), NODE_ENV=production, on fresh databases seeded with the demo data
// (scripts/lib/seed.ts). Timesales starts first, so its catalog queue is bound before the catalog's
// outbox relay publishes the seeded products; the benchmark waits until the products projection
// holds them all, then starts a few time sales on products of the page. Rounds alternate the order
// of the four runs; medians of the rounds are printed as markdown. Everything (processes,
// databases, Redis keys, the queue) is removed at the end, on error and on Ctrl-C.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deleteRedisKeys, signedContextHeaders, testSecrets } from '@radiata/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { v7 } from 'uuid';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { DEMO_PRODUCT_COUNT, seedDemoData } from '../lib/seed.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { freshDatabases, startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { cpuResolutionMs, machineBusyMs, PostgresBackendsCpu, processCpuMs } from './cpu-time.js';
import { flagReader } from './flags.js';
import {
  benchBrokerEnv,
  benchServiceEnv,
  findProcess,
  freePorts,
  launchBenchService,
  processName,
  type ServiceProcess,
  waitUntilAnswering,
} from './service-processes.js';
import { median, quantile } from './stats.js';

const PAGE = 100;
const PRICE_FIELDS = 'lowestPrice { amount regularPrice discountRate source validUntil }';
const GATEWAY_QUERY = `query Page { products(first: ${PAGE}) { edges { node { id name ${PRICE_FIELDS} } } } }`;
const DIRECT_QUERY = `query Prices($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id ${PRICE_FIELDS} } } }`;
/** Products per live sale, and their discount rates (above any demo product's own discount of at most 40 %). */
const PER_SALE = 10;
const SALE_RATES = [45, 50, 55, 60, 65, 70];

const usage = `usage: npm run bench:lowest-price -- [--requests N] [--rounds N] [--warmup N] [--sales N]
  --requests  sequential requests per run (default 200); each round has 4 runs: gateway/direct × hit/miss
  --rounds    rounds, each in another order (default 3)
  --warmup    unmeasured requests per run kind before the first round (default 50)
  --sales     live time sales of ${PER_SALE} products of the page each (default 4, at most ${PAGE / PER_SALE})`;

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '50' },
    sales: { type: 'string', default: '4' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const flag = flagReader(usage);
const wholeNumber = (name: 'requests' | 'rounds' | 'warmup' | 'sales', min: number, max: number): number =>
  flag.wholeNumber(name, flags[name], min, max);
const requests = wholeNumber('requests', 1, 100_000);
const rounds = wholeNumber('rounds', 1, 99);
const warmup = wholeNumber('warmup', 0, 100_000);
const saleCount = wholeNumber('sales', 0, PAGE / PER_SALE);

loadLocalEnv({ generate: false }); // POSTGRES_URL, REDIS_URL, RABBITMQ_URL if .env sets them
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Target = 'gateway' | 'direct';
type Mode = 'hit' | 'miss';
type Source = 'gateway' | 'catalog' | 'timesales' | 'postgres' | 'redis' | 'bench' | 'machine';
const SOURCES: readonly Source[] = ['gateway', 'catalog', 'timesales', 'postgres', 'redis', 'bench'];

interface Run {
  readonly target: Target;
  readonly mode: Mode;
  readonly round: number;
  /** ms per request, in order. */
  readonly latencies: readonly number[];
  /** Answers that differ from the checked one, or failed requests. */
  readonly failures: number;
  readonly wallMs: number;
  readonly cpuMs: Readonly<Record<Source, number>>;
}

const bench = startBenchRun();

const step = (text: string) => console.error(color.dim(text));

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

  const portList = await freePorts(subgraphs.length + 1);
  const ports = new Map([...subgraphs, 'gateway'].map((name, index) => [name, portList[index]!]));
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
  const timesales = launch('timesales', path.join('subgraphs', 'timesales'), {
    ...subgraphEnv('timesales'),
    // e.g. BENCH_TIMESALES_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/timesales-profile" to see where its time goes
    ...(process.env.BENCH_TIMESALES_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_TIMESALES_NODE_OPTIONS } : {}),
  });
  await waitUntilAnswering(timesales, `${origin('timesales')}/readyz`);
  const others = subgraphs.filter((name) => name !== 'timesales');
  step(`starting ${others.join(', ')} and the gateway (tsx from source, NODE_ENV=production, LOG_LEVEL=warn)…`);
  for (const subgraph of others) launch(subgraph, path.join('subgraphs', subgraph), subgraphEnv(subgraph));
  await Promise.all(others.map((name) => waitUntilAnswering(launched.get(name)!, `${origin(name)}/healthz`)));
  const gateway = launch('gateway', 'gateway', {
    ...base('gateway'),
    ...Object.fromEntries(subgraphs.map((name) => [`SUBGRAPH_${envName(name)}_URL`, `${origin(name)}/graphql`])),
    // Every request comes from this one address: the per-client request limit would refuse most.
    REQUEST_RATE_LIMIT: String(100_000_000),
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

  step(`waiting for the timesales products projection to hold the ${DEMO_PRODUCT_COUNT} seeded products…`);
  const timesalesDb = new pg.Client({ connectionString: database('timesales').url });
  await timesalesDb.connect();
  bench.release('close the timesales database client', () => timesalesDb.end());
  const projected = async () =>
    (await timesalesDb.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE price IS NOT NULL')).rows[0]
      ?.n ?? 0;
  const deadline = Date.now() + 60_000;
  while ((await projected()) < DEMO_PRODUCT_COUNT) {
    if (Date.now() > deadline)
      throw new Error(`the projection holds ${await projected()} of ${DEMO_PRODUCT_COUNT} products after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const post = async (url: string, body: string, headers: Record<string, string> = {}): Promise<string> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 300)}`);
    return text;
  };
  const gatewayBody = JSON.stringify({ query: GATEWAY_QUERY });
  const page = JSON.parse(await post(`${origin('gateway')}/graphql`, gatewayBody)) as {
    data?: { products: { edges: { node: { id: string } }[] } };
  };
  const ids = page.data?.products.edges.map((edge) => edge.node.id) ?? [];
  if (ids.length !== PAGE) throw new Error(`the page has ${ids.length} products, not ${PAGE}`);

  step(`starting ${saleCount} time sale(s) of ${PER_SALE} products of the page each…`);
  const admin = () => signedContextHeaders({ id: v7(), role: 'ADMIN' }, secrets.GATEWAY_CONTEXT_SECRET, 'bench');
  const startAt = new Date(Date.now() + 3_000);
  for (let sale = 0; sale < saleCount; sale += 1) {
    const answer = await post(
      `${origin('timesales')}/graphql`,
      JSON.stringify({
        query: 'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
        variables: {
          input: {
            title: `Benchmark sale ${sale + 1}`,
            startAt: startAt.toISOString(),
            endAt: new Date(startAt.getTime() + 2 * 3_600_000).toISOString(),
            products: ids.slice(sale * PER_SALE, (sale + 1) * PER_SALE).map((productId) => ({
              productId,
              discountRate: SALE_RATES[sale % SALE_RATES.length],
              totalQuantity: 1_000,
            })),
          },
        },
      }),
      await admin(),
    );
    if (answer.includes('"errors"')) throw new Error(`createTimeSale: ${answer.slice(0, 500)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt.getTime() + 500 - Date.now())));

  // One checked answer per target: every measured answer must equal it.
  const directHeaders = () => signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET, 'bench');
  const directBody = JSON.stringify({
    query: DIRECT_QUERY,
    variables: { representations: ids.map((id) => ({ __typename: 'Product', id })) },
  });
  const send = (target: Target, headers: Record<string, string>) =>
    target === 'gateway'
      ? post(`${origin('gateway')}/graphql`, gatewayBody)
      : post(`${origin('timesales')}/graphql`, directBody, headers);
  const expected = {
    gateway: await send('gateway', {}),
    direct: await send('direct', await directHeaders()),
  };
  for (const [target, body] of Object.entries(expected)) {
    const onSale = (body.match(/"source":"TIME_SALE"/g) ?? []).length;
    const priced = (body.match(/"amount":/g) ?? []).length;
    if (body.includes('"errors"') || priced !== PAGE || onSale !== saleCount * PER_SALE) {
      throw new Error(`${target}: unexpected answer (${priced} prices, ${onSale} on sale): ${body.slice(0, 400)}`);
    }
  }

  const redis = new Redis(REDIS_URL);
  bench.release('close Redis', async () => void (await redis.quit()));
  const keys = ids.map((id) => `${prefix('timesales')}{lp:${id}}`);
  const redisPid = findProcess('redis-server');
  const postgres = new PostgresBackendsCpu([database('timesales').name, database('catalog').name]);
  const trees: Record<Exclude<Source, 'postgres' | 'machine'>, () => number[]> = {
    gateway: () => launched.get('gateway')!.tree(),
    catalog: () => launched.get('catalog')!.tree(),
    timesales: () => launched.get('timesales')!.tree(),
    redis: () => (redisPid ? [redisPid] : []),
    bench: () => [process.pid],
  };

  const run = async (target: Target, mode: Mode, count: number, round: number): Promise<Run> => {
    const headers = target === 'direct' ? await directHeaders() : {}; // a signed context lives 60 s
    if (mode === 'hit') await send(target, headers); // fills whatever a miss run left empty
    const pids = Object.fromEntries(Object.entries(trees).map(([source, tree]) => [source, tree()])) as Record<
      string,
      number[]
    >;
    const cpuOf = () => Object.fromEntries(Object.entries(pids).map(([source, list]) => [source, sumCpu(list)]));
    postgres.begin();
    const machineBefore = machineBusyMs();
    const before = cpuOf();
    const latencies: number[] = [];
    let failures = 0;
    const t0 = performance.now();
    for (let i = 0; i < count; i += 1) {
      if (mode === 'miss') await redis.del(...keys);
      const sent = performance.now();
      try {
        if ((await send(target, headers)) !== expected[target]) failures += 1;
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - sent);
    }
    const wallMs = performance.now() - t0;
    const after = cpuOf();
    const cpuMs = { postgres: postgres.end().cpuMs, machine: machineBusyMs() - machineBefore } as Record<
      Source,
      number
    >;
    for (const source of Object.keys(pids)) cpuMs[source as Source] = (after[source] ?? 0) - (before[source] ?? 0);
    return { target, mode, round, latencies, failures, wallMs, cpuMs };
  };

  const kinds: [Target, Mode][] = [
    ['gateway', 'hit'],
    ['gateway', 'miss'],
    ['direct', 'hit'],
    ['direct', 'miss'],
  ];
  if (warmup > 0) {
    step(`warming up: ${warmup} requests per run kind…`);
    for (const [target, mode] of kinds) await run(target, mode, warmup, 0);
  }
  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order = kinds.map((_, index) => kinds[(index + round - 1) % kinds.length]!);
    for (const [target, mode] of order) {
      const result = await run(target, mode, requests, round);
      runs.push(result);
      const sorted = [...result.latencies].sort((a, b) => a - b);
      step(
        `round ${round}/${rounds} ${target.padEnd(7)} ${mode.padEnd(4)} p50 ${quantile(sorted, 0.5).toFixed(1)} ms, ` +
          `p99 ${quantile(sorted, 0.99).toFixed(1)} ms; CPU ms/request: ` +
          SOURCES.map((source) => `${source} ${(result.cpuMs[source] / requests).toFixed(2)}`).join(', ') +
          (result.failures > 0 ? color.red(`, ${result.failures} failed`) : ''),
      );
    }
  }
  report(runs, { started, loadBefore });
}

function sumCpu(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
}

function report(runs: readonly Run[], info: { started: number; loadBefore: readonly number[] }): void {
  const cores = os.availableParallelism();
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const of = (target: Target, mode: Mode) => runs.filter((run) => run.target === target && run.mode === mode);
  const summary = (target: Target, mode: Mode) => {
    const list = of(target, mode);
    const stat = (q: number) =>
      median(
        list.map((run) =>
          quantile(
            [...run.latencies].sort((a, b) => a - b),
            q,
          ),
        ),
      );
    const count = list.reduce((sum, run) => sum + run.latencies.length, 0);
    const cpu = (source: Source) => list.reduce((sum, run) => sum + run.cpuMs[source], 0) / Math.max(1, count);
    const mean = median(list.map((run) => run.latencies.reduce((sum, ms) => sum + ms, 0) / run.latencies.length));
    return {
      p50: stat(0.5),
      p90: stat(0.9),
      p99: stat(0.99),
      mean,
      count,
      failures: list.reduce((sum, run) => sum + run.failures, 0),
      cpu,
    };
  };
  const rows = [
    ['(a) through the gateway', 'gateway', 'hit'],
    ['(a) through the gateway', 'gateway', 'miss'],
    ['(b) timesales `_entities` directly', 'direct', 'hit'],
    ['(b) timesales `_entities` directly', 'direct', 'miss'],
  ] as const;
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `\n## Lowest prices of a 100-product page: cache hit vs. miss\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${cores} (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
      `Node ${process.version}; load average ${loads(info.loadBefore)} before, ${loads(os.loadavg())} after. ` +
      `${rounds} round(s) × ${requests} sequential requests per run, after ${warmup} warm-up requests per run; ` +
      `medians of the rounds. ${saleCount} live sale(s) × ${PER_SALE} products on the page.\n`,
  );
  console.log('| target | cache | p50 (ms) | p90 (ms) | p99 (ms) | mean (ms) | requests | failed |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, target, mode] of rows) {
    const row = summary(target, mode);
    console.log(
      `| ${label} | ${mode} | ${row.p50.toFixed(1)} | ${row.p90.toFixed(1)} | ${row.p99.toFixed(1)} | ` +
        `${row.mean.toFixed(1)} | ${row.count} | ${row.failures} |`,
    );
  }
  console.log(
    `\nCPU ms per request (/proc utime+stime, ${cpuResolutionMs} ms resolution; PostgreSQL: the backends of the ` +
      'timesales and catalog bench databases; Redis: the redis-server process, shared with any other work):\n',
  );
  console.log(`| target | cache | ${SOURCES.join(' | ')} | whole machine |`);
  console.log(`| --- | --- | ${SOURCES.map(() => '---: | ').join('')}---: |`);
  for (const [label, target, mode] of rows) {
    const row = summary(target, mode);
    console.log(
      `| ${label} | ${mode} | ${SOURCES.map((source) => row.cpu(source).toFixed(2)).join(' | ')} | ` +
        `${row.cpu('machine').toFixed(2)} |`,
    );
  }
  const ratio = (target: Target) => summary(target, 'miss').p50 / summary(target, 'hit').p50;
  console.log(
    `\nA miss costs ${ratio('direct').toFixed(1)}× the p50 of a hit at the timesales subgraph and ` +
      `${ratio('gateway').toFixed(1)}× through the gateway.\nFinished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`,
  );
}

// `npm run bench:catalog-cpu [-- --baseline DIR --connections 200 --duration 8 --rounds 5 --first 100]`
//
// CPU per request of the catalog subgraph serving one anonymous page of `--first` products with
// every scalar field, brand and category (issue 9, finding 11b: the page an abuser repeats). The
// catalog runs as a separate OS process, as `npm run dev` runs it (`node node_modules/.bin/tsx
// --conditions=radiata-source subgraphs/catalog/src/main.ts`, NODE_ENV=production), against a
// fresh database seeded with the demo data. autocannon sends the page straight to it (with the
// signed context the gateway would add) at a fixed concurrency; around every run the CPU time of
// the catalog's process tree and of its PostgreSQL backends is read from /proc.
//
// With `--baseline DIR` (another copy of the repository's files whose node_modules links to this
// one's, its own workspaces under @radiata: see docs/BENCHMARKS.md), that tree's catalog runs too,
// on the same database, and the two are measured in interleaved runs (A B, B A, …) so that the
// machine's background load falls on both alike; their answers must be byte-for-byte identical.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, signedContextHeaders, testSecrets } from '@radiata/testing';
import autocannon from 'autocannon';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { seedDemoData } from '../lib/seed.js';
import { startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { cpuResolutionMs, PostgresBackendsCpu, processCpuMs } from './cpu-time.js';
import {
  benchBrokerEnv,
  freePorts,
  type ServiceProcess,
  startServiceProcess,
  waitUntilAnswering,
} from './service-processes.js';

const pageQuery = (first: number) =>
  `query Page { products(first: ${first}) { edges { cursor node { id name description price discountAmount ` +
  'salePrice gender color size status stockQuantity createdAt updatedAt brand { id name createdAt owner { id } } ' +
  'category { id name } } } pageInfo { hasNextPage endCursor } } }';
/** Signed context headers live 60 s (packages/auth-context); each run gets a fresh one. */
const MAX_DURATION_SECONDS = 50;

const usage = `usage: npm run bench:catalog-cpu -- [--baseline DIR] [--connections C] [--duration S] [--rounds N] [--warmup S] [--first N]
  --baseline     another checkout of the repository: its catalog is measured side by side (default: none)
  --connections  concurrent connections (default 200)
  --duration     seconds per measured run (default 8, at most ${MAX_DURATION_SECONDS})
  --rounds       rounds; each measures every target, in alternating order (default 5)
  --warmup       seconds of unmeasured load per target first (default 5)
  --first        products per page (default 100)
  BENCH_CATALOG_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/catalog-profile" profiles the catalog process(es).`;

const { values: flags } = parseArgs({
  options: {
    baseline: { type: 'string' },
    connections: { type: 'string', default: '200' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '5' },
    first: { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const whole = (name: 'connections' | 'duration' | 'rounds' | 'warmup' | 'first', max: number, min = 1): number => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(color.red(`--${name} must be a whole number from ${min} to ${max}\n`) + usage);
    process.exit(2);
  }
  return value;
};
const connections = whole('connections', 10_000);
const duration = whole('duration', MAX_DURATION_SECONDS);
const rounds = whole('rounds', 99);
const warmup = whole('warmup', 600, 0);
const first = whole('first', 100);
const baselineRoot = flags.baseline ? path.resolve(flags.baseline) : undefined;

loadLocalEnv({ generate: false });

interface Run {
  readonly target: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly failures: number;
  readonly catalogCpuMs: number;
  readonly postgresCpuMs: number;
}

let running: { stop: () => void } | undefined;
const bench = startBenchRun({ onInterrupt: () => running?.stop() });
const step = (text: string) => console.error(color.dim(text));

try {
  await Promise.race([main(), bench.serviceFailure]);
  await bench.cleanup();
} catch (error) {
  if (!bench.interrupted) {
    running?.stop();
    console.error(color.red(`bench: ${errorMessage(error)}`));
    await bench.cleanup();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  step('creating fresh users and catalog databases, seeding the demo data…');
  const databases = await Promise.all(
    ['users', 'catalog'].map(async (subgraph) => {
      const database = await createTestDatabase(
        subgraph,
        path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations'),
      );
      bench.release(`drop ${database.name}`, database.drop);
      return database;
    }),
  );
  const [users, catalog] = databases as [(typeof databases)[0], (typeof databases)[0]];
  await seedDemoData({ usersDatabaseUrl: users.url, catalogDatabaseUrl: catalog.url, secrets });

  const trees = new Map<string, string>([['current', repoRoot]]);
  if (baselineRoot) trees.set('baseline', baselineRoot);
  const ports = await freePorts(trees.size * 2);
  const broker = benchBrokerNamespace(['catalog']);
  bench.release('delete the exchanges', broker.cleanUp);
  const brokers = benchBrokerEnv();
  const nodeOptions = process.env.BENCH_CATALOG_NODE_OPTIONS;
  const services = new Map<string, { service: ServiceProcess; url: string }>();
  for (const [index, [target, root]] of [...trees].entries()) {
    const port = ports[index]!;
    const service = startServiceProcess(
      `catalog (${target})`,
      path.join(root, 'subgraphs', 'catalog', 'src', 'main.ts'),
      {
        ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
        ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        // tsx reads the tsconfig of its working directory (this repository), which covers no other tree.
        TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        METRICS_PORT: String(ports[trees.size + index]!),
        DATABASE_URL: catalog.url,
        JWT_SECRET: secrets.JWT_SECRET,
        GATEWAY_CONTEXT_SECRET: secrets.GATEWAY_CONTEXT_SECRET,
        ...brokers,
        REDIS_KEY_PREFIX: `bench:${catalog.name}:${target}:`,
        RABBITMQ_NAMESPACE: `${broker.namespace}${target}.`,
      },
      bench.serviceFailed,
    );
    bench.services.push(service);
    bench.release(`stop catalog (${target})`, () => service.stop());
    services.set(target, { service, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all([...services.values()].map(({ service, url }) => waitUntilAnswering(service, `${url}/readyz`)));

  const query = pageQuery(first);
  const body = JSON.stringify({ query });
  const headers = async () => ({
    'content-type': 'application/json',
    ...(await signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET, 'bench')),
  });
  // One checked answer: every target must give exactly it, and every answer under load too.
  let expected: string | undefined;
  for (const [target, { url }] of services) {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: await headers(), body });
    const text = await response.text();
    const edges = (JSON.parse(text) as { data?: { products: { edges: unknown[] } } }).data?.products.edges;
    if (!response.ok || edges?.length !== first || text.includes('"errors"')) {
      throw new Error(`${target}: unexpected answer (HTTP ${response.status}): ${text.slice(0, 500)}`);
    }
    if (expected !== undefined && text !== expected) throw new Error(`${target}: its answer differs from current's`);
    expected = text;
  }
  step(`answers checked: ${first} products, ${expected!.length} bytes${services.size > 1 ? ', identical' : ''}`);

  const fire = async (target: string, seconds: number): Promise<autocannon.Result> => {
    const options: autocannon.Options = {
      url: `${services.get(target)!.url}/graphql`,
      method: 'POST',
      headers: await headers(),
      body,
      expectBody: expected!,
      connections,
      duration: seconds,
      workers: 1,
    };
    try {
      return await new Promise<autocannon.Result>((resolve, reject) => {
        running = autocannon(options, (error: unknown, result) => (error ? reject(error) : resolve(result)));
      });
    } finally {
      running = undefined;
    }
  };

  const targets = [...services.keys()];
  if (warmup > 0) {
    step(`warming up: ${warmup} s per target…`);
    for (const target of targets) await fire(target, warmup);
  }
  const postgres = new PostgresBackendsCpu([catalog.name]);
  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 === 1 ? targets : [...targets].reverse();
    for (const target of order) {
      const pids = services.get(target)!.service.tree();
      const cpu = () => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
      postgres.begin();
      const before = cpu();
      const result = await fire(target, duration);
      const catalogCpuMs = cpu() - before;
      const postgresCpuMs = postgres.end().cpuMs;
      const run: Run = {
        target,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
        catalogCpuMs,
        postgresCpuMs,
      };
      runs.push(run);
      step(
        `round ${round}/${rounds} ${target.padEnd(8)} ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, ` +
          `p99 ${run.p99} ms; CPU ms/request: catalog ${perRequest(run.catalogCpuMs, run)}, ` +
          `PostgreSQL ${perRequest(run.postgresCpuMs, run)}; load ${os.loadavg()[0]!.toFixed(2)}` +
          (run.failures > 0 ? color.red(`, ${run.failures} failed`) : ''),
      );
    }
  }

  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `\n## Catalog subgraph: ${first}-product page, CPU per request\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${os.availableParallelism()} (${cpuModel}); Node ${process.version}; ` +
      `load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')} before. ${connections} connections, ` +
      `${rounds} round(s) × ${duration} s per target (alternating order) after ${warmup} s of warm-up; ` +
      `medians of the rounds; CPU from /proc (${cpuResolutionMs} ms resolution).\n`,
  );
  console.log(
    '| target | req/s | p50 (ms) | p99 (ms) | catalog CPU ms/request | PostgreSQL CPU ms/request | requests | failed |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const target of targets) {
    const of = runs.filter((run) => run.target === target);
    const med = (pick: (run: Run) => number) => median(of.map(pick));
    console.log(
      `| ${target === 'current' ? 'current tree' : `baseline (${baselineRoot})`} | ${med((run) => run.requestsPerSecond).toFixed(0)} | ` +
        `${med((run) => run.p50)} | ${med((run) => run.p99)} | ` +
        `${med((run) => run.catalogCpuMs / Math.max(1, run.requests)).toFixed(2)} | ` +
        `${med((run) => run.postgresCpuMs / Math.max(1, run.requests)).toFixed(2)} | ` +
        `${of.reduce((sum, run) => sum + run.requests, 0)} | ${of.reduce((sum, run) => sum + run.failures, 0)} |`,
    );
  }
}

function perRequest(ms: number, run: Run): string {
  return (ms / Math.max(1, run.requests)).toFixed(2);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

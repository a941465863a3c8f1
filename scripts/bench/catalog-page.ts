// `npm run bench:catalog [-- --duration 10 --rounds 3 --connections 32 --warmup 5]`
//
// Throughput and latency of one page of 20 products with brand and owner, (a) through the gateway
// and (b) straight at the catalog subgraph (with the signed context header the gateway would
// send). The gateway and every subgraph of rover.yaml (the gateway's /readyz asks them all) run
// as separate OS processes, `node node_modules/.bin/tsx
// --conditions=radiata-source <dir>/src/main.ts` in production mode, configured through
// environment variables only, against fresh databases seeded with the demo data (lib/seed.ts) by
// this process. autocannon fires from a worker thread at a fixed concurrency, in alternating rounds;
// around every round the CPU time of each process (/proc) is read, so the report says where the
// time goes per request. Medians are printed as a markdown table. Services and databases are
// removed at the end, on error and on Ctrl-C.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, signedContextHeaders, testSecrets } from '@radiata/testing';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { DEMO_PRODUCT_COUNT, seedDemoData } from '../lib/seed.js';
import { envName, readSubgraphs } from '../lib/subgraphs.js';
import { startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { cpuResolutionMs, machineBusyMs, PostgresBackendsCpu, processCpuMs } from './cpu-time.js';
import {
  benchBrokerEnv,
  benchServiceEnv,
  freePorts,
  launchBenchService,
  processName,
  type ServiceProcess,
  waitUntilAnswering,
} from './service-processes.js';

const GATEWAY_QUERY =
  'query Page { products(first: 20) { edges { node { id name salePrice brand { name owner { id name } } } } } }';
/** The catalog knows a user only by id: `name` lives in the users subgraph, which only the gateway joins in. */
const DIRECT_QUERY =
  'query Page { products(first: 20) { edges { node { id name salePrice brand { name owner { id } } } } } }';
/** Signed context headers live 60 s (packages/auth-context); each direct round gets a fresh one. */
const MAX_DURATION_SECONDS = 50;

const usage = `usage: npm run bench:catalog -- [--duration S] [--rounds N] [--connections C] [--warmup S]
  --duration     seconds per measured run (default 10, at most ${MAX_DURATION_SECONDS})
  --rounds       rounds; each measures both targets, in alternating order (default 3)
  --connections  concurrent connections (default 32)
  --warmup       seconds of unmeasured load per target before the first round (default 5)`;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const positive = (name: keyof typeof flags, max = Number.MAX_SAFE_INTEGER, min = 1): number => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(color.red(`--${name} must be a whole number from ${min} to ${max}\n`) + usage);
    process.exit(2);
  }
  return value;
};
const duration = positive('duration', MAX_DURATION_SECONDS);
const rounds = positive('rounds', 99);
const connections = positive('connections', 10_000);
const warmup = positive('warmup', 600, 0);

loadLocalEnv({ generate: false }); // POSTGRES_URL, RABBITMQ_URL if .env sets them (the secrets are fresh ones)

type Target = 'gateway' | 'direct';
/**
 * Where CPU time is counted: the gateway and every subgraph process (by name), `postgres` (the
 * backends of the bench databases), `bench` (this process: autocannon's worker thread and the
 * main thread) and `machine` (busy time of all cores).
 */
type CpuSource = string;
/** The subgraphs this page reads from; the others (rover.yaml) run because the gateway's /readyz needs them. */
const QUERIED = new Set(['users', 'catalog']);

interface Measurement {
  readonly target: Target;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Connection errors, timeouts, non-2xx answers and bodies that differ from the expected page. */
  readonly failures: number;
  readonly wallMs: number;
  /** CPU ms consumed during the run, per source. */
  readonly cpuMs: Readonly<Record<CpuSource, number>>;
  readonly loadAverage: number;
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
  const started = Date.now();
  const loadBefore = os.loadavg();
  const secrets = testSecrets();
  const migrations = (subgraph: string) => path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations');

  const subgraphs = readSubgraphs().map((subgraph) => subgraph.name);
  for (const needed of QUERIED) {
    if (!subgraphs.includes(needed)) throw new Error(`rover.yaml has no ${needed} subgraph`);
  }

  step(`creating ${subgraphs.length} fresh databases (${subgraphs.join(', ')}), seeding users and catalog…`);
  // Safety net, released last: any database this run created (their names carry this pid), even
  // one whose creation a Ctrl-C interrupted.
  bench.release('drop leftover databases', dropLeftoverDatabases);
  const creating = Promise.all(
    subgraphs.map((subgraph) =>
      createTestDatabase(subgraph, migrations(subgraph)).then((database) => {
        bench.release(`drop ${database.name}`, database.drop);
        return [subgraph, database] as const;
      }),
    ),
  );
  bench.pending(creating);
  const databases = new Map(await creating);
  const database = (subgraph: string) => databases.get(subgraph)!;
  await seedDemoData({
    usersDatabaseUrl: database('users').url,
    catalogDatabaseUrl: database('catalog').url,
    secrets,
  });

  step(
    `starting ${subgraphs.join(', ')} and the gateway as separate processes ` +
      '(tsx from source, NODE_ENV=production, LOG_LEVEL=warn)…',
  );
  const portList = await freePorts(subgraphs.length + 1);
  const ports = new Map([...subgraphs, 'gateway'].map((name, index) => [name, portList[index]!]));
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const base = (name: string): Record<string, string> => benchServiceEnv(ports.get(name)!, secrets);
  const launch = (name: string, dir: string, env: Record<string, string>): ServiceProcess =>
    launchBenchService(bench, name, dir, env);
  // Every subgraph gets the brokers' URLs (a schema ignores variables it does not declare) and,
  // for Redis, a key prefix of its own: other work may share the same Redis.
  const brokers = benchBrokerEnv();
  const launched = new Map<string, ServiceProcess>();
  // timesales consumes catalog events: exchanges and queues of this run's own (a development
  // timesales would take the events otherwise), deleted at the end.
  const broker = benchBrokerNamespace(subgraphs);
  bench.release('delete the exchanges and queues', broker.cleanUp);
  for (const subgraph of subgraphs) {
    const { name, url } = database(subgraph);
    launched.set(
      subgraph,
      launch(subgraph, path.join('subgraphs', subgraph), {
        ...base(subgraph),
        DATABASE_URL: url,
        ...brokers,
        REDIS_KEY_PREFIX: `bench:${name}:`,
        RABBITMQ_NAMESPACE: broker.namespace,
      }),
    );
  }
  await Promise.all(subgraphs.map((name) => waitUntilAnswering(launched.get(name)!, `${origin(name)}/healthz`)));
  // Started after the subgraphs, so it is stopped before them (releases run in reverse order).
  const gateway = launch('gateway', 'gateway', {
    ...base('gateway'),
    ...Object.fromEntries(subgraphs.map((name) => [`SUBGRAPH_${envName(name)}_URL`, `${origin(name)}/graphql`])),
    // Every request comes from this one address: the per-client request limit would refuse most.
    REQUEST_RATE_LIMIT: String(100_000_000),
  });
  launched.set('gateway', gateway);
  await waitUntilAnswering(gateway, `${origin('gateway')}/healthz`);
  // The gateway's /readyz asks every subgraph's /readyz (database, brokers).
  await waitUntilAnswering(gateway, `${origin('gateway')}/readyz`).catch(async (error: unknown) => {
    for (const name of subgraphs) {
      const answer = await fetch(`${origin(name)}/readyz`).then(
        async (response) => `HTTP ${response.status} ${await response.text()}`,
        (failure: unknown) => errorMessage(failure),
      );
      console.error(color.red(`${name} /readyz: ${answer}`));
    }
    throw error;
  });
  // Each service is tsx's CLI and the node process it runs the service in: both are counted.
  const trees = new Map<CpuSource, () => number[]>([...launched].map(([name, service]) => [name, service.tree]));
  for (const [name, tree] of trees) {
    step(
      `  ${name} :${ports.get(name)}: ${tree()
        .map((pid) => `${pid} ${processName(pid)}`)
        .join(' → ')}`,
    );
  }
  trees.set('bench', () => [process.pid]);
  const sources: CpuSource[] = ['gateway', ...subgraphs, 'postgres', 'bench'];

  const directHeaders = async () => signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET, 'bench');
  const targets: Record<Target, { url: string; query: string; headers: () => Promise<Record<string, string>> }> = {
    gateway: { url: `${origin('gateway')}/graphql`, query: GATEWAY_QUERY, headers: async () => ({}) },
    direct: { url: `${origin('catalog')}/graphql`, query: DIRECT_QUERY, headers: directHeaders },
  };

  // One correct answer per target: every answer under load must equal it byte for byte.
  const expected = {} as Record<Target, string>;
  for (const [target, { url, query, headers }] of Object.entries(targets) as [Target, (typeof targets)[Target]][]) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headers()) },
      body: JSON.stringify({ query }),
    });
    const body = await response.text();
    const parsed = JSON.parse(body) as {
      data?: { products: { edges: { node: { brand: { owner: { id: string; name?: string } } } }[] } };
      errors?: unknown[];
    };
    const edges = parsed.data?.products.edges ?? [];
    if (!response.ok || parsed.errors || edges.length !== 20) {
      throw new Error(`${target}: unexpected answer (HTTP ${response.status}): ${body.slice(0, 500)}`);
    }
    if (target === 'gateway' && !edges.every((edge) => typeof edge.node.brand.owner.name === 'string')) {
      throw new Error(`gateway: owners came back without names: ${body.slice(0, 500)}`);
    }
    expected[target] = body;
  }

  const fire = async (target: Target, seconds: number): Promise<autocannon.Result> => {
    const { url, query, headers } = targets[target];
    const options: autocannon.Options = {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headers()) },
      body: JSON.stringify({ query }),
      expectBody: expected[target],
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

  if (warmup > 0) {
    step(`warming up: ${warmup} s per target…`);
    for (const target of ['gateway', 'direct'] as const) await fire(target, warmup);
  }

  const postgres = new PostgresBackendsCpu([...databases.values()].map(({ name }) => name));
  /** CPU ms of every counted pid (a service's process tree is re-read each round: tsx may add an esbuild child). */
  const cpuNow = (pids: ReadonlyMap<CpuSource, readonly number[]>) => {
    const sample = new Map<number, number>();
    for (const pid of [...pids.values()].flat()) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) sample.set(pid, ms);
    }
    return sample;
  };

  const measurements: Measurement[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order: Target[] = round % 2 === 1 ? ['gateway', 'direct'] : ['direct', 'gateway'];
    for (const target of order) {
      const pids = new Map([...trees].map(([source, tree]) => [source, tree()]));
      postgres.begin();
      const machineBefore = machineBusyMs();
      const before = cpuNow(pids);
      const t0 = performance.now();
      const result = await fire(target, duration);
      const wallMs = performance.now() - t0;
      const after = cpuNow(pids);
      const machineAfter = machineBusyMs();
      const backends = postgres.end();
      const cpuMs: Record<CpuSource, number> = { postgres: backends.cpuMs, machine: machineAfter - machineBefore };
      for (const [source, list] of pids) {
        // A process that ended meanwhile (only tsx's esbuild helper could) counts for nothing.
        const delta = (pid: number) => (after.get(pid) ?? Number.NaN) - (before.get(pid) ?? Number.NaN);
        cpuMs[source] = list.reduce((sum, pid) => sum + (Number.isNaN(delta(pid)) ? 0 : delta(pid)), 0);
      }
      const measurement: Measurement = {
        target,
        round,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
        wallMs,
        cpuMs,
        loadAverage: os.loadavg()[0]!,
      };
      measurements.push(measurement);
      const perRequest = (source: CpuSource) => (cpuMs[source]! / Math.max(1, measurement.requests)).toFixed(2);
      step(
        `round ${round}/${rounds} ${target.padEnd(7)} ${measurement.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${measurement.p50} ms, p99 ${measurement.p99} ms; CPU ms/req: ` +
          sources.map((source) => `${source} ${perRequest(source)}`).join(', ') +
          ` (${backends.backends} backends); machine ${busy(cpuMs.machine!, wallMs)} busy` +
          (measurement.failures > 0 ? color.red(`, ${measurement.failures} failed`) : ''),
      );
    }
  }

  report(measurements, { started, loadBefore, products: DEMO_PRODUCT_COUNT, sources, subgraphs });
}

/** Drops every database named radiata_<subgraph>_test_<this pid>_… (createTestDatabase's names). */
async function dropLeftoverDatabases(): Promise<void> {
  const client = new pg.Client({
    connectionString: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `radiata\\_%\\_test\\_${process.pid}\\_%`,
    ]);
    for (const { datname } of rows) {
      console.error(color.yellow(`cleanup: dropping leftover database ${datname}`));
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** Busy share of the whole machine's capacity (all cores) during `wallMs`. */
function busy(machineMs: number, wallMs: number): string {
  return `${((machineMs / (wallMs * os.availableParallelism())) * 100).toFixed(0)} %`;
}

function report(
  measurements: readonly Measurement[],
  info: {
    started: number;
    loadBefore: readonly number[];
    products: number;
    /** Every counted source but `machine`, in table order. */
    sources: readonly CpuSource[];
    subgraphs: readonly string[];
  },
): void {
  const cores = os.availableParallelism();
  const label = (source: CpuSource): string => {
    if (source === 'gateway') return 'gateway';
    if (source === 'postgres') return `PostgreSQL (backends of the ${info.subgraphs.length} bench databases)`;
    if (source === 'bench') return 'load generator (this process: autocannon worker + main thread)';
    return `${source} subgraph${QUERIED.has(source) ? '' : ' (not in this query; idle)'}`;
  };
  const of = (target: Target) => measurements.filter((measurement) => measurement.target === target);
  const summary = (target: Target) => {
    const runs = of(target);
    const requests = runs.reduce((sum, run) => sum + run.requests, 0);
    const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
    const cpu = (source: CpuSource) => runs.reduce((sum, run) => sum + (run.cpuMs[source] ?? 0), 0);
    return {
      requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      requests,
      failures: runs.reduce((sum, run) => sum + run.failures, 0),
      /** CPU ms per request over all rounds of the target (total CPU / total requests). */
      perRequest: (source: CpuSource) => cpu(source) / Math.max(1, requests),
      /** Share of one core over all rounds of the target. */
      ofCore: (source: CpuSource) => (cpu(source) / wallMs) * 100,
    };
  };
  const gateway = summary('gateway');
  const direct = summary('direct');
  const rows = [
    ['(a) through the gateway', gateway],
    ['(b) catalog subgraph directly¹', direct],
  ] as const;
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');

  console.log(
    `\n## Catalog page: 20 products with brand and owner\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${cores} (${cpuModel}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average ${loads(info.loadBefore)} ` +
      `before, ${loads(os.loadavg())} after. Services: separate processes, ` +
      `\`node node_modules/.bin/tsx --conditions=radiata-source <dir>/src/main.ts\`, NODE_ENV=production, ` +
      `LOG_LEVEL=warn.\n` +
      `${connections} connections, ${rounds} round(s) × ${duration} s per target (alternating order), ` +
      `after ${warmup} s of warm-up per target; medians of the rounds. ${info.products} seeded products.\n`,
  );
  console.log('| target | req/s | p50 latency (ms) | p99 latency (ms) | requests | failed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, row] of rows) {
    console.log(
      `| ${name} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.requests} | ${row.failures} |`,
    );
  }

  console.log(
    `\nCPU time during the measured rounds (/proc utime+stime, ${cpuResolutionMs} ms resolution): ` +
      `ms per request, and share of one core (the machine has ${cores}; "whole machine" is busy time of all cores, ` +
      `${cores * 100} % = saturated).\n`,
  );
  console.log('| process | (a) gateway: CPU ms/request | % of a core | (b) direct: CPU ms/request | % of a core |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const cpuRow = (label: string, a: number, aCore: number, b: number, bCore: number) =>
    console.log(`| ${label} | ${a.toFixed(2)} | ${aCore.toFixed(0)} | ${b.toFixed(2)} | ${bCore.toFixed(0)} |`);
  const ours = info.sources;
  for (const source of ours) {
    cpuRow(
      label(source),
      gateway.perRequest(source),
      gateway.ofCore(source),
      direct.perRequest(source),
      direct.ofCore(source),
    );
  }
  const sum = (row: typeof gateway, f: 'perRequest' | 'ofCore') => ours.reduce((total, s) => total + row[f](s), 0);
  const rest = (row: typeof gateway, f: 'perRequest' | 'ofCore') => row[f]('machine') - sum(row, f);
  cpuRow(
    'sum of the above',
    sum(gateway, 'perRequest'),
    sum(gateway, 'ofCore'),
    sum(direct, 'perRequest'),
    sum(direct, 'ofCore'),
  );
  cpuRow(
    'rest of the machine (other work, PostgreSQL background processes, kernel)',
    rest(gateway, 'perRequest'),
    rest(gateway, 'ofCore'),
    rest(direct, 'perRequest'),
    rest(direct, 'ofCore'),
  );
  cpuRow(
    'whole machine (all processes, /proc/stat)',
    gateway.perRequest('machine'),
    gateway.ofCore('machine'),
    direct.perRequest('machine'),
    direct.ofCore('machine'),
  );

  console.log('\nEach round (CPU ms per request):\n');
  console.log(`| round | target | req/s | p50 (ms) | p99 (ms) | ${ours.join(' | ')} | machine busy | load avg |`);
  console.log(`| ---: | --- | ---: | ---: | ---: | ${ours.map(() => '---: | ').join('')}---: | ---: |`);
  for (const run of measurements) {
    const perRequest = (source: CpuSource) => ((run.cpuMs[source] ?? 0) / Math.max(1, run.requests)).toFixed(2);
    console.log(
      `| ${run.round} | ${run.target} | ${run.requestsPerSecond.toFixed(0)} | ${run.p50} | ${run.p99} | ` +
        `${ours.map(perRequest).join(' | ')} | ${busy(run.cpuMs.machine ?? 0, run.wallMs)} | ` +
        `${run.loadAverage.toFixed(2)} |`,
    );
  }
  const fewer = (1 - gateway.requestsPerSecond / direct.requestsPerSecond) * 100;
  const slower = (gateway.p50 / direct.p50 - 1) * 100;
  console.log(
    `\nGateway overhead: ${fewer.toFixed(0)} % fewer requests per second, ${slower.toFixed(0)} % higher p50 latency ` +
      `than the catalog subgraph alone.\n` +
      '¹ Directly, `owner` resolves only `id` (the catalog knows users by key); through the gateway the users ' +
      'subgraph adds `name` (one batched entity fetch per page).\n' +
      `Finished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

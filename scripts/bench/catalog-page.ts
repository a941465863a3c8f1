// `npm run bench:catalog [-- --duration 10 --rounds 3 --connections 32 --warmup 5]`
//
// Throughput and latency of one page of 20 products with brand and owner, (a) through the gateway
// and (b) straight at the catalog subgraph (with the signed context header the gateway would
// send). Users, catalog and gateway run in this process on ephemeral ports, in production mode,
// against fresh databases seeded with the demo data (lib/seed.ts); autocannon fires from a worker
// thread (its own event loop) at a fixed concurrency, in alternating rounds; medians are printed
// as a markdown table. Servers and databases are removed at the end, on error and on Ctrl-C.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogConfig } from '@radiata/catalog/config';
import { startCatalogSubgraph } from '@radiata/catalog/service';
import { startGateway } from '@radiata/gateway/server';
import { createLogger } from '@radiata/observability';
import { createTestDatabase, signedContextHeaders, testSecrets } from '@radiata/testing';
import { loadUsersConfig } from '@radiata/users/config';
import { startUsersSubgraph } from '@radiata/users/service';
import autocannon from 'autocannon';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { DEMO_PRODUCT_COUNT, seedDemoData } from '../lib/seed.js';

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

// Production mode for every service: no Sandbox, no introspection, what a deployment runs.
process.env.NODE_ENV = 'production';
loadLocalEnv({ generate: false }); // POSTGRES_URL, RABBITMQ_URL if .env sets them (the secrets are fresh ones)
const silent = (service: string) => createLogger(service, 'silent');

type Target = 'gateway' | 'direct';
interface Measurement {
  readonly target: Target;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Connection errors, timeouts, non-2xx answers and bodies that differ from the expected page. */
  readonly failures: number;
}

// Cleanup: every resource registers how to release it; released in reverse order, once.
const releases: { what: string; release: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
const cleanup = (): Promise<void> => {
  cleaning ??= (async () => {
    for (const { what, release } of releases.reverse()) {
      try {
        await release();
      } catch (error) {
        console.error(color.yellow(`cleanup: ${what}: ${errorMessage(error)}`));
      }
    }
  })();
  return cleaning;
};
let running: { stop: () => void } | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(color.yellow(`\n${signal}: stopping the load, the servers and dropping the databases…`));
    running?.stop();
    void cleanup().finally(() => process.exit(130));
  });
}

const step = (text: string) => console.error(color.dim(text));

try {
  await main();
  await cleanup();
} catch (error) {
  if (!interrupted) {
    console.error(color.red(`bench: ${errorMessage(error)}`));
    await cleanup();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const secrets = testSecrets();
  const migrations = (subgraph: string) => path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations');

  step('creating and seeding two fresh databases…');
  const [usersDb, catalogDb] = await Promise.all([
    createTestDatabase('users', migrations('users')),
    createTestDatabase('catalog', migrations('catalog')),
  ]);
  releases.push({ what: `drop ${usersDb.name}`, release: usersDb.drop });
  releases.push({ what: `drop ${catalogDb.name}`, release: catalogDb.drop });
  await seedDemoData({ usersDatabaseUrl: usersDb.url, catalogDatabaseUrl: catalogDb.url, secrets });

  step('starting users, catalog and gateway (NODE_ENV=production, logs silent)…');
  const common = { ...secrets, NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0' };
  const users = await startUsersSubgraph(loadUsersConfig({ ...common, DATABASE_URL: usersDb.url }), silent('users'));
  releases.push({ what: 'stop users', release: users.stop });
  const catalog = await startCatalogSubgraph(
    loadCatalogConfig({ ...common, DATABASE_URL: catalogDb.url, RABBITMQ_URL: process.env.RABBITMQ_URL }),
    silent('catalog'),
  );
  releases.push({ what: 'stop catalog', release: catalog.stop });
  // The gateway's defaults (gateway/src/config.ts), as `npm start` runs it with NODE_ENV=production.
  const gateway = await startGateway(
    {
      ...secrets,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PORT: 0,
      MAX_QUERY_DEPTH: 10,
      MAX_QUERY_COST: 5000,
      MAX_QUERY_ALIASES: 15,
      MAX_QUERY_TOKENS: 2000,
      SUBGRAPH_TIMEOUT_MS: 10_000,
    },
    silent('gateway'),
    {
      supergraphSdl: readFileSync(path.join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: { users: users.url, catalog: catalog.url },
    },
  );
  // Released before the subgraphs (reverse order).
  releases.push({ what: 'stop gateway', release: gateway.stop });

  const directHeaders = async () => signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET, 'bench');
  const targets: Record<Target, { url: string; query: string; headers: () => Promise<Record<string, string>> }> = {
    gateway: { url: gateway.url, query: GATEWAY_QUERY, headers: async () => ({}) },
    direct: { url: catalog.url, query: DIRECT_QUERY, headers: directHeaders },
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

  const measurements: Measurement[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order: Target[] = round % 2 === 1 ? ['gateway', 'direct'] : ['direct', 'gateway'];
    for (const target of order) {
      const result = await fire(target, duration);
      const measurement: Measurement = {
        target,
        round,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
      };
      measurements.push(measurement);
      step(
        `round ${round}/${rounds} ${target.padEnd(7)} ${measurement.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${measurement.p50} ms, p99 ${measurement.p99} ms` +
          (measurement.failures > 0 ? color.red(`, ${measurement.failures} failed`) : ''),
      );
    }
  }

  report(measurements, { started, products: DEMO_PRODUCT_COUNT });
}

function report(measurements: readonly Measurement[], info: { started: number; products: number }): void {
  const of = (target: Target) => measurements.filter((measurement) => measurement.target === target);
  const summary = (target: Target) => {
    const runs = of(target);
    return {
      requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      requests: runs.reduce((sum, run) => sum + run.requests, 0),
      failures: runs.reduce((sum, run) => sum + run.failures, 0),
    };
  };
  const gateway = summary('gateway');
  const direct = summary('direct');
  const rows = [
    ['(a) through the gateway', gateway],
    ['(b) catalog subgraph directly¹', direct],
  ] as const;

  console.log(
    `\n## Catalog page: 20 products with brand and owner\n\n` +
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
  console.log('\nEach round:\n');
  console.log('| round | target | req/s | p50 (ms) | p99 (ms) |');
  console.log('| ---: | --- | ---: | ---: | ---: |');
  for (const run of measurements) {
    console.log(`| ${run.round} | ${run.target} | ${run.requestsPerSecond.toFixed(0)} | ${run.p50} | ${run.p99} |`);
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

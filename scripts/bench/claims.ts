// `npm run bench:claims [-- --duration 10 --rounds 3 --connections 64]`
// First-come-first-served claims under load, in one run on this machine:
//   (a) claimCoupon through the gateway (a fresh access token per request: every claim is a
//       different shopper, as in a real rush),
//   (b) the same mutation sent straight to the coupons subgraph (with the signed context the
//       gateway would add),
//   (c) the raw rate of the same Lua claim script on the same Redis (EVALSHA, pipelined): the
//       physical limit under everything else.
// The coupons subgraph and the gateway run as separate processes (NODE_ENV=production), against
// a fresh database and their own Redis key prefix; everything is removed at the end. After the
// load, the claim persister is drained and the run checks that nothing was oversold: accepted
// claims ≤ quantity, Redis count = PostgreSQL rows.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { issueAccessToken } from '@radiata/auth-context';
import { createTestDatabase, deleteRedisKeys, signedContextHeaders, testSecrets } from '@radiata/testing';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg_ from 'pg';
import { v7 } from 'uuid';
import { color } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import { startBenchRun } from './bench-run.js';
import { benchBrokerNamespace } from './broker-namespace.js';
import { freePorts, printOutput, startServiceProcess, waitUntilAnswering } from './service-processes.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
  },
});
const duration = Number(flags.duration);
const rounds = Number(flags.rounds);
const connections = Number(flags.connections);
if (!(duration > 0 && duration <= 50 && rounds > 0 && connections > 0)) {
  // a signed context lives 60 s: a direct round must fit in it
  throw new Error('--duration must be 1..50 s, --rounds and --connections positive');
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const CLAIM = 'mutation Claim($id: ID!) { claimCoupon(couponId: $id) { outcome claimId } }';
/** Enough for every claim of a round to be a different shopper (and most to be accepted). */
const QUANTITY = 2_000_000;

interface Figures {
  readonly claimsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly failed: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const bench = startBenchRun();
bench.serviceFailure.catch((error: Error) => {
  if (bench.interrupted) return;
  console.error(color.red(error.message));
  void bench.cleanup().finally(() => process.exit(1));
});
const prefix = `bench:${randomBytes(4).toString('hex')}:`;
const redis = new Redis(REDIS_URL);
bench.release('close Redis', async () => void (await redis.quit()));
bench.release('delete Redis keys', () => deleteRedisKeys(prefix, REDIS_URL));

try {
  const secrets = testSecrets();
  const database = await createTestDatabase(
    'coupons',
    fileURLToPath(new URL('../../subgraphs/coupons/db/migrations', import.meta.url)),
  );
  const [couponsPort, gatewayPort] = await freePorts(2);
  const common = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // Ephemeral metrics ports: a running `npm run dev` holds the default ones.
    METRICS_PORT: '0',
    ...secrets,
  };
  bench.release(`drop ${database.name}`, database.drop);
  const broker = benchBrokerNamespace(['coupons']);
  bench.release('delete the exchange', broker.cleanUp);
  const start = (name: string, entry: string, env: Record<string, string>) => {
    const service = startServiceProcess(name, entry, env, bench.serviceFailed);
    bench.services.push(service);
    bench.release(`stop ${name}`, () => service.stop());
    return service;
  };
  const coupons = start('coupons', 'subgraphs/coupons/src/main.ts', {
    ...common,
    PORT: String(couponsPort),
    DATABASE_URL: database.url,
    REDIS_URL,
    RABBITMQ_URL,
    REDIS_KEY_PREFIX: prefix,
    RABBITMQ_NAMESPACE: broker.namespace,
    // every request is a different shopper; the per-user limit is not what is measured
    CLAIM_RATE_LIMIT: '1000',
    // e.g. BENCH_COUPONS_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/coupons-profile" to see where its time goes
    ...(process.env.BENCH_COUPONS_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_COUPONS_NODE_OPTIONS } : {}),
  });
  const couponsUrl = `http://127.0.0.1:${couponsPort}/graphql`;
  await waitUntilAnswering(coupons, `http://127.0.0.1:${couponsPort}/readyz`);
  const gateway = start('gateway', 'gateway/src/main.ts', {
    ...common,
    PORT: String(gatewayPort),
    SUBGRAPH_COUPONS_URL: couponsUrl,
    // its request-limit counters live under the run's prefix (removed at the end)
    REDIS_KEY_PREFIX: prefix,
    // the claim's query plan touches only coupons; the other subgraphs are not started
    SUBGRAPH_USERS_URL: 'http://127.0.0.1:9/graphql',
    SUBGRAPH_CATALOG_URL: 'http://127.0.0.1:9/graphql',
    // e.g. BENCH_GATEWAY_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/gateway-profile" to see where its time goes
    ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}),
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  await waitUntilAnswering(gateway, `http://127.0.0.1:${gatewayPort}/healthz`);

  // The coupon: open now, for the whole run.
  const admin = await signedContextHeaders({ id: v7(), role: 'ADMIN' }, secrets.GATEWAY_CONTEXT_SECRET);
  const created = await fetch(couponsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...admin },
    body: JSON.stringify({
      query: 'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
      variables: {
        input: {
          title: 'Benchmark',
          type: 'FIRST_COME_FIRST_SERVED',
          discountType: 'RATE',
          discountRate: 10,
          issueStartAt: new Date(Date.now() - 60_000).toISOString(),
          issueEndAt: new Date(Date.now() + 3_600_000).toISOString(),
          validDays: 1,
          totalQuantity: QUANTITY,
        },
      },
    }),
  });
  const couponId = ((await created.json()) as { data: { createCoupon: { id: string } } }).data.createCoupon.id;
  const body = JSON.stringify({ query: CLAIM, variables: { id: couponId } });

  /** One load run; `headersFor(i)` gives the i-th request its shopper. */
  const fire = (url: string, headersFor: (i: number) => Record<string, string>) => {
    let sent = 0;
    let wrong = 0;
    return new Promise<Figures>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections,
          duration,
          method: 'POST',
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { 'content-type': 'application/json', ...headersFor(sent++) },
                body,
              }),
              onResponse: (status, responseBody) => {
                if (status !== 200 || !responseBody.includes('"outcome"')) wrong += 1;
              },
            },
          ],
        },
        (error, result) => {
          if (error) reject(error);
          else
            resolve({
              claimsPerSecond: result.requests.average,
              p50: result.latency.p50,
              p99: result.latency.p99,
              requests: result.requests.total,
              failed: wrong + result.non2xx + result.errors + result.timeouts,
            });
        },
      );
      process.once('SIGINT', () => instance.stop());
    });
  };

  // Shoppers: tokens (gateway) and signed contexts (direct) minted up front, one per request.
  const capacity = Math.ceil(duration * 6_000);
  console.log(color.dim(`minting ${capacity} access tokens and signed contexts per round…`));
  const mint = async () => {
    const ids = Array.from({ length: capacity }, () => v7());
    const tokens = await Promise.all(
      ids.map(async (id) => {
        const { token } = await issueAccessToken(
          { id, role: 'CUSTOMER' },
          { secret: secrets.JWT_SECRET, ttlSeconds: 900, sessionId: v7() },
        );
        return { authorization: `Bearer ${token}` };
      }),
    );
    return tokens;
  };
  const mintContexts = async () =>
    Promise.all(
      Array.from({ length: capacity }, () =>
        signedContextHeaders({ id: v7(), role: 'CUSTOMER' }, secrets.GATEWAY_CONTEXT_SECRET),
      ),
    );

  // Warm-up: JIT, connection pools, query plan cache.
  {
    const warm = await mint();
    await fire(gatewayUrl, (i) => warm[i % warm.length] as Record<string, string>);
  }

  const results: { gateway: Figures[]; direct: Figures[] } = { gateway: [], direct: [] };
  for (let round = 1; round <= rounds && !bench.interrupted; round += 1) {
    const order = round % 2 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
    for (const target of order) {
      if (target === 'gateway') {
        const tokens = await mint();
        results.gateway.push(
          await fire(gatewayUrl, (i) => tokens[i] ?? (tokens[i % tokens.length] as Record<string, string>)),
        );
      } else {
        const contexts = await mintContexts();
        results.direct.push(
          await fire(couponsUrl, (i) => contexts[i] ?? (contexts[i % contexts.length] as Record<string, string>)),
        );
      }
      console.log(
        color.dim(`round ${round} ${target}: ${Math.round(results[target].at(-1)?.claimsPerSecond ?? 0)} claims/s`),
      );
    }
  }

  // (c) The script alone: EVALSHA of the same claim script, pipelined, distinct shoppers.
  const raw = await rawScriptRate(redis, prefix, couponId);

  // Nothing oversold, nothing lost: drain, then compare Redis and PostgreSQL.
  const claimsKey = `${prefix}{coupon:${couponId}}:claims`;
  const accepted = await redis.hlen(claimsKey);
  const { Client } = pg_;
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  const deadline = Date.now() + 120_000;
  let rows = 0;
  while (Date.now() < deadline) {
    rows = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM coupon_issues')).rows[0]?.n ?? 0;
    if (rows >= accepted) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await pg.end();

  const row = (name: string, figures: Figures[]) =>
    `| ${name} | ${Math.round(median(figures.map((f) => f.claimsPerSecond)))} | ${median(figures.map((f) => f.p50))} | ${median(figures.map((f) => f.p99))} | ${figures.reduce((sum, f) => sum + f.requests, 0)} | ${figures.reduce((sum, f) => sum + f.failed, 0)} |`;
  console.log(
    `\n${rounds} rounds × ${duration} s, ${connections} connections, medians (${new Date().toISOString()})\n`,
  );
  console.log('| target | claims/s | p50 (ms) | p99 (ms) | requests | failed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('(a) through the gateway', results.gateway));
  console.log(row('(b) coupons subgraph directly', results.direct));
  console.log(`| (c) claim script alone (EVALSHA, pipelined) | ${Math.round(raw)} | – | – | – | – |`);
  console.log(
    `\naccepted claims (Redis): ${accepted} of ${QUANTITY} available; persisted rows (PostgreSQL): ${rows}; ` +
      `oversold: ${Math.max(0, accepted - QUANTITY)}; ${rows === accepted ? 'Redis = PostgreSQL' : color.red('Redis ≠ PostgreSQL')}`,
  );
  if (rows !== accepted) process.exitCode = 1;
} catch (error) {
  for (const service of bench.services) printOutput(service, 'benchmark failed');
  console.error(color.red(`bench:claims failed: ${(error as Error).stack ?? error}`));
  process.exitCode = 1;
} finally {
  if (!bench.interrupted) await bench.cleanup();
}

/**
 * Claims per second of the claim script alone: batches of pipelined EVALSHA for distinct
 * shoppers on a coupon of its own, for a few seconds.
 */
async function rawScriptRate(client: Redis, keyPrefix: string, benchCouponId: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(`${repoRoot}/subgraphs/coupons/src/redis/scripts.ts`, 'utf8');
  const lua = /const CLAIM = `([\s\S]*?)`;/.exec(source)?.[1];
  if (!lua) throw new Error('claim script not found in subgraphs/coupons/src/redis/scripts.ts');
  const sha = (await client.script('LOAD', lua)) as string;
  const rawId = `${benchCouponId}-raw`;
  const tag = `${keyPrefix}{coupon:${rawId}}`;
  const now = Date.now();
  await client.hset(`${tag}:meta`, 'start', now - 60_000, 'end', now + 3_600_000, 'total', -1, 'deleted', '0');
  const started = process.hrtime.bigint();
  let done = 0;
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const pipeline = client.pipeline();
    for (let i = 0; i < 200; i += 1) {
      pipeline.evalsha(sha, 3, `${tag}:meta`, `${tag}:claims`, `${tag}:stream`, v7(), Date.now(), v7());
    }
    await pipeline.exec();
    done += 200;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / seconds;
}

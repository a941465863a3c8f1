import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@radiata/observability';
import { deleteBrokerNames, deleteRedisKeys } from './cleanup.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testLogger } from './logger.js';
import { type TestSecrets, testSecrets } from './secrets.js';
import { testSqlPool } from './sql-pool.js';
import { type SubgraphClient, subgraphClient } from './subgraph-client.js';

/** What a test needs of a running subgraph (`RunningSubgraph` of @radiata/service-runtime has it). */
export interface TestableRunning {
  readonly url: string;
  brokerNames(): { readonly exchanges: readonly string[]; readonly queues: readonly string[] };
  stop(): Promise<void>;
}

/** A subgraph definition (`defineSubgraph`), as far as starting it for a test goes. */
export interface StartableSubgraph<TRunning extends TestableRunning> {
  readonly name: string;
  start(options: {
    readonly env: Readonly<Record<string, string>>;
    readonly logger: Logger;
    readonly clock?: { now(): Date };
    readonly onQuery?: (sql: string) => void;
  }): Promise<TRunning>;
}

/** Where a test run keeps its Redis keys and RabbitMQ exchanges and queues, apart from every other run. */
export interface TestNamespace {
  /** REDIS_KEY_PREFIX */
  readonly redisKeyPrefix: string;
  /** RABBITMQ_NAMESPACE */
  readonly rabbitmq: string;
}

/** A fresh namespace: subgraphs that must hear each other's events (one test graph) share one. */
export function testNamespace(): TestNamespace {
  const run = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return { redisKeyPrefix: `test:${run}:`, rabbitmq: `test.${run}.` };
}

export interface TestSubgraphOptions {
  /** Environment overrides (beside the test defaults: ports 0, fresh database, namespace, secrets). */
  readonly env?: Readonly<Record<string, string>>;
  readonly clock?: { now(): Date };
  readonly onQuery?: (sql: string) => void;
  /** Default: a fresh one. */
  readonly namespace?: TestNamespace;
  /** Default: fresh ones. A test graph shares one set between the gateway and its subgraphs. */
  readonly secrets?: TestSecrets;
  /** Default: the subgraph's own, subgraphs/<name>/db/migrations of the graph this test runs in. */
  readonly migrationsDir?: string;
}

export interface TestSubgraph<TRunning extends TestableRunning> {
  readonly subgraph: TRunning;
  readonly database: TestDatabase;
  readonly namespace: TestNamespace;
  readonly secrets: TestSecrets;
  /** The environment the subgraph was configured from (start a replica with the same one). */
  readonly env: Readonly<Record<string, string>>;
  /** Calls the subgraph directly with the gateway's signed context. */
  readonly client: SubgraphClient;
  /** Plain SQL on the subgraph's database, for arranging and counting. */
  sql<T>(text: string, ...values: unknown[]): Promise<T[]>;
  /** Stops the subgraph and deletes everything the run created: database, Redis keys, exchanges and queues. */
  stop(): Promise<void>;
}

/** The root of the graph the test runs in: the nearest directory up from the working one with a rover.yaml. */
export function graphRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'rover.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no rover.yaml in ${process.cwd()} or above`);
  }
}

const migrationsOf = (name: string) => path.join(graphRoot(), 'subgraphs', name, 'db', 'migrations');

/**
 * A subgraph as its tests (and the whole-graph tests) run it: on an ephemeral port, against a
 * fresh database migrated from its own SQL, in a Redis and RabbitMQ namespace of its own.
 */
export async function startTestSubgraph<TRunning extends TestableRunning>(
  definition: StartableSubgraph<TRunning>,
  options: TestSubgraphOptions = {},
): Promise<TestSubgraph<TRunning>> {
  const namespace = options.namespace ?? testNamespace();
  const secrets = options.secrets ?? testSecrets();
  const database = await createTestDatabase(definition.name, options.migrationsDir ?? migrationsOf(definition.name));
  const env = {
    ...secrets,
    NODE_ENV: 'test',
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '10',
    REDIS_KEY_PREFIX: namespace.redisKeyPrefix,
    RABBITMQ_NAMESPACE: namespace.rabbitmq,
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...options.env,
  };
  let subgraph: TRunning;
  try {
    subgraph = await definition.start({
      env,
      logger: testLogger(definition.name),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const client = subgraphClient(subgraph.url, secrets.GATEWAY_CONTEXT_SECRET);
  const pool = testSqlPool(database.url);
  return {
    subgraph,
    database,
    namespace,
    secrets,
    env,
    client,
    sql: async <T>(text: string, ...values: unknown[]) => (await pool.query(text, values)).rows as T[],
    stop: async () => {
      const names = subgraph.brokerNames();
      await subgraph.stop();
      await Promise.all([client.close(), pool.end()]);
      await Promise.all([deleteRedisKeys(namespace.redisKeyPrefix), deleteBrokerNames(names), database.drop()]);
    },
  };
}

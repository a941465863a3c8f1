import { fileURLToPath } from 'node:url';
import { loadCatalogConfig } from '@radiata/catalog/config';
import { type CatalogServices, startCatalogSubgraph } from '@radiata/catalog/service';
import { loadCouponsConfig } from '@radiata/coupons/config';
import { type RunningCoupons, startCouponsSubgraph } from '@radiata/coupons/service';
import type { RunningSubgraph } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase, type TestSecrets, testLogger, testSecrets } from '@radiata/testing';
import { loadUsersConfig } from '@radiata/users/config';
import { startUsersSubgraph } from '@radiata/users/service';
import pg from 'pg';
import { loadGatewayConfig } from '../../src/config.js';
import { type RunningGateway, startGateway } from '../../src/server.js';
import { readSupergraph } from '../../src/supergraph.js';

const migrations = (subgraph: string) =>
  fileURLToPath(new URL(`../../../subgraphs/${subgraph}/db/migrations`, import.meta.url));

type Sql = <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<T[]>;

/** SQL statements a subgraph has sent to its database since the last reset. */
export interface QueryCounter {
  readonly count: number;
  reset(): void;
}

export interface TestGraph {
  readonly gateway: RunningGateway;
  readonly users: RunningSubgraph;
  readonly catalog: RunningSubgraph & { readonly services: CatalogServices };
  readonly coupons: RunningCoupons;
  readonly usersDb: TestDatabase;
  readonly catalogDb: TestDatabase;
  readonly couponsDb: TestDatabase;
  readonly secrets: TestSecrets;
  /** Plain SQL on each database, for arranging and counting what tests cannot do through the API. */
  readonly usersSql: Sql;
  readonly catalogSql: Sql;
  readonly couponsSql: Sql;
  readonly queries: { readonly users: QueryCounter; readonly catalog: QueryCounter; readonly coupons: QueryCounter };
  stop(): Promise<void>;
}

function queryCounter(): QueryCounter & { readonly record: () => void } {
  let count = 0;
  return {
    get count() {
      return count;
    },
    reset: () => {
      count = 0;
    },
    record: () => {
      count += 1;
    },
  };
}

const sqlOn =
  (pool: pg.Pool): Sql =>
  async (text, values) =>
    (await pool.query(text, values)).rows;

/**
 * The whole graph on ephemeral ports: every subgraph against its own fresh database, and the
 * gateway on the committed supergraph (what production runs), routed to them.
 */
export async function startTestGraph(gatewayEnv: Record<string, string> = {}): Promise<TestGraph> {
  const secrets = testSecrets();
  const [usersDb, catalogDb, couponsDb] = await Promise.all([
    createTestDatabase('users', migrations('users')),
    createTestDatabase('catalog', migrations('catalog')),
    createTestDatabase('coupons', migrations('coupons')),
  ]);
  const queries = { users: queryCounter(), catalog: queryCounter(), coupons: queryCounter() };
  const couponsPrefix = `test:${couponsDb.name}:`;
  const common = { ...secrets, NODE_ENV: 'test', PORT: '0', DATABASE_POOL_SIZE: '10' };
  const [users, catalog, coupons] = await Promise.all([
    startUsersSubgraph(loadUsersConfig({ ...common, DATABASE_URL: usersDb.url }), testLogger('users'), {
      onQuery: queries.users.record,
    }),
    startCatalogSubgraph(
      loadCatalogConfig({ ...common, DATABASE_URL: catalogDb.url, OUTBOX_POLL_INTERVAL_MS: '200' }),
      testLogger('catalog'),
      { onQuery: queries.catalog.record },
    ),
    startCouponsSubgraph(
      loadCouponsConfig({
        ...common,
        DATABASE_URL: couponsDb.url,
        OUTBOX_POLL_INTERVAL_MS: '200',
        // its own Redis namespace: test runs share the Redis server
        REDIS_KEY_PREFIX: couponsPrefix,
      }),
      testLogger('coupons'),
      { onQuery: queries.coupons.record },
    ),
  ]);
  const gateway = await startGateway(
    loadGatewayConfig({ ...secrets, NODE_ENV: 'test', PORT: '0', ...gatewayEnv }),
    testLogger('gateway'),
    {
      supergraphSdl: readSupergraph(),
      subgraphUrls: { users: users.url, catalog: catalog.url, coupons: coupons.url },
    },
  );
  const usersPool = new pg.Pool({ connectionString: usersDb.url, max: 2 });
  const catalogPool = new pg.Pool({ connectionString: catalogDb.url, max: 2 });
  const couponsPool = new pg.Pool({ connectionString: couponsDb.url, max: 2 });
  // An idle connection cut by the server must fail a query, not crash the test worker.
  for (const pool of [usersPool, catalogPool, couponsPool]) pool.on('error', () => {});
  return {
    gateway,
    users,
    catalog,
    coupons,
    usersDb,
    catalogDb,
    couponsDb,
    secrets,
    usersSql: sqlOn(usersPool),
    catalogSql: sqlOn(catalogPool),
    couponsSql: sqlOn(couponsPool),
    queries,
    stop: async () => {
      await gateway.stop();
      await deleteKeys(coupons.redis, couponsPrefix);
      await Promise.all([users.stop(), catalog.stop(), coupons.stop()]);
      await Promise.all([usersPool.end(), catalogPool.end(), couponsPool.end()]);
      await Promise.all([usersDb.drop(), catalogDb.drop(), couponsDb.drop()]);
    },
  };
}

async function deleteKeys(redis: RunningCoupons['redis'], prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

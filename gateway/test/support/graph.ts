import { fileURLToPath } from 'node:url';
import { loadCatalogConfig } from '@radiata/catalog/config';
import { type CatalogServices, startCatalogSubgraph } from '@radiata/catalog/service';
import { loadCouponsConfig } from '@radiata/coupons/config';
import { type RunningCoupons, startCouponsSubgraph } from '@radiata/coupons/service';
import type { RunningSubgraph } from '@radiata/service-runtime';
import {
  createTestDatabase,
  deleteRabbitQueue,
  deleteRedisKeys,
  type TestDatabase,
  type TestSecrets,
  testLogger,
  testSecrets,
  testSqlPool,
} from '@radiata/testing';
import { loadTimesalesConfig } from '@radiata/timesales/config';
import { type RunningTimesales, startTimesalesSubgraph } from '@radiata/timesales/service';
import { loadUsersConfig } from '@radiata/users/config';
import { startUsersSubgraph } from '@radiata/users/service';
import type pg from 'pg';
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
  readonly timesales: RunningTimesales;
  readonly usersDb: TestDatabase;
  readonly catalogDb: TestDatabase;
  readonly couponsDb: TestDatabase;
  readonly timesalesDb: TestDatabase;
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
  const [usersDb, catalogDb, couponsDb, timesalesDb] = await Promise.all([
    createTestDatabase('users', migrations('users')),
    createTestDatabase('catalog', migrations('catalog')),
    createTestDatabase('coupons', migrations('coupons')),
    createTestDatabase('timesales', migrations('timesales')),
  ]);
  const queries = { users: queryCounter(), catalog: queryCounter(), coupons: queryCounter() };
  // Redis namespaces and a queue of their own: test runs share the Redis and RabbitMQ servers.
  const couponsPrefix = `test:${couponsDb.name}:`;
  const timesalesPrefix = `test:${timesalesDb.name}:`;
  const catalogQueue = `timesales.catalog-products.${timesalesDb.name}`;
  const common = { ...secrets, NODE_ENV: 'test', PORT: '0', DATABASE_POOL_SIZE: '10' };
  const [users, catalog, coupons, timesales] = await Promise.all([
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
        REDIS_KEY_PREFIX: couponsPrefix,
      }),
      testLogger('coupons'),
      { onQuery: queries.coupons.record },
    ),
    startTimesalesSubgraph(
      loadTimesalesConfig({
        ...common,
        DATABASE_URL: timesalesDb.url,
        OUTBOX_POLL_INTERVAL_MS: '200',
        REDIS_KEY_PREFIX: timesalesPrefix,
        CATALOG_QUEUE: catalogQueue,
      }),
      testLogger('timesales'),
    ),
  ]);
  const gateway = await startGateway(
    loadGatewayConfig({ ...secrets, NODE_ENV: 'test', PORT: '0', ...gatewayEnv }),
    testLogger('gateway'),
    {
      supergraphSdl: readSupergraph(),
      subgraphUrls: { users: users.url, catalog: catalog.url, coupons: coupons.url, timesales: timesales.url },
    },
  );
  const usersPool = testSqlPool(usersDb.url);
  const catalogPool = testSqlPool(catalogDb.url);
  const couponsPool = testSqlPool(couponsDb.url);
  return {
    gateway,
    users,
    catalog,
    coupons,
    timesales,
    usersDb,
    catalogDb,
    couponsDb,
    timesalesDb,
    secrets,
    usersSql: sqlOn(usersPool),
    catalogSql: sqlOn(catalogPool),
    couponsSql: sqlOn(couponsPool),
    queries,
    stop: async () => {
      await gateway.stop();
      await Promise.all([users.stop(), catalog.stop(), coupons.stop(), timesales.stop()]);
      await Promise.all([usersPool.end(), catalogPool.end(), couponsPool.end()]);
      await Promise.all([
        deleteRedisKeys(couponsPrefix),
        deleteRedisKeys(timesalesPrefix),
        deleteRabbitQueue(catalogQueue),
        usersDb.drop(),
        catalogDb.drop(),
        couponsDb.drop(),
        timesalesDb.drop(),
      ]);
    },
  };
}

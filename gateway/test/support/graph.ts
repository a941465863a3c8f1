import { fileURLToPath } from 'node:url';
import { loadCatalogConfig } from '@radiata/catalog/config';
import { type CatalogServices, startCatalogSubgraph } from '@radiata/catalog/service';
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
  readonly usersDb: TestDatabase;
  readonly catalogDb: TestDatabase;
  readonly secrets: TestSecrets;
  /** Plain SQL on each database, for arranging and counting what tests cannot do through the API. */
  readonly usersSql: Sql;
  readonly catalogSql: Sql;
  readonly queries: { readonly users: QueryCounter; readonly catalog: QueryCounter };
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
  const [usersDb, catalogDb] = await Promise.all([
    createTestDatabase('users', migrations('users')),
    createTestDatabase('catalog', migrations('catalog')),
  ]);
  const queries = { users: queryCounter(), catalog: queryCounter() };
  const common = { ...secrets, NODE_ENV: 'test', PORT: '0', DATABASE_POOL_SIZE: '10' };
  const [users, catalog] = await Promise.all([
    startUsersSubgraph(loadUsersConfig({ ...common, DATABASE_URL: usersDb.url }), testLogger('users'), {
      onQuery: queries.users.record,
    }),
    startCatalogSubgraph(
      loadCatalogConfig({ ...common, DATABASE_URL: catalogDb.url, OUTBOX_POLL_INTERVAL_MS: '200' }),
      testLogger('catalog'),
      { onQuery: queries.catalog.record },
    ),
  ]);
  const gateway = await startGateway(
    loadGatewayConfig({ ...secrets, NODE_ENV: 'test', PORT: '0', ...gatewayEnv }),
    testLogger('gateway'),
    { supergraphSdl: readSupergraph(), subgraphUrls: { users: users.url, catalog: catalog.url } },
  );
  const usersPool = new pg.Pool({ connectionString: usersDb.url, max: 2 });
  const catalogPool = new pg.Pool({ connectionString: catalogDb.url, max: 2 });
  // An idle connection cut by the server must fail a query, not crash the test worker.
  for (const pool of [usersPool, catalogPool]) pool.on('error', () => {});
  return {
    gateway,
    users,
    catalog,
    usersDb,
    catalogDb,
    secrets,
    usersSql: sqlOn(usersPool),
    catalogSql: sqlOn(catalogPool),
    queries,
    stop: async () => {
      await gateway.stop();
      await Promise.all([users.stop(), catalog.stop()]);
      await Promise.all([usersPool.end(), catalogPool.end()]);
      await Promise.all([usersDb.drop(), catalogDb.drop()]);
    },
  };
}

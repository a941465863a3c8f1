import { fileURLToPath } from 'node:url';
import type { RunningSubgraph } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase, type TestSecrets, testLogger, testSecrets } from '@radiata/testing';
import { loadUsersConfig } from '@radiata/users/config';
import { startUsersSubgraph } from '@radiata/users/service';
import pg from 'pg';
import { loadGatewayConfig } from '../../src/config.js';
import { type RunningGateway, startGateway } from '../../src/server.js';
import { readSupergraph } from '../../src/supergraph.js';

const usersMigrations = fileURLToPath(new URL('../../../subgraphs/users/db/migrations', import.meta.url));

export interface TestGraph {
  readonly gateway: RunningGateway;
  readonly users: RunningSubgraph;
  readonly usersDb: TestDatabase;
  readonly secrets: TestSecrets;
  /** Plain SQL on the users database, for arranging and counting what tests cannot do through the API. */
  usersSql<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * The whole graph on ephemeral ports: every subgraph against its own fresh database, and the
 * gateway on the committed supergraph (what production runs), routed to them.
 */
export async function startTestGraph(gatewayEnv: Record<string, string> = {}): Promise<TestGraph> {
  const secrets = testSecrets();
  const usersDb = await createTestDatabase('users', usersMigrations);
  const users = await startUsersSubgraph(
    loadUsersConfig({ ...secrets, NODE_ENV: 'test', PORT: '0', DATABASE_URL: usersDb.url, DATABASE_POOL_SIZE: '5' }),
    testLogger('users'),
  );
  const gateway = await startGateway(
    loadGatewayConfig({ ...secrets, NODE_ENV: 'test', PORT: '0', ...gatewayEnv }),
    testLogger('gateway'),
    { supergraphSdl: readSupergraph(), subgraphUrls: { users: users.url } },
  );
  const pool = new pg.Pool({ connectionString: usersDb.url, max: 2 });
  return {
    gateway,
    users,
    usersDb,
    secrets,
    usersSql: async (text, values) => (await pool.query(text, values)).rows,
    stop: async () => {
      await gateway.stop();
      await users.stop();
      await pool.end();
      await usersDb.drop();
    },
  };
}

import { catalogSubgraph } from '@radiata/catalog/subgraph';
import { couponsSubgraph } from '@radiata/coupons/subgraph';
import { ordersSubgraph } from '@radiata/orders/subgraph';
import { paymentsSubgraph } from '@radiata/payments/subgraph';
import {
  type MailDev,
  startMailDev,
  startTestSubgraph,
  type TestableRunning,
  type TestSecrets,
  type TestSubgraph,
  testLogger,
  testNamespace,
  testSecrets,
} from '@radiata/testing';
import { timesalesSubgraph } from '@radiata/timesales/subgraph';
import { usersSubgraph } from '@radiata/users/subgraph';
import { loadGatewayConfig } from '../../src/config.js';
import { type RunningGateway, startGateway } from '../../src/server.js';
import { readSupergraph } from '../../src/supergraph.js';

/**
 * Every subgraph of rover.yaml, by name: adding a subgraph to the graph is one line here
 * (test/graph-coverage.test.ts fails until it is there).
 */
export const SUBGRAPHS = {
  users: usersSubgraph,
  catalog: catalogSubgraph,
  coupons: couponsSubgraph,
  timesales: timesalesSubgraph,
  payments: paymentsSubgraph,
  orders: ordersSubgraph,
} as const;

type SubgraphName = keyof typeof SUBGRAPHS;
type Running<N extends SubgraphName> = Awaited<ReturnType<(typeof SUBGRAPHS)[N]['start']>>;

/** SQL statements a subgraph has sent to its database since the last reset. */
export interface QueryCounter {
  readonly count: number;
  reset(): void;
}

export type TestGraph = { readonly [N in SubgraphName]: TestSubgraph<Running<N>> } & {
  readonly gateway: RunningGateway;
  readonly secrets: TestSecrets;
  /** The SMTP server the users subgraph mails through (MailDev: read what it caught with `mail.messagesTo`). */
  readonly mail: MailDev;
  readonly queries: Readonly<Record<SubgraphName, QueryCounter>>;
  stop(): Promise<void>;
};

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

/**
 * Limits high enough for the whole-graph suites, which send many requests (and sign many shoppers
 * up) from 127.0.0.1; the rate-limit tests set their own low ones.
 */
const TEST_GATEWAY_ENV = { REQUEST_RATE_LIMIT: '100000' };
/**
 * Each subgraph's request pool in a test graph. Two graphs run at once (the gateway's suites and its
 * saga suites) beside other workspaces' suites, on one PostgreSQL whose default max_connections is
 * 100: with the default 10 per subgraph (plus relays) a burst of concurrent requests once took the
 * server past it ("too many clients already" → INTERNAL_SERVER_ERROR in an unrelated test).
 */
const GRAPH_POOL = { DATABASE_POOL_SIZE: '5' };

const TEST_SUBGRAPH_ENV: Partial<Record<SubgraphName, Record<string, string>>> = {
  users: {
    SIGN_UP_RATE_LIMIT: '100000',
    REFRESH_TOKEN_RATE_LIMIT: '100000',
    LOGIN_FAILURES_PER_ADDRESS_PER_DAY: '100000',
    PASSWORD_RESET_LIMIT_PER_ADDRESS: '100000',
    // Mail goes out within moments of its cause (the SMTP server is the graph's MailDev).
    MAIL_POLL_INTERVAL_MS: '100',
  },
  // Suites that move money start the provider fake and pass its URL and key (subgraphEnv).
  // No weekly settlement behind a test's back: suites run it with runSettlement.
  payments: {
    PROVIDER_SECRET_KEY: 'test_sk_no_provider_in_this_suite',
    RECONCILE_INTERVAL_MS: '3600000',
    SETTLEMENT_SCHEDULE: 'off',
  },
};

interface GatewayTarget {
  readonly secrets: TestSecrets;
  readonly redisKeyPrefix: string;
  readonly subgraphUrls: Readonly<Record<string, string>>;
}

/** A gateway on the committed supergraph (what production runs), routed to the given subgraphs. */
function startGatewayOn(target: GatewayTarget, env: Record<string, string>, name = 'gateway'): Promise<RunningGateway> {
  return startGateway(
    loadGatewayConfig({
      ...target.secrets,
      NODE_ENV: 'test',
      PORT: '0',
      METRICS_PORT: '0',
      REDIS_KEY_PREFIX: target.redisKeyPrefix,
      // As in production unless a test says otherwise: no Sandbox, no introspection.
      SANDBOX: 'false',
      ...TEST_GATEWAY_ENV,
      ...env,
    }),
    testLogger(name),
    { supergraphSdl: readSupergraph(), subgraphUrls: target.subgraphUrls },
  );
}

/**
 * One more gateway replica in front of a test graph's subgraphs, sharing its secrets and Redis
 * namespace (rate limits and session revocations included). The caller stops it.
 */
export function startAnotherGateway(
  graph: TestGraph,
  env: Record<string, string> = {},
  name = 'gateway',
): Promise<RunningGateway> {
  const names = Object.keys(SUBGRAPHS) as SubgraphName[];
  return startGatewayOn(
    {
      secrets: graph.secrets,
      redisKeyPrefix: graph.users.namespace.redisKeyPrefix,
      subgraphUrls: Object.fromEntries(names.map((subgraph) => [subgraph, graph[subgraph].subgraph.url])),
    },
    env,
    name,
  );
}

/**
 * The whole graph on ephemeral ports: every subgraph against its own fresh database, all in one
 * Redis and RabbitMQ namespace (so they hear each other's events and no other test run's), and
 * the gateway on the committed supergraph (what production runs), routed to them.
 */
export async function startTestGraph(
  gatewayEnv: Record<string, string> = {},
  /** Environment overrides per subgraph, e.g. `{ catalog: { DATABASE_POOL_SIZE: '2' } }`. */
  subgraphEnv: Partial<Record<SubgraphName, Record<string, string>>> = {},
): Promise<TestGraph> {
  const secrets = testSecrets();
  const namespace = testNamespace();
  const names = Object.keys(SUBGRAPHS) as SubgraphName[];
  const queries = Object.fromEntries(names.map((name) => [name, queryCounter()])) as Record<
    SubgraphName,
    ReturnType<typeof queryCounter>
  >;
  // The users subgraph's mail server, one per graph: it starts (in a second or so) while the
  // other subgraphs do, and users starts once it knows where to send.
  const mailStarted = startMailDev();
  const start = (name: SubgraphName, env: Record<string, string> = {}) =>
    startTestSubgraph<TestableRunning>(SUBGRAPHS[name], {
      secrets,
      namespace,
      onQuery: queries[name].record,
      env: { ...GRAPH_POOL, ...TEST_SUBGRAPH_ENV[name], ...env, ...subgraphEnv[name] },
    });
  const started = await Promise.allSettled(
    names.map((name) =>
      name === 'users' ? mailStarted.then((mail) => start(name, { SMTP_URL: mail.smtpUrl })) : start(name),
    ),
  );
  const subgraphs = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all([
      ...subgraphs.map((subgraph) => subgraph.stop()),
      mailStarted.then((mail) => mail.stop()).catch(() => undefined),
    ]);
    throw failed.reason;
  }
  const mail = await mailStarted;
  const byName = Object.fromEntries(names.map((name, index) => [name, subgraphs[index]]));
  const subgraphUrls = Object.fromEntries(names.map((name, index) => [name, subgraphs[index]?.subgraph.url as string]));
  const gateway = await startGatewayOn(
    { secrets, redisKeyPrefix: namespace.redisKeyPrefix, subgraphUrls },
    gatewayEnv,
  ).catch(async (error: unknown) => {
    await Promise.all([...subgraphs.map((subgraph) => subgraph.stop()), mail.stop()]);
    throw error;
  });
  return {
    ...(byName as { readonly [N in SubgraphName]: TestSubgraph<Running<N>> }),
    gateway,
    secrets,
    mail,
    queries,
    stop: async () => {
      await gateway.stop();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
      await mail.stop();
    },
  };
}

import type { Logger } from '@radiata/observability';
import { type Clock, loadTypeDefs, type RunningSubgraph, startSubgraph, systemClock } from '@radiata/service-runtime';
import type { UsersConfig } from './config.js';
import type { UsersContext, UsersServices } from './context.js';
import { Accounts } from './domain/accounts.js';
import { PointLedger } from './domain/points.js';
import { Sessions } from './domain/sessions.js';
import { createLoaders } from './loaders.js';
import { createDatabase } from './persistence/database.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

export interface UsersOptions {
  readonly clock?: Clock;
  /** Called for every SQL statement of the users database (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

export function createUsersServices(config: UsersConfig, logger: Logger, options: UsersOptions = {}): UsersServices {
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    onQuery: options.onQuery,
  });
  const clock = options.clock ?? systemClock;
  return {
    db,
    accounts: new Accounts(db),
    sessions: new Sessions(
      db,
      {
        jwtSecret: config.JWT_SECRET,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      },
      clock,
      logger,
    ),
    points: new PointLedger(db),
  };
}

/** The users subgraph, started on config.PORT (0 for an ephemeral port in tests). */
export async function startUsersSubgraph(
  config: UsersConfig,
  logger: Logger,
  options: UsersOptions = {},
): Promise<RunningSubgraph> {
  const services = createUsersServices(config, logger, options);
  return startSubgraph<UsersContext>({
    name: 'users',
    typeDefs,
    resolvers,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    logger,
    port: config.PORT,
    introspection: config.NODE_ENV !== 'production',
    createContext: (request) => ({
      ...request,
      ...services,
      loaders: createLoaders(services.db),
      signedIn: { viewer: null },
    }),
    readiness: { postgres: () => services.db.$queryRaw`SELECT 1` },
    onStop: () => services.db.$disconnect(),
  });
}

import { defineSubgraph, postgres, redis as redisConnection, type ServicesKit } from '@radiata/service-runtime';
import type { Redis } from '@radiata/redis';
import { type UsersConfig, usersConfig } from './config.js';
import type { UsersContext, UsersServices } from './context.js';
import { Accounts } from './domain/accounts.js';
import { PointLedger } from './domain/points.js';
import { Sessions } from './domain/sessions.js';
import { createLoaders } from './loaders.js';
import { createDatabase, type Database } from './persistence/database.js';
import { PointAccountResolver } from './resolvers/points.resolver.js';
import { SessionResolver } from './resolvers/session.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';

export interface UsersResources {
  readonly db: Database;
  /** Shared with the gateway: log-in throttles and session revocations. */
  readonly redis: Redis;
}

export function createUsersServices(
  { db, redis }: UsersResources,
  { config, clock, logger }: ServicesKit<UsersConfig>,
): UsersServices {
  return {
    db,
    redis,
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

/** Accounts, sessions (JWTs) and reward points. */
export const usersSubgraph = defineSubgraph({
  name: 'users',
  config: usersConfig,
  schema: { resolvers: [UserResolver, SessionResolver, PointAccountResolver] },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    const services = createUsersServices({ db, redis }, kit);
    return {
      services,
      createContext: (request): UsersContext => ({
        ...request,
        ...services,
        loaders: createLoaders(services),
        signedIn: { viewer: null },
      }),
    };
  },
});

import { RevocationKeyspace } from '@radiata/auth-context';
import type { Redis } from '@radiata/redis';
import {
  defineSubgraph,
  eventPublishing,
  postgres,
  redis as redisConnection,
  type ServicesKit,
} from '@radiata/service-runtime';
import { type UsersConfig, usersConfig } from './config.js';
import type { UsersContext, UsersServices } from './context.js';
import { Accounts } from './domain/accounts.js';
import { PointLedger } from './domain/points.js';
import { Sessions } from './domain/sessions.js';
import { AuthThrottles } from './domain/throttles.js';
import { createLoaders } from './loaders.js';
import { USERS_EXCHANGE } from './messaging/users-events.js';
import { createDatabase, type Database } from './persistence/database.js';
import { TokenRevocations } from './persistence/revocations.js';
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
  const revocations = new TokenRevocations(
    redis,
    new RevocationKeyspace(config.REDIS_KEY_PREFIX),
    config.ACCESS_TOKEN_TTL_SECONDS,
    logger,
  );
  return {
    db,
    redis,
    accounts: new Accounts(db, revocations, clock),
    sessions: new Sessions(
      db,
      {
        jwtSecret: config.JWT_SECRET,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      },
      clock,
      logger,
      revocations,
    ),
    points: new PointLedger(db),
    throttles: new AuthThrottles(redis, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      failuresPerAccountAndAddress: config.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
      failuresPerAccount: config.LOGIN_FAILURES_PER_ACCOUNT,
      lockSeconds: config.LOGIN_LOCK_SECONDS,
      backoffAfterFailures: config.LOGIN_BACKOFF_AFTER_FAILURES,
      backoffSeconds: config.LOGIN_BACKOFF_SECONDS,
      failuresPerAddressPerDay: config.LOGIN_FAILURES_PER_ADDRESS_PER_DAY,
      signUpLimit: config.SIGN_UP_RATE_LIMIT,
      signUpWindowSeconds: config.SIGN_UP_RATE_WINDOW_SECONDS,
      refreshLimit: config.REFRESH_TOKEN_RATE_LIMIT,
      refreshWindowSeconds: config.REFRESH_TOKEN_RATE_WINDOW_SECONDS,
    }),
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
    await kit.use(eventPublishing(USERS_EXCHANGE));
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

import { RevocationKeyspace } from '@radiata/auth-context';
import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import type { Redis } from '@radiata/redis';
import {
  defineSubgraph,
  eventPublishing,
  periodic,
  postgres,
  redis as redisConnection,
  type ServicesKit,
} from '@radiata/service-runtime';
import { type UsersConfig, usersConfig } from './config.js';
import type { UsersContext, UsersServices } from './context.js';
import { Accounts } from './domain/accounts.js';
import { OrderPoints } from './domain/order-points.js';
import { PointLedger } from './domain/points.js';
import { Sessions } from './domain/sessions.js';
import { AuthThrottles } from './domain/throttles.js';
import { createLoaders } from './loaders.js';
import { startSagaParticipant } from './messaging/saga-participant.js';
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
  const points = new PointLedger(db);
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
    points,
    orderPoints: new OrderPoints(db, points, config.POINTS_EARN_RATE_PERCENT),
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

/**
 * Accounts, sessions (JWTs) and reward points. Takes part in the order saga (users.saga-commands):
 * uses, earns and refunds an order's points, answering through its outbox on `radiata.users`.
 */
export const usersSubgraph = defineSubgraph({
  name: 'users',
  config: usersConfig,
  schema: { resolvers: [UserResolver, SessionResolver, PointAccountResolver] },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    const services = createUsersServices({ db, redis }, kit);
    const events = await kit.use(eventPublishing(USERS_EXCHANGE));
    await startSagaParticipant({
      rabbit: events.rabbit,
      db,
      orderPoints: services.orderPoints,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const inbox = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), kit.clock.now());
        if (inbox > 0) kit.logger.info({ inbox }, 'pruned the inbox');
      }),
    );
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      createContext: (request): UsersContext => ({
        ...request,
        ...services,
        loaders: createLoaders(services),
        signedIn: { viewer: null },
      }),
    };
  },
});

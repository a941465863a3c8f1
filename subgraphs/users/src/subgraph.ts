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
  worker,
} from '@radiata/service-runtime';
import { type UsersConfig, usersConfig } from './config.js';
import type { UsersContext, UsersServices } from './context.js';
import { AccountDeletion } from './domain/account-deletion.js';
import { AccountHolds } from './domain/account-holds.js';
import { Accounts } from './domain/accounts.js';
import { AddressBook } from './domain/address-book.js';
import { Credentials } from './domain/credentials.js';
import { OrderPoints } from './domain/order-points.js';
import { PointLedger } from './domain/points.js';
import { Profiles } from './domain/profiles.js';
import { SellerApplications } from './domain/seller-applications.js';
import { Sessions } from './domain/sessions.js';
import { AuthThrottles } from './domain/throttles.js';
import { createLoaders } from './loaders.js';
import { MailRelay } from './mail/relay.js';
import { startAccountHoldsConsumer } from './messaging/account-holds-consumer.js';
import { startSagaParticipant } from './messaging/saga-participant.js';
import { USERS_EXCHANGE } from './messaging/users-events.js';
import { createDatabase, type Database } from './persistence/database.js';
import { TokenRevocations } from './persistence/revocations.js';
import { AccountResolver } from './resolvers/account.resolver.js';
import { AddressResolver } from './resolvers/address.resolver.js';
import { PasswordResolver } from './resolvers/password.resolver.js';
import { PointAccountResolver } from './resolvers/points.resolver.js';
import { ProfileResolver } from './resolvers/profile.resolver.js';
import { SellerApplicationResolver } from './resolvers/seller-application.resolver.js';
import { SessionResolver } from './resolvers/session.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { UserSessionsResolver } from './resolvers/user-sessions.resolver.js';

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
  const services = {
    db,
    redis,
    accounts: new Accounts(db, revocations, clock),
    profiles: new Profiles(db),
    addresses: new AddressBook(db, clock),
    sellerApplications: new SellerApplications(db, revocations, clock),
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
      resetLimitPerAddress: config.PASSWORD_RESET_LIMIT_PER_ADDRESS,
      resetLimitPerEmail: config.PASSWORD_RESET_LIMIT_PER_EMAIL,
      resetWindowSeconds: config.PASSWORD_RESET_RATE_WINDOW_SECONDS,
    }),
  };
  const accountHolds = new AccountHolds(db);
  return {
    ...services,
    credentials: new Credentials(db, services.sessions, services.throttles, revocations, clock, {
      resetUrl: config.PASSWORD_RESET_URL,
      resetTtlMinutes: config.PASSWORD_RESET_TTL_MINUTES,
    }),
    accountHolds,
    accountDeletion: new AccountDeletion(db, accountHolds, services.throttles, revocations, clock),
  };
}

/**
 * Accounts, sessions (JWTs) and reward points. Takes part in the order saga (users.saga-commands):
 * uses, earns and refunds an order's points, answering through its outbox on `radiata.users`.
 */
export const usersSubgraph = defineSubgraph({
  name: 'users',
  config: usersConfig,
  schema: {
    resolvers: [
      UserResolver,
      SessionResolver,
      UserSessionsResolver,
      PasswordResolver,
      PointAccountResolver,
      ProfileResolver,
      AddressResolver,
      AccountResolver,
      SellerApplicationResolver,
    ],
  },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    const services = createUsersServices({ db, redis }, kit);
    // Mail to users (src/mail): the outbox is sent through SMTP from every replica, on a pool of
    // its own (polling every second must not take connections from requests).
    const mailDb = await kit.use(postgres(createDatabase, { backgroundPoolSize: 2 }));
    const mail = await kit.use(
      worker(
        new MailRelay(
          mailDb,
          {
            smtpUrl: kit.config.SMTP_URL,
            from: kit.config.MAIL_FROM,
            pollIntervalMs: kit.config.MAIL_POLL_INTERVAL_MS,
            maxAttempts: kit.config.MAIL_MAX_ATTEMPTS,
            retryInitialMs: kit.config.MAIL_RETRY_INITIAL_MS,
            retryMaxMs: kit.config.MAIL_RETRY_MAX_MS,
          },
          kit.clock,
          kit.logger,
          kit.metrics.registry,
        ),
      ),
    );
    const events = await kit.use(eventPublishing(USERS_EXCHANGE));
    await startSagaParticipant({
      rabbit: events.rabbit,
      db,
      orderPoints: services.orderPoints,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await startAccountHoldsConsumer({
      rabbit: events.rabbit,
      holds: services.accountHolds,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const inbox = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), kit.clock.now());
        if (inbox > 0) kit.logger.info({ inbox }, 'pruned the inbox');
        const resetTokens = await services.credentials.pruneResetTokens();
        if (resetTokens > 0) kit.logger.info({ resetTokens }, 'pruned expired password reset tokens');
      }),
    );
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      /** The mail relay (tests send the outbox with `mail.drain()`). */
      mail,
      createContext: (request): UsersContext => ({
        ...request,
        ...services,
        loaders: createLoaders(services),
        signedIn: { viewer: null, sessionId: null },
      }),
    };
  },
});

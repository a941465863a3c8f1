import { createMetrics, type Logger } from '@radiata/observability';
import { startEventPublishing } from '@radiata/outbox';
import { closeRedis, createRedis, redisReadiness } from '@radiata/redis';
import {
  type Clock,
  loadTypeDefs,
  RedisFanout,
  type RunningSubgraph,
  startSubgraph,
  systemClock,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { CouponsConfig } from './config.js';
import type { CouponsContext, CouponsServices } from './context.js';
import { ClaimPersister, COUPONS_EXCHANGE } from './domain/claim-persister.js';
import { ClaimResults } from './domain/claim-results.js';
import { type ClaimOutcome, Claims } from './domain/claims.js';
import { Coupons } from './domain/coupons.js';
import { Issues } from './domain/issues.js';
import { ClaimRateLimiter } from './domain/rate-limiter.js';
import { restoreMissing } from './domain/reconcile.js';
import { Redemptions } from './domain/redemptions.js';
import { createLoaders } from './loaders.js';
import { createDatabase, type Database } from './persistence/database.js';
import { CouponKeyspace } from './redis/keys.js';
import { defineCouponScripts } from './redis/scripts.js';
import { resolvers } from './resolvers/index.js';

export type { CouponsServices } from './context.js';

export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

export function createCouponsServices(
  db: Database,
  redis: Redis,
  config: Pick<CouponsConfig, 'CLAIM_RATE_LIMIT' | 'CLAIM_RATE_WINDOW_MS' | 'REDIS_KEY_PREFIX'>,
  clock: Clock = systemClock,
  recordClaimOutcome?: (outcome: ClaimOutcome) => void,
): CouponsServices {
  defineCouponScripts(redis);
  const keyspace = new CouponKeyspace(config.REDIS_KEY_PREFIX);
  const limiter = new ClaimRateLimiter(config.CLAIM_RATE_LIMIT, config.CLAIM_RATE_WINDOW_MS);
  return {
    db,
    redis,
    keyspace,
    clock,
    coupons: new Coupons(db, redis, keyspace, clock),
    claims: new Claims(redis, keyspace, clock, limiter, recordClaimOutcome),
    issues: new Issues(db),
    redemptions: new Redemptions(db, clock),
  };
}

export interface CouponsOptions {
  readonly clock?: Clock;
  /** Called for every SQL statement of the coupons database (tests count them). */
  readonly onQuery?: (sql: string) => void;
}

export interface RunningCoupons extends RunningSubgraph {
  readonly services: CouponsServices;
  readonly redis: Redis;
  readonly persister: ClaimPersister | undefined;
}

/**
 * The coupons subgraph, its claim persister and outbox relay, started on config.PORT (0 for an
 * ephemeral port in tests). Redis state missing for any coupon is restored from PostgreSQL first.
 */
export async function startCouponsSubgraph(
  config: CouponsConfig,
  logger: Logger,
  options: CouponsOptions = {},
): Promise<RunningCoupons> {
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    onQuery: options.onQuery,
  });
  const redis = createRedis({ url: config.REDIS_URL, name: 'coupons', logger });
  const metrics = createMetrics('coupons');
  const claimOutcomes = new Counter({
    name: 'coupon_claims_total',
    help: 'Coupon claims answered, by outcome',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
  const services = createCouponsServices(db, redis, config, options.clock, (outcome) => claimOutcomes.inc({ outcome }));

  const restored = await restoreMissing(db, redis, services.keyspace);
  if (restored.length > 0) logger.warn({ coupons: restored.length }, 'restored missing coupon state in Redis');

  const events = await startEventPublishing({
    name: 'coupons',
    rabbitmqUrl: config.RABBITMQ_URL,
    exchange: COUPONS_EXCHANGE,
    databaseUrl: config.DATABASE_URL,
    logger,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    registry: metrics.registry,
  });
  const persister = config.CLAIM_PERSISTER
    ? new ClaimPersister({ db, redis, keyspace: services.keyspace, logger, batchSize: config.CLAIM_BATCH_SIZE })
    : undefined;
  persister?.start();
  const expiry = setInterval(() => {
    services.redemptions
      .expire()
      .then((expired) => expired > 0 && logger.info({ expired }, 'coupons expired'))
      .catch((error: unknown) => logger.error({ err: error }, 'expiring coupons failed'));
  }, config.COUPON_EXPIRY_INTERVAL_MS);
  expiry.unref();
  const fanout = new RedisFanout({ url: config.REDIS_URL, name: 'coupons-results', logger });
  const claimResults = new ClaimResults(fanout, services.keyspace.issuedChannel, services.issues, logger);

  const subgraph = await startSubgraph<CouponsContext>({
    name: 'coupons',
    typeDefs,
    resolvers,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    logger,
    port: config.PORT,
    introspection: config.NODE_ENV !== 'production',
    metrics,
    createContext: (request) => ({ ...request, ...services, claimResults, loaders: createLoaders(services) }),
    readiness: {
      postgres: () => db.$queryRaw`SELECT 1`,
      redis: redisReadiness(redis),
      redisSubscriber: () => fanout.readiness(),
      rabbitmq: events.rabbit.readiness,
    },
    onStop: async () => {
      clearInterval(expiry);
      await persister?.stop();
      await fanout.close();
      await events.stop();
      await closeRedis(redis);
      await db.$disconnect();
    },
  });
  return { ...subgraph, services, redis, persister, stop: subgraph.stop };
}

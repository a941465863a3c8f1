import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import {
  defineSubgraph,
  eventPublishing,
  periodic,
  postgres,
  type RedisFanout,
  redis as redisConnection,
  redisFanout,
  type ServicesKit,
  worker,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { type CouponsConfig, couponsConfig } from './config.js';
import type { CouponsContext, CouponsServices } from './context.js';
import { ClaimPersister } from './domain/claim-persister.js';
import { ClaimResults } from './domain/claim-results.js';
import { Claims } from './domain/claims.js';
import { Coupons } from './domain/coupons.js';
import { Issues } from './domain/issues.js';
import { ClaimRateLimiter } from './domain/rate-limiter.js';
import { restoreMissing } from './domain/reconcile.js';
import { Redemptions } from './domain/redemptions.js';
import { createLoaders } from './loaders.js';
import { COUPONS_EXCHANGE } from './messaging/coupons-events.js';
import { startCouponsSagaParticipant } from './messaging/saga-participant.js';
import { createDatabase, type Database } from './persistence/database.js';
import { CouponKeyspace } from './redis/keys.js';
import { defineCouponScripts } from './redis/scripts.js';
import { ClaimResolver } from './resolvers/claim.resolver.js';
import { CouponResolver } from './resolvers/coupon.resolver.js';
import { CouponIssueResolver } from './resolvers/coupon-issue.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { User } from './schema/user.js';

export interface CouponsResources {
  readonly db: Database;
  readonly redis: Redis;
  /** The process's one pub/sub connection: claim results listen on it, keyed by claim id. */
  readonly fanout: RedisFanout;
}

/**
 * The coupons services on their resources. Claims answered are counted by outcome on the kit's
 * registry (`coupon_claims_total{outcome}` on /metrics): build them once per registry.
 */
export function createCouponsServices(
  { db, redis, fanout }: CouponsResources,
  { config, clock, logger, metrics }: ServicesKit<CouponsConfig>,
): CouponsServices {
  defineCouponScripts(redis);
  const keyspace = new CouponKeyspace(config.REDIS_KEY_PREFIX);
  const claimOutcomes = new Counter({
    name: 'coupon_claims_total',
    help: 'Coupon claims answered, by outcome',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
  const limiter = new ClaimRateLimiter(
    redis,
    config.REDIS_KEY_PREFIX,
    config.CLAIM_RATE_LIMIT,
    config.CLAIM_RATE_WINDOW_SECONDS,
  );
  const issues = new Issues(db);
  return {
    db,
    redis,
    keyspace,
    clock,
    coupons: new Coupons(db, redis, keyspace, clock),
    claims: new Claims(redis, keyspace, clock, limiter, (outcome) => claimOutcomes.inc({ outcome })),
    claimResults: new ClaimResults(fanout, keyspace.issuedChannel, issues, logger),
    issues,
    redemptions: new Redemptions(db, clock),
  };
}

/**
 * First-come-first-served coupons: definitions, claims decided atomically in Redis, and the
 * coupons shoppers hold. Before it serves, Redis state missing for any coupon is restored from
 * PostgreSQL; then it publishes its events (outbox relay), answers the order saga's coupon
 * use and restore (`coupons.saga-commands`), persists accepted claims (with CLAIM_PERSISTER) and
 * expires unused coupons and prunes its inbox on schedule.
 */
export const couponsSubgraph = defineSubgraph({
  name: 'coupons',
  config: couponsConfig,
  schema: {
    resolvers: [CouponResolver, CouponIssueResolver, UserResolver, ClaimResolver],
    // Reached only through _entities (the users subgraph owns users; coupons adds their coupons).
    orphanedTypes: [User],
  },
  async start(kit) {
    const { config, clock, logger } = kit;
    const db = await kit.use(postgres(createDatabase));
    const redis = await kit.use(redisConnection());
    // Idle until a claimer follows a claim: nothing reads it before serving.
    const fanout = await kit.use(redisFanout());
    const services = createCouponsServices({ db, redis, fanout }, kit);

    const restored = await restoreMissing(db, redis, services.keyspace);
    if (restored.length > 0) logger.warn({ coupons: restored.length }, 'restored missing coupon state in Redis');

    const events = await kit.use(eventPublishing(COUPONS_EXCHANGE));
    await startCouponsSagaParticipant({
      rabbit: events.rabbit,
      db,
      redemptions: services.redemptions,
      logger,
      registry: kit.metrics.registry,
      clock,
    });
    const persister = config.CLAIM_PERSISTER
      ? await kit.use(
          worker(
            new ClaimPersister({
              db,
              redis,
              keyspace: services.keyspace,
              clock,
              logger,
              batchSize: config.CLAIM_BATCH_SIZE,
            }),
          ),
        )
      : undefined;
    await kit.use(
      periodic('coupon-expiry', config.COUPON_EXPIRY_INTERVAL_MS, async () => {
        const expired = await services.redemptions.expire();
        if (expired > 0) logger.info({ expired }, 'coupons expired');
      }),
    );
    await kit.use(
      periodic('inbox-prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const pruned = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), clock.now());
        if (pruned > 0) logger.info({ pruned }, 'pruned the inbox');
      }),
    );

    return {
      services,
      redis,
      persister,
      createContext: (request): CouponsContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

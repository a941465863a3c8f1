// `npm run coupons:reconcile [-- --all]`: restores the Redis state of coupons that lack it (every
// coupon with --all) from PostgreSQL and the claim streams, then compares the two per coupon.
// Exits 1 when any coupon differs. Reads DATABASE_URL, REDIS_URL and REDIS_KEY_PREFIX.
// reflect-metadata first: @radiata/service-runtime (the Prisma client factory) defines type-graphql classes.
import 'reflect-metadata';
import { loadConfig } from '@radiata/config';
import { createLogger } from '@radiata/observability';
import { closeRedis, createRedis } from '@radiata/redis';
import { couponsConfig } from './config.js';
import { reconcile } from './domain/reconcile.js';
import { createDatabase } from './persistence/database.js';
import { CouponKeyspace } from './redis/keys.js';
import { defineCouponScripts } from './redis/scripts.js';

const config = loadConfig(
  'coupons:reconcile',
  couponsConfig.pick({ DATABASE_URL: true, REDIS_URL: true, REDIS_KEY_PREFIX: true, LOG_LEVEL: true }),
);
const logger = createLogger('coupons-reconcile', config.LOG_LEVEL);
const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
const redis = createRedis({ url: config.REDIS_URL, name: 'coupons-reconcile', logger });
defineCouponScripts(redis);
try {
  const report = await reconcile(db, redis, new CouponKeyspace(config.REDIS_KEY_PREFIX), {
    all: process.argv.includes('--all'),
  });
  console.log(`restored ${report.restored.length} coupon(s) in Redis`);
  console.table(report.checks);
  const differing = report.checks.filter((check) => !check.consistent);
  if (differing.length > 0) {
    console.error(`${differing.length} coupon(s) differ between Redis and PostgreSQL`);
    process.exitCode = 1;
  } else {
    console.log(`all ${report.checks.length} coupon(s) consistent`);
  }
} finally {
  await closeRedis(redis);
  await db.$disconnect();
}

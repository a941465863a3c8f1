import type { Redis } from 'ioredis';
import type { Database } from '../persistence/database.js';
import type { CouponKeyspace } from '../redis/keys.js';
import { writeCouponMeta } from '../redis/scripts.js';

const CHUNK = 1_000;

export interface CouponCheck {
  readonly couponId: string;
  /** Claims Redis counts (accepted, persisted or not). */
  readonly redisClaimed: number;
  /** Issues in PostgreSQL. */
  readonly persisted: number;
  /** Accepted claims still waiting in the stream. */
  readonly waiting: number;
  /** Users who hold a claim on one side but not on the other (persisted or waiting vs. Redis). */
  readonly missingInRedis: number;
  readonly missingInDatabase: number;
  readonly consistent: boolean;
}

/** Claims waiting in a coupon's stream: claim id and user of each entry. */
async function waitingClaims(redis: Redis, keyspace: CouponKeyspace, couponId: string): Promise<Map<string, string>> {
  const entries = (await redis.xrange(keyspace.coupon(couponId).stream, '-', '+')) as [string, string[]][];
  const byUser = new Map<string, string>();
  for (const [, fields] of entries) {
    const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
    byUser.set(field('user'), field('claim'));
  }
  return byUser;
}

/**
 * Compares one coupon's claims in Redis with PostgreSQL plus the claims still waiting in its
 * stream. Consistent means the same users on both sides.
 */
export async function checkCoupon(
  db: Database,
  redis: Redis,
  keyspace: CouponKeyspace,
  couponId: string,
): Promise<CouponCheck> {
  const [claims, waiting, issues] = await Promise.all([
    redis.hgetall(keyspace.coupon(couponId).claims),
    waitingClaims(redis, keyspace, couponId),
    db.couponIssue.findMany({ where: { couponId }, select: { userId: true } }),
  ]);
  const inRedis = new Set(Object.keys(claims));
  const elsewhere = new Set([...issues.map((issue) => issue.userId), ...waiting.keys()]);
  const missingInRedis = [...elsewhere].filter((user) => !inRedis.has(user)).length;
  const missingInDatabase = [...inRedis].filter((user) => !elsewhere.has(user)).length;
  return {
    couponId,
    redisClaimed: inRedis.size,
    persisted: issues.length,
    waiting: waiting.size,
    missingInRedis,
    missingInDatabase,
    consistent: missingInRedis === 0 && missingInDatabase === 0,
  };
}

/**
 * Rebuilds a coupon's Redis state from PostgreSQL and its stream: the claim rules, every
 * persisted and waiting claim (HSETNX: what Redis still holds wins), the persisters' group and
 * the active set. Safe to run at any time, also while claims arrive.
 */
export async function restoreCoupon(
  db: Database,
  redis: Redis,
  keyspace: CouponKeyspace,
  couponId: string,
): Promise<void> {
  const coupon = await db.coupon.findUniqueOrThrow({ where: { id: couponId } });
  const keys = keyspace.coupon(couponId);
  for (let skip = 0; ; skip += CHUNK) {
    const issues = await db.couponIssue.findMany({
      where: { couponId },
      select: { userId: true, claimId: true },
      orderBy: { id: 'asc' },
      skip,
      take: CHUNK,
    });
    if (issues.length === 0) break;
    const pipeline = redis.pipeline();
    for (const issue of issues) pipeline.hsetnx(keys.claims, issue.userId, issue.claimId);
    await pipeline.exec();
  }
  const waiting = await waitingClaims(redis, keyspace, couponId);
  if (waiting.size > 0) {
    const pipeline = redis.pipeline();
    for (const [userId, claimId] of waiting) pipeline.hsetnx(keys.claims, userId, claimId);
    await pipeline.exec();
  }
  // After the claims: the quantity check compares against them.
  await writeCouponMeta(redis, keyspace, couponId, {
    start: coupon.issueStartAt,
    end: coupon.issueEndAt,
    total: coupon.totalQuantity,
    deleted: coupon.deletedAt !== null,
  });
  if (coupon.deletedAt === null || waiting.size > 0) await redis.sadd(keyspace.active, couponId);
}

export interface ReconcileReport {
  readonly restored: string[];
  readonly checks: CouponCheck[];
}

/**
 * Restores the Redis state of every coupon whose claim rules are missing there (every coupon
 * with `all`); returns their ids. What the coupons subgraph runs at start-up: one round trip
 * to find them, work only for those.
 */
export async function restoreMissing(
  db: Database,
  redis: Redis,
  keyspace: CouponKeyspace,
  options: { all?: boolean } = {},
): Promise<string[]> {
  const ids = (await db.coupon.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map(({ id }) => id);
  let missing = ids;
  if (!options.all && ids.length > 0) {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.exists(keyspace.coupon(id).meta);
    const exists = (await pipeline.exec()) ?? [];
    missing = ids.filter((_, index) => exists[index]?.[1] === 0);
  }
  for (const id of missing) await restoreCoupon(db, redis, keyspace, id);
  return missing;
}

/** restoreMissing, then a check of every coupon: `npm run coupons:reconcile`. */
export async function reconcile(
  db: Database,
  redis: Redis,
  keyspace: CouponKeyspace,
  options: { all?: boolean } = {},
): Promise<ReconcileReport> {
  const restored = await restoreMissing(db, redis, keyspace, options);
  const ids = (await db.coupon.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map(({ id }) => id);
  const checks: CouponCheck[] = [];
  for (const id of ids) checks.push(await checkCoupon(db, redis, keyspace, id));
  return { restored, checks };
}

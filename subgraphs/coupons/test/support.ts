import { fileURLToPath } from 'node:url';
import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { type SubgraphResult, startTestSubgraph, TestClock, type TestSubgraph, testLogger } from '@radiata/testing';
import { Redis } from 'ioredis';
import { ClaimPersister } from '../src/domain/claim-persister.js';
import type { CouponRecord } from '../src/domain/coupons.js';
import type { CouponIssueRecord } from '../src/domain/issues.js';
import { couponsSubgraph } from '../src/subgraph.js';

export const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RunningCoupons = Awaited<ReturnType<typeof couponsSubgraph.start>>;

export interface CouponsStack {
  readonly subgraph: RunningCoupons;
  /** The run: its database, namespace and environment. */
  readonly test: TestSubgraph<RunningCoupons>;
  readonly clock: TestClock;
  /** A plain client on the same Redis, for arranging and counting. */
  readonly redis: Redis;
  /** The run's REDIS_KEY_PREFIX. */
  readonly prefix: string;
  readonly admin: Viewer;
  /** The signed context the gateway would send for `viewer` (HTTP header or graphql-ws connectionParams). */
  signedContext(viewer: Viewer | null): Promise<Record<string, string>>;
  /** Posts one operation to the subgraph as `viewer` (the gateway's signed context). */
  call<T>(viewer: Viewer | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  sql<T>(text: string, ...values: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export type GraphQLResult<T> = SubgraphResult<T>;

/**
 * The coupons subgraph against a fresh database, in a Redis key prefix and RabbitMQ namespace of
 * its own, on an ephemeral port, with a clock the test sets.
 */
export async function startCouponsStack(env: Record<string, string> = {}): Promise<CouponsStack> {
  const clock = new TestClock();
  const test = await startTestSubgraph(couponsSubgraph, { env, clock });
  const redis = new Redis(REDIS_URL);
  return {
    subgraph: test.subgraph,
    test,
    clock,
    redis,
    prefix: test.namespace.redisKeyPrefix,
    admin: { id: newId(), role: 'ADMIN' },
    signedContext: test.client.signedContext,
    call: test.client.call,
    sql: test.sql,
    stop: async () => {
      await redis.quit();
      await test.stop();
    },
  };
}

export const CREATE_COUPON = /* GraphQL */ `
  mutation($input: CreateCouponInput!) {
    createCoupon(input: $input) { id title type totalQuantity claimedQuantity remainingQuantity issuedQuantity state }
  }
`;

export const CLAIM = /* GraphQL */ `
  mutation($couponId: ID!) { claimCoupon(couponId: $couponId) { outcome claimId retryAfterMs } }
`;

export const HOUR = 3_600_000;

export const couponInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Flash 10% off',
  type: 'FIRST_COME_FIRST_SERVED',
  discountType: 'RATE',
  discountRate: 10,
  maxOrderAmount: 500_000,
  issueStartAt: new Date(Date.now() - HOUR).toISOString(),
  issueEndAt: new Date(Date.now() + HOUR).toISOString(),
  validDays: 7,
  totalQuantity: 100,
  ...overrides,
});

export async function createCoupon(
  stack: CouponsStack,
  overrides: Record<string, unknown> = {},
): Promise<CouponRecord> {
  const result = await stack.call<{ createCoupon: { id: string } }>(stack.admin, CREATE_COUPON, {
    input: couponInput(overrides),
  });
  if (!result.data?.createCoupon) throw new Error(`createCoupon failed: ${JSON.stringify(result.errors)}`);
  return stack.subgraph.services.db.coupon.findUniqueOrThrow({ where: { id: result.data.createCoupon.id } });
}

/**
 * A coupon (created with `overrides`) issued to a new user: claimed through the API and persisted
 * here, for a stack started with CLAIM_PERSISTER=false.
 */
export async function issueCoupon(
  stack: CouponsStack,
  overrides: Record<string, unknown> = {},
): Promise<{ coupon: CouponRecord; userId: string; issue: CouponIssueRecord }> {
  const coupon = await createCoupon(stack, overrides);
  const userId = newId();
  await claimAll(stack, coupon.id, [userId]);
  await new ClaimPersister({
    db: stack.subgraph.services.db,
    redis: stack.subgraph.redis,
    keyspace: stack.subgraph.services.keyspace,
    clock: stack.clock,
    logger: testLogger('persister'),
  }).drain();
  const issue = await stack.subgraph.services.db.couponIssue.findFirstOrThrow({
    where: { couponId: coupon.id, userId },
  });
  return { coupon, userId, issue };
}

export interface ClaimAnswer {
  readonly userId: string;
  readonly outcome: string;
  readonly claimId: string | null;
}

/** Fires every claim at once (bounded only by the HTTP connection pool) and collects the answers. */
export async function claimAll(
  stack: CouponsStack,
  couponId: string,
  userIds: readonly string[],
): Promise<ClaimAnswer[]> {
  return Promise.all(
    userIds.map(async (userId) => {
      const result = await stack.call<{ claimCoupon: { outcome: string; claimId: string | null } }>(
        { id: userId, role: 'CUSTOMER' },
        CLAIM,
        { couponId },
      );
      if (!result.data?.claimCoupon) throw new Error(`claim failed: ${JSON.stringify(result.errors)}`);
      return { userId, ...result.data.claimCoupon };
    }),
  );
}

export const countBy = (answers: readonly ClaimAnswer[]): Record<string, number> =>
  answers.reduce<Record<string, number>>((counts, answer) => {
    counts[answer.outcome] = (counts[answer.outcome] ?? 0) + 1;
    return counts;
  }, {});

/** Every user twice, in an order where the two claims of a user are far apart. */
export function twiceEach(users: number): string[] {
  const ids = Array.from({ length: users }, () => newId());
  return [...ids, ...ids.toReversed()];
}

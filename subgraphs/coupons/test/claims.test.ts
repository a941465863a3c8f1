import { newId } from '@radiata/service-runtime';
import { subgraphClient, testLogger } from '@radiata/testing';
import type { Redis } from 'ioredis';
import { ClaimPersister } from '../src/domain/claim-persister.js';
import { reconcile } from '../src/domain/reconcile.js';
import { writeCouponMeta } from '../src/redis/scripts.js';
import { couponsSubgraph } from '../src/subgraph.js';
import {
  CLAIM,
  type ClaimAnswer,
  type CouponsStack,
  claimAll,
  countBy,
  createCoupon,
  HOUR,
  startCouponsStack,
} from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  // The in-process persister is off: these tests run persisters themselves. The claim limit's
  // window is an hour, so no burst straddles two windows however slow the machine.
  stack = await startCouponsStack({ CLAIM_PERSISTER: 'false', CLAIM_RATE_WINDOW_SECONDS: '3600' });
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

const customer = () => ({ id: newId(), role: 'CUSTOMER' as const });
const claim = async (couponId: string, user = customer()) => {
  const result = await stack.call<{
    claimCoupon: { outcome: string; claimId: string | null; retryAfterMs: number | null };
  }>(user, CLAIM, { couponId });
  return result.data?.claimCoupon;
};
const persister = (overrides: Partial<ConstructorParameters<typeof ClaimPersister>[0]> = {}) =>
  new ClaimPersister({
    db: stack.subgraph.services.db,
    redis: stack.subgraph.redis,
    keyspace: stack.subgraph.services.keyspace,
    clock: stack.clock,
    logger: testLogger('persister'),
    takeOverAfterMs: 0,
    ...overrides,
  });
const issues = async (couponId: string) =>
  (
    await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM coupon_issues WHERE coupon_id = $1::uuid', couponId)
  )[0]?.n;
const events = async (couponId: string) =>
  (
    await stack.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE routing_key = 'coupons.issued' AND payload->>'couponId' = $1`,
      couponId,
    )
  )[0]?.n;

describe('the issue window', () => {
  it('opens at issueStartAt exactly and closes at issueEndAt exactly', async () => {
    const start = new Date(Date.now() + HOUR);
    const end = new Date(start.getTime() + HOUR);
    const coupon = await createCoupon(stack, { issueStartAt: start.toISOString(), issueEndAt: end.toISOString() });
    const at = async (ms: number) => {
      stack.clock.set(new Date(ms));
      return (await claim(coupon.id))?.outcome;
    };
    expect(await at(start.getTime() - 3_600_000)).toBe('NOT_OPEN_YET');
    expect(await at(start.getTime() - 1)).toBe('NOT_OPEN_YET');
    expect(await at(start.getTime())).toBe('ACCEPTED');
    expect(await at(end.getTime() - 1)).toBe('ACCEPTED');
    expect(await at(end.getTime())).toBe('CLOSED');
    expect(await at(end.getTime() + 86_400_000)).toBe('CLOSED');
  });

  it('answers NOT_FOUND for unknown, malformed and deleted coupons', async () => {
    expect((await claim(newId()))?.outcome).toBe('NOT_FOUND');
    expect((await claim('not-an-id'))?.outcome).toBe('NOT_FOUND');
    const coupon = await createCoupon(stack);
    await stack.call(stack.admin, 'mutation($id: ID!) { deleteCoupon(id: $id) }', { id: coupon.id });
    expect((await claim(coupon.id))?.outcome).toBe('NOT_FOUND');
  });

  it('refuses anonymous claims', async () => {
    const coupon = await createCoupon(stack);
    const result = await stack.call(null, CLAIM, { couponId: coupon.id });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('rate limiting', () => {
  it('answers RATE_LIMITED to a shopper hammering the button, without running the claim script', async () => {
    const coupon = await createCoupon(stack);
    const user = customer();
    // The claim script as the subgraph runs it (the server's command stats count every client of this Redis).
    const script = jest.spyOn(stack.subgraph.redis, 'couponClaim');
    const limitedBefore = await claimsCounted('RATE_LIMITED');
    const answers = await Promise.all(Array.from({ length: 20 }, () => claim(coupon.id, user)));
    const scriptRuns = script.mock.calls.length;
    script.mockRestore();
    const outcomes = answers.map((answer) => answer?.outcome);
    expect(outcomes.filter((outcome) => outcome === 'RATE_LIMITED')).toHaveLength(15);
    expect(outcomes.filter((outcome) => outcome === 'ACCEPTED')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'ALREADY_CLAIMED')).toHaveLength(4);
    expect(answers.find((answer) => answer?.outcome === 'RATE_LIMITED')?.retryAfterMs).toBeGreaterThan(0);
    // only the 5 admitted claims ran the script
    expect(scriptRuns).toBe(5);
    // and /metrics counts the answers by outcome
    expect((await claimsCounted('RATE_LIMITED')) - limitedBefore).toBe(15);

    // Once over the limit, the shopper is answered from process memory: no Redis round trip at all.
    const limiterCalls = jest.spyOn(stack.subgraph.redis as unknown as { rlflxIncr: () => unknown }, 'rlflxIncr');
    const more = await Promise.all(Array.from({ length: 10 }, () => claim(coupon.id, user)));
    const anotherShopper = await claim(coupon.id); // the control: a shopper within the limit is counted in Redis
    const redisCalls = limiterCalls.mock.calls.length;
    limiterCalls.mockRestore();
    expect(more.map((answer) => answer?.outcome)).toEqual(Array(10).fill('RATE_LIMITED'));
    expect(anotherShopper?.outcome).toBe('ACCEPTED');
    expect(redisCalls).toBe(1);
  });

  it('counts one shopper across replicas: the limit is shared, not per process', async () => {
    const replica = await couponsSubgraph.start({
      env: { ...stack.test.env, CLAIM_PERSISTER: 'false' },
      logger: testLogger('coupons-replica'),
      clock: stack.clock,
    });
    const replicaClient = subgraphClient(replica.url, stack.test.secrets.GATEWAY_CONTEXT_SECRET);
    try {
      const user = customer();
      const coupons = await Promise.all(Array.from({ length: 6 }, () => createCoupon(stack)));
      const outcomes: (string | undefined)[] = [];
      // Alternating replicas, one claim at a time: 5 (CLAIM_RATE_LIMIT) are admitted in all.
      for (const [index, coupon] of coupons.entries()) {
        if (index % 2 === 0) {
          outcomes.push((await claim(coupon.id, user))?.outcome);
        } else {
          const answer = await replicaClient.call<{ claimCoupon: { outcome: string } }>(user, CLAIM, {
            couponId: coupon.id,
          });
          outcomes.push(answer.data?.claimCoupon.outcome);
        }
      }
      expect(outcomes).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'RATE_LIMITED']);
    } finally {
      await replicaClient.close();
      await replica.stop();
    }
  });
});

/** coupon_claims_total for one outcome, from the subgraph's metrics port. */
async function claimsCounted(outcome: string): Promise<number> {
  const text = await (await fetch(stack.subgraph.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('coupon_claims_total{') && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the persister', () => {
  it('loses and duplicates nothing when it dies after committing a batch and another takes over', async () => {
    await persister().drain(); // earlier tests' claims: the dying persister's first batch must be this coupon's
    const coupon = await createCoupon(stack, { totalQuantity: 300 });
    const answers = await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 300 }, () => newId()),
    );
    expect(countBy(answers)).toEqual({ ACCEPTED: 300 });

    // The first persister commits its first batch, then "dies" before acknowledging it.
    const dying = new Proxy(stack.subgraph.redis, {
      get(target, property, receiver) {
        if (property === 'multi') {
          return () => {
            throw new Error('killed before XACK');
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(persister({ redis: dying as Redis, batchSize: 120, consumerName: 'dying' }).drain()).rejects.toThrow(
      'killed before XACK',
    );
    expect(await issues(coupon.id)).toBe(120);

    // Another persister takes the unacknowledged claims over and persists the rest.
    await persister({ batchSize: 100, consumerName: 'successor' }).drain();
    expect(await issues(coupon.id)).toBe(300);
    expect(await events(coupon.id)).toBe(300);
    const stored = await stack.sql<{ claim_id: string }>(
      'SELECT claim_id::text FROM coupon_issues WHERE coupon_id = $1::uuid',
      coupon.id,
    );
    expect(new Set(stored.map((row) => row.claim_id))).toEqual(
      new Set(answers.map((answer: ClaimAnswer) => answer.claimId)),
    );
    expect(await stack.redis.xlen(`${stack.prefix}{coupon:${coupon.id}}:stream`)).toBe(0);
  });

  it('takes over claims a persister read but never persisted', async () => {
    const coupon = await createCoupon(stack, { totalQuantity: 50 });
    await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 50 }, () => newId()),
    );
    // Read as a consumer that dies at once: the claims are pending for it.
    await stack.redis.xreadgroup(
      'GROUP',
      'persisters',
      'vanished',
      'COUNT',
      30,
      'STREAMS',
      `${stack.prefix}{coupon:${coupon.id}}:stream`,
      '>',
    );
    await persister({ consumerName: 'survivor' }).drain();
    expect(await issues(coupon.id)).toBe(50);
    expect(await events(coupon.id)).toBe(50);
  });
  it('persists the claims of a coupon whose row was not committed yet when a pass met it', async () => {
    const { db } = stack.subgraph.services;
    const { redis } = stack.subgraph;
    const { keyspace } = stack.subgraph.services;
    const template = await db.coupon.findUniqueOrThrow({ where: { id: (await createCoupon(stack)).id } });
    const id = newId();
    const reader = persister();
    const active = () => redis.sismember(keyspace.active, id);
    await db.$transaction(async (tx) => {
      await tx.coupon.create({ data: { ...template, id } });
      // What Coupons.create does before its commit: the rules in Redis, the coupon in the active set.
      await writeCouponMeta(redis, keyspace, id, {
        start: template.issueStartAt,
        end: template.issueEndAt,
        total: template.totalQuantity,
        deleted: false,
      });
      await redis.sadd(keyspace.active, id);
      expect(countBy(await claimAll(stack, id, [newId(), newId()]))).toEqual({ ACCEPTED: 2 });
      expect(await reader.drain()).toBe(0); // the row is not visible outside this transaction yet
      expect(await active()).toBe(1);
    });
    expect(await reader.drain()).toBe(2);
    expect(await issues(id)).toBe(2);
  });

  it('stops reading a coupon whose row never appears (its creation rolled back) after a grace', async () => {
    const id = newId();
    const { redis } = stack.subgraph;
    const { keyspace } = stack.subgraph.services;
    await redis.sadd(keyspace.active, id);
    const reader = persister();
    await reader.drain();
    expect(await redis.sismember(keyspace.active, id)).toBe(1);
    stack.clock.set(new Date(Date.now() + 61_000));
    await reader.drain();
    expect(await redis.sismember(keyspace.active, id)).toBe(0);
  });

  it('stops reading an ended coupon once its stream is empty, by the service clock', async () => {
    const coupon = await createCoupon(stack, { totalQuantity: 5 });
    await claimAll(stack, coupon.id, [newId()]);
    const active = () => stack.redis.sismember(`${stack.prefix}coupons:active`, coupon.id);
    await persister().drain();
    expect(await active()).toBe(1); // still open: later claims must be read
    stack.clock.set(new Date(coupon.issueEndAt.getTime() + 1));
    await persister().drain();
    expect(await active()).toBe(0);
    expect(await issues(coupon.id)).toBe(1);
  });
});

describe('reconcile', () => {
  it('restores the exact claim state after Redis lost a coupon, and the quantity still holds', async () => {
    const coupon = await createCoupon(stack, { totalQuantity: 100 });
    const first = await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 60 }, () => newId()),
    );
    await persister().drain();
    // 10 more accepted but not persisted yet: they live only in the stream
    const waiting = await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 10 }, () => newId()),
    );
    const keys = `${stack.prefix}{coupon:${coupon.id}}`;
    await stack.redis.del(`${keys}:meta`, `${keys}:claims`);
    expect((await claim(coupon.id))?.outcome).toBe('NOT_FOUND');

    const report = await reconcile(stack.subgraph.services.db, stack.subgraph.redis, stack.subgraph.services.keyspace);
    expect(report.restored).toContain(coupon.id);
    expect(report.checks.find((check) => check.couponId === coupon.id)).toEqual({
      couponId: coupon.id,
      redisClaimed: 70,
      persisted: 60,
      waiting: 10,
      missingInRedis: 0,
      missingInDatabase: 0,
      consistent: true,
    });
    // earlier claimers are still known, and exactly 30 remain for newcomers
    expect(
      (await claimAll(stack, coupon.id, [first[0]?.userId as string, waiting[0]?.userId as string])).map(
        (a) => a.outcome,
      ),
    ).toEqual(['ALREADY_CLAIMED', 'ALREADY_CLAIMED']);
    expect(
      countBy(
        await claimAll(
          stack,
          coupon.id,
          Array.from({ length: 80 }, () => newId()),
        ),
      ),
    ).toEqual({
      ACCEPTED: 30,
      SOLD_OUT: 50,
    });
    await persister().drain();
    expect(await issues(coupon.id)).toBe(100);
  });

  it('reports a difference between Redis and PostgreSQL', async () => {
    const coupon = await createCoupon(stack, { totalQuantity: 10 });
    await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 3 }, () => newId()),
    );
    await persister().drain();
    await stack.redis.hdel(
      `${stack.prefix}{coupon:${coupon.id}}:claims`,
      (await stack.redis.hkeys(`${stack.prefix}{coupon:${coupon.id}}:claims`))[0] as string,
    );
    const report = await reconcile(stack.subgraph.services.db, stack.subgraph.redis, stack.subgraph.services.keyspace);
    expect(report.checks.find((check) => check.couponId === coupon.id)).toMatchObject({
      redisClaimed: 2,
      persisted: 3,
      missingInRedis: 1,
      consistent: false,
    });
  });
});

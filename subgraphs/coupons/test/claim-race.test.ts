import { eventually } from '@radiata/testing';
import { type CouponsStack, claimAll, countBy, createCoupon, startCouponsStack, twiceEach } from './support.js';

jest.setTimeout(120_000);

let stack: CouponsStack;
beforeAll(async () => {
  // Each shopper claims twice: the per-user rate limit (5/s) is not what is tested here.
  stack = await startCouponsStack();
});
afterAll(() => stack.stop());

/** Waits until the persister has moved every accepted claim of the coupon into PostgreSQL. */
async function persisted(couponId: string, expected: number): Promise<void> {
  await eventually(async () => {
    const [row] = await stack.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM coupon_issues WHERE coupon_id = $1::uuid',
      couponId,
    );
    return (row?.n ?? 0) >= expected;
  }, 60_000);
}

async function databaseState(couponId: string) {
  const [issues] = await stack.sql<{ rows: number; users: number; claims: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT user_id)::int AS users, count(DISTINCT claim_id)::int AS claims
     FROM coupon_issues WHERE coupon_id = $1::uuid`,
    couponId,
  );
  const [coupon] = await stack.sql<{ issued_quantity: number }>(
    'SELECT issued_quantity FROM coupons WHERE id = $1::uuid',
    couponId,
  );
  const [events] = await stack.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox_messages WHERE routing_key = 'coupons.issued' AND payload->>'couponId' = $1`,
    couponId,
  );
  const claimed = await stack.redis.hlen(`${stack.prefix}{coupon:${couponId}}:claims`);
  return { ...issues, issuedQuantity: coupon?.issued_quantity, events: events?.n, redisClaimed: claimed };
}

it('issues exactly 1,000 of 1,000 to 10,000 concurrent claims from 5,000 shoppers, each at most once', async () => {
  const coupon = await createCoupon(stack, { totalQuantity: 1_000 });
  const answers = await claimAll(stack, coupon.id, twiceEach(5_000));

  const counts = countBy(answers);
  expect(counts.ACCEPTED).toBe(1_000);
  expect((counts.SOLD_OUT ?? 0) + (counts.ALREADY_CLAIMED ?? 0)).toBe(9_000);
  expect(Object.keys(counts).sort()).toEqual(['ACCEPTED', 'ALREADY_CLAIMED', 'SOLD_OUT']);
  const winners = answers.filter((answer) => answer.outcome === 'ACCEPTED');
  expect(new Set(winners.map((answer) => answer.userId)).size).toBe(1_000);
  expect(new Set(winners.map((answer) => answer.claimId)).size).toBe(1_000);

  await persisted(coupon.id, 1_000);
  await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more may arrive
  expect(await databaseState(coupon.id)).toEqual({
    rows: 1_000,
    users: 1_000,
    claims: 1_000,
    issuedQuantity: 1_000,
    events: 1_000,
    redisClaimed: 1_000,
  });
  const stored = await stack.sql<{ user_id: string; claim_id: string }>(
    'SELECT user_id::text, claim_id::text FROM coupon_issues WHERE coupon_id = $1::uuid',
    coupon.id,
  );
  expect(new Map(stored.map((row) => [row.user_id, row.claim_id]))).toEqual(
    new Map(winners.map((answer) => [answer.userId, answer.claimId])),
  );
});

it('gives everyone one when the quantity covers them all (10,000 for 5,000 shoppers claiming twice)', async () => {
  const coupon = await createCoupon(stack, { totalQuantity: 10_000 });
  const answers = await claimAll(stack, coupon.id, twiceEach(5_000));
  expect(countBy(answers)).toEqual({ ACCEPTED: 5_000, ALREADY_CLAIMED: 5_000 });
  await persisted(coupon.id, 5_000);
  expect(await databaseState(coupon.id)).toMatchObject({
    rows: 5_000,
    users: 5_000,
    issuedQuantity: 5_000,
    redisClaimed: 5_000,
  });
});

it('has no total for UNLIMITED coupons, still one per shopper', async () => {
  const coupon = await createCoupon(stack, { type: 'UNLIMITED', totalQuantity: null });
  const answers = await claimAll(stack, coupon.id, twiceEach(1_500));
  expect(countBy(answers)).toEqual({ ACCEPTED: 1_500, ALREADY_CLAIMED: 1_500 });
  await persisted(coupon.id, 1_500);
  expect(await databaseState(coupon.id)).toMatchObject({ rows: 1_500, users: 1_500, redisClaimed: 1_500 });
});

import { newId } from '@radiata/service-runtime';
import { testLogger } from '@radiata/testing';
import { ClaimPersister } from '../src/domain/claim-persister.js';
import { discountFor } from '../src/domain/redemptions.js';
import { type CouponsStack, claimAll, createCoupon, HOUR, startCouponsStack } from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  stack = await startCouponsStack({ CLAIM_PERSISTER: 'false' });
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

/** A coupon issued to a new user: claimed through the API and persisted. */
async function issued(overrides: Record<string, unknown> = {}) {
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

const redemptions = () => stack.subgraph.services.redemptions;
const statusOf = async (issueId: string) =>
  (await stack.subgraph.services.db.couponIssue.findUniqueOrThrow({ where: { id: issueId } })).status;

describe('discountFor', () => {
  it('rounds rate discounts down and never exceeds the order amount', () => {
    const rate = { discountType: 'RATE' as const, discountRate: 15, discountAmount: null };
    expect(discountFor(rate, 33_333)).toBe(4_999);
    expect(discountFor({ ...rate, discountRate: 100 }, 12_000)).toBe(12_000);
    const amount = { discountType: 'AMOUNT' as const, discountRate: null, discountAmount: 5_000 };
    expect(discountFor(amount, 20_000)).toBe(5_000);
    expect(discountFor(amount, 3_000)).toBe(3_000);
  });
});

describe('using a coupon for an order', () => {
  it('marks it USED with the discount, idempotently for the same order, and refuses another order', async () => {
    const { issue, userId } = await issued({ discountRate: 10, minOrderAmount: 10_000, maxOrderAmount: 100_000 });
    const orderId = newId();
    const request = { issueId: issue.id, userId, orderId, orderAmount: 54_321 };
    expect(await redemptions().use(request)).toEqual({ ok: true, issueId: issue.id, discount: 5_432 });
    expect(await redemptions().use(request)).toEqual({ ok: true, issueId: issue.id, discount: 5_432 });
    expect(await redemptions().use({ ...request, orderId: newId() })).toEqual({ ok: false, reason: 'ALREADY_USED' });
    expect(await statusOf(issue.id)).toBe('USED');
  });

  it('refuses another user, an amount out of range and an expired coupon, changing nothing', async () => {
    const { issue, userId } = await issued({ minOrderAmount: 10_000, maxOrderAmount: 100_000, validDays: 1 });
    const base = { issueId: issue.id, userId, orderId: newId(), orderAmount: 50_000 };
    expect(await redemptions().use({ ...base, userId: newId() })).toEqual({ ok: false, reason: 'NOT_YOURS' });
    expect(await redemptions().use({ ...base, orderAmount: 9_999 })).toEqual({
      ok: false,
      reason: 'AMOUNT_OUT_OF_RANGE',
    });
    expect(await redemptions().use({ ...base, orderAmount: 100_001 })).toEqual({
      ok: false,
      reason: 'AMOUNT_OUT_OF_RANGE',
    });
    expect(await redemptions().use({ ...base, issueId: newId() })).toEqual({ ok: false, reason: 'NOT_FOUND' });
    stack.clock.set(issue.expiresAt);
    expect(await redemptions().use(base)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(await statusOf(issue.id)).toBe('ISSUED');
  });

  it('restores the coupon when the order is compensated, once', async () => {
    const { issue, userId } = await issued();
    const orderId = newId();
    await redemptions().use({ issueId: issue.id, userId, orderId, orderAmount: 30_000 });
    expect(await Promise.all([redemptions().restore(orderId), redemptions().restore(orderId)])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect(await statusOf(issue.id)).toBe('ISSUED');
    // usable again, for another order
    expect(await redemptions().use({ issueId: issue.id, userId, orderId: newId(), orderAmount: 30_000 })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it('expires unused coupons past their expiry, and restores an expired one as EXPIRED', async () => {
    const { issue, userId } = await issued({ validDays: 1 });
    const orderId = newId();
    await redemptions().use({ issueId: issue.id, userId, orderId, orderAmount: 30_000 });
    stack.clock.set(new Date(issue.expiresAt.getTime() + HOUR));
    await redemptions().restore(orderId);
    expect(await statusOf(issue.id)).toBe('EXPIRED');

    stack.clock.set(undefined);
    const other = await issued({ validDays: 1 });
    stack.clock.set(new Date(other.issue.expiresAt.getTime() - 1));
    await redemptions().expire();
    expect(await statusOf(other.issue.id)).toBe('ISSUED');
    stack.clock.set(other.issue.expiresAt);
    expect(await redemptions().expire()).toBeGreaterThanOrEqual(1);
    expect(await statusOf(other.issue.id)).toBe('EXPIRED');
  });
});

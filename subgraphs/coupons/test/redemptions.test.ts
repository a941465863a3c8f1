import { newId } from '@radiata/service-runtime';
import { discountFor, OrderHasAnotherCoupon } from '../src/domain/redemptions.js';
import { type CouponsStack, HOUR, issueCoupon, startCouponsStack } from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  stack = await startCouponsStack({ CLAIM_PERSISTER: 'false' });
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

const issued = (overrides: Record<string, unknown> = {}) => issueCoupon(stack, overrides);
const redemptions = () => stack.subgraph.services.redemptions;
const statusOf = async (issueId: string) =>
  (await stack.subgraph.services.db.couponIssue.findUniqueOrThrow({ where: { id: issueId } })).status;
const useOf = (issueId: string) =>
  stack.subgraph.services.db.couponIssue.findUniqueOrThrow({
    where: { id: issueId },
    select: { status: true, orderId: true, discount: true },
  });

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
    const { issue, userId, coupon } = await issued({
      discountRate: 10,
      minOrderAmount: 10_000,
      maxOrderAmount: 100_000,
    });
    const orderId = newId();
    const request = { issueId: issue.id, userId, orderId, orderAmount: 54_321 };
    const used = { ok: true, issueId: issue.id, couponId: coupon.id, discount: 5_432 };
    expect(await redemptions().use(request)).toEqual(used);
    expect(await redemptions().use(request)).toEqual(used);
    expect(await redemptions().use({ ...request, orderId: newId() })).toEqual({ ok: false, reason: 'ALREADY_USED' });
    expect(await useOf(issue.id)).toEqual({ status: 'USED', orderId, discount: 5_432 });
  });

  it('answers the same order with the discount it granted, even after the coupon changed', async () => {
    const { issue, userId, coupon } = await issued({ discountRate: 10, maxOrderAmount: 100_000 });
    const request = { issueId: issue.id, userId, orderId: newId(), orderAmount: 50_000 };
    expect(await redemptions().use(request)).toMatchObject({ ok: true, discount: 5_000 });
    await stack.sql('UPDATE coupons SET discount_rate = 50, max_order_amount = 10000 WHERE id = $1', coupon.id);
    expect(await redemptions().use(request)).toEqual({
      ok: true,
      issueId: issue.id,
      couponId: coupon.id,
      discount: 5_000,
    });
  });

  it('refuses a second coupon for an order that already uses one, for good', async () => {
    const first = await issued();
    const second = await issued();
    const orderId = newId();
    await redemptions().use({ issueId: first.issue.id, userId: first.userId, orderId, orderAmount: 30_000 });
    await expect(
      redemptions().use({ issueId: second.issue.id, userId: second.userId, orderId, orderAmount: 30_000 }),
    ).rejects.toThrow(OrderHasAnotherCoupon);
    expect(await statusOf(second.issue.id)).toBe('ISSUED');
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

  it('restores the coupon when the order is compensated, once, answering the same every time', async () => {
    const { issue, userId } = await issued();
    const orderId = newId();
    const request = { issueId: issue.id, userId, orderId, orderAmount: 30_000 };
    await redemptions().use(request);
    expect(await Promise.all([redemptions().restore(orderId), redemptions().restore(orderId)])).toEqual([true, true]);
    expect(await useOf(issue.id)).toEqual({ status: 'ISSUED', orderId: null, discount: null });
    // never again for that order, but usable again for another
    expect(await redemptions().use(request)).toEqual({ ok: false, reason: 'ALREADY_RELEASED' });
    expect(await statusOf(issue.id)).toBe('ISSUED');
    const other = await redemptions().use({ ...request, orderId: newId() });
    expect(other).toMatchObject({ ok: true });
    expect(await redemptions().restore(orderId)).toBe(true);
    expect(await statusOf(issue.id)).toBe('USED');
  });

  it('restores an order that used no coupon as nothing, and refuses its use when it comes late', async () => {
    const { issue, userId } = await issued();
    const orderId = newId();
    expect(await redemptions().restore(orderId)).toBe(false);
    expect(await redemptions().use({ issueId: issue.id, userId, orderId, orderAmount: 30_000 })).toEqual({
      ok: false,
      reason: 'ALREADY_RELEASED',
    });
    expect(await redemptions().restore(orderId)).toBe(false);
    expect(await useOf(issue.id)).toEqual({ status: 'ISSUED', orderId: null, discount: null });
  });

  it('never leaves a coupon used by an order whose use and restore race', async () => {
    const { issue, userId } = await issued();
    const orders = Array.from({ length: 20 }, () => newId());
    await Promise.all(
      orders.flatMap((orderId) => [
        redemptions().use({ issueId: issue.id, userId, orderId, orderAmount: 30_000 }),
        redemptions().restore(orderId),
      ]),
    );
    // Every order was restored: whichever came first, no use may survive its restore.
    expect(await useOf(issue.id)).toEqual({ status: 'ISSUED', orderId: null, discount: null });
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

import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import { type CouponsStack, claimAll, createCoupon, startCouponsStack } from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  stack = await startCouponsStack({ COUPON_EXPIRY_INTERVAL_MS: '100' });
});
afterAll(() => stack.stop());

it('moves issued coupons to EXPIRED on schedule once their expiry has passed', async () => {
  const coupon = await createCoupon(stack, { validDays: 1 });
  const userId = newId();
  await claimAll(stack, coupon.id, [userId]);
  const issue = async () =>
    stack.subgraph.services.db.couponIssue.findFirst({ where: { couponId: coupon.id, userId } });
  await eventually(async () => (await issue()) !== null);
  await new Promise((resolve) => setTimeout(resolve, 300)); // a few runs before the expiry: nothing changes
  expect((await issue())?.status).toBe('ISSUED');

  stack.clock.set(new Date(((await issue())?.expiresAt.getTime() ?? 0) + 1));
  await eventually(async () => (await issue())?.status === 'EXPIRED');
  expect((await issue())?.status).toBe('EXPIRED');
});

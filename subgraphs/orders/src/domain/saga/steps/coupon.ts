import { z } from 'zod';
import { subtotalOf } from '../amounts.js';
import type { SagaStep } from '../step.js';

const used = z.object({ issueId: z.guid(), discount: z.number().int().min(0) });

/** Use the coupon (coupons), on the order amount after item discounts: its range and owner checked there. */
export const couponStep: SagaStep<z.infer<typeof used>> = {
  name: 'coupon',
  participant: 'coupons',
  applies: (order) => order.couponIssueId !== null,
  forward: {
    action: 'use',
    result: 'used',
    data: (order) => ({ userId: order.userId, issueId: order.couponIssueId, orderAmount: subtotalOf(order) }),
  },
  reply: used,
  // Never more than the amount, whatever the participant says.
  onDone: (order, reply) => ({ order: { couponDiscount: Math.min(reply.discount, subtotalOf(order)) } }),
  backward: { action: 'restore', result: 'restored', data: () => ({}) },
};

import { usablePoints } from '../pricing.js';
import type { SagaOrder } from './step.js';

/** The order amount after item discounts (what a coupon applies to); 0 before the stock step priced it. */
export const subtotalOf = (order: SagaOrder): number =>
  (order.itemsTotal ?? 0) - (order.productDiscount ?? 0) - (order.saleDiscount ?? 0);

/** Points the points step will use: what was asked for, within what is left after the coupon. */
export const pointsToUse = (order: SagaOrder): number =>
  usablePoints(order.pointsRequested, subtotalOf(order), order.couponDiscount ?? 0);

/** What the shopper pays once every forward step answered. */
export const amountToPayOf = (order: SagaOrder): number =>
  subtotalOf(order) - (order.couponDiscount ?? 0) - (order.pointsUsed ?? 0);

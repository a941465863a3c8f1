import type { TimeSaleProduct } from '../../generated/prisma/client.js';

export interface Window {
  readonly startAt: Date;
  readonly endAt: Date;
}

/** Where a sale stands on the clock alone. */
export type SalePhase = 'SCHEDULED' | 'RUNNING' | 'ENDED';

export type TimeSaleStatus = 'SCHEDULED' | 'LIVE' | 'SOLD_OUT' | 'ENDED';

/** Windows are half-open: [startAt, endAt). */
export const phaseAt = (window: Window, now: Date): SalePhase =>
  now < window.startAt ? 'SCHEDULED' : now < window.endAt ? 'RUNNING' : 'ENDED';

/**
 * SCHEDULED before the start, ENDED from the end on; in between SOLD_OUT when the sale has
 * products and none has anything left, LIVE otherwise.
 */
export function saleStatus(sale: Window, now: Date, remaining: readonly number[]): TimeSaleStatus {
  const phase = phaseAt(sale, now);
  if (phase !== 'RUNNING') return phase;
  return remaining.length > 0 && remaining.every((left) => left <= 0) ? 'SOLD_OUT' : 'LIVE';
}

/** When a sale product sells: its own window, or its sale's. */
export const sellingWindow = (
  saleProduct: Pick<TimeSaleProduct, 'startAt' | 'endAt' | 'saleStartAt' | 'saleEndAt'>,
): Window => ({
  startAt: saleProduct.startAt ?? saleProduct.saleStartAt,
  endAt: saleProduct.endAt ?? saleProduct.saleEndAt,
});

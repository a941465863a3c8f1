import { saleStatus, type TimeSaleStatus, type Window } from '../sales/window-rules.js';

/** One event of timeSaleCountdown: where a sale stands at `at`. */
export interface CountdownSnapshot {
  readonly timeSaleId: string;
  readonly status: TimeSaleStatus;
  /** Whole seconds until the start, rounded up; 0 once started. */
  readonly secondsUntilStart: number;
  /** Whole seconds until the end, rounded up; 0 once ended. */
  readonly secondsUntilEnd: number;
  /** What is left of every product of the sale together. */
  readonly remainingQuantity: number;
  readonly at: Date;
}

const secondsUntil = (instant: Date, now: Date): number =>
  Math.max(0, Math.ceil((instant.getTime() - now.getTime()) / 1000));

/** The countdown of a sale at `now`, from what is left of each of its products. */
export function countdownAt(
  sale: Window & { readonly id: string },
  remaining: readonly number[],
  now: Date,
): CountdownSnapshot {
  return {
    timeSaleId: sale.id,
    status: saleStatus(sale, now, remaining),
    secondsUntilStart: secondsUntil(sale.startAt, now),
    secondsUntilEnd: secondsUntil(sale.endAt, now),
    remainingQuantity: remaining.reduce((sum, left) => sum + Math.max(0, left), 0),
    at: now,
  };
}

/**
 * Milliseconds from `wallMs` to the next whole second of the wall clock. A timer that fired a
 * moment early (just before the second it was set for) waits for the one after, so two ticks
 * never come a few milliseconds apart.
 */
export function delayToNextSecond(wallMs: number): number {
  const delay = 1000 - (wallMs % 1000);
  return delay < 100 ? delay + 1000 : delay;
}

import type { TimeSale, TimeSaleProduct } from '../../generated/prisma/client.js';

/** A time sale as PostgreSQL holds it (soft-deleted ones have `deletedAt`). */
export type TimeSaleRecord = TimeSale;

/**
 * A product of a time sale as PostgreSQL holds it: `startAt`/`endAt` are its own narrower window
 * (null: the sale's, copied in `saleStartAt`/`saleEndAt`); `soldQuantity` is what PostgreSQL has
 * recorded (Redis runs ahead by the reservations in flight).
 */
export type TimeSaleProductRecord = TimeSaleProduct;

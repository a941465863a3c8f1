import type { ReserveOutcome } from '../../redis/scripts.js';
import { phaseAt, type Window } from '../sales/window-rules.js';

/** A product of a time sale, as an order names it. */
export interface SaleItemRef {
  readonly timeSaleId: string;
  readonly productId: string;
}

/** One line of an order: so much of a product at a time sale's price. */
export interface SaleItem extends SaleItemRef {
  readonly quantity: number;
}

/** Why the saga's reserve of an order's sale quantity was refused (docs/ARCHITECTURE.md, "Order saga"). */
export type SaleRefusalReason =
  | 'SALE_SOLD_OUT'
  | 'SALE_NOT_LIVE'
  | 'NOT_IN_SALE'
  | 'PER_USER_LIMIT'
  | 'ALREADY_RELEASED';

/** A refused reserve: why, and the item it was refused for. */
export interface SaleRefusal {
  readonly reason: SaleRefusalReason;
  readonly item: SaleItemRef;
}

/**
 * The lines of an order, one per sale product (SaleStock holds one reservation per order and sale
 * product): the quantities of lines naming the same product of the same sale added up, in the
 * order the lines first appear.
 */
export function mergeItems(items: readonly SaleItem[]): SaleItem[] {
  const merged = new Map<string, SaleItem>();
  for (const item of items) {
    const key = `${item.timeSaleId}:${item.productId}`;
    const previous = merged.get(key);
    merged.set(key, { ...item, quantity: (previous?.quantity ?? 0) + item.quantity });
  }
  return [...merged.values()];
}

/** The refusal a SaleStock outcome other than RESERVED stands for. */
export function refusalReasonOf(outcome: Exclude<ReserveOutcome, 'RESERVED'>): SaleRefusalReason {
  switch (outcome) {
    case 'SOLD_OUT':
    case 'INSUFFICIENT_QUANTITY':
      return 'SALE_SOLD_OUT';
    case 'NOT_STARTED':
    case 'ENDED':
      return 'SALE_NOT_LIVE';
    case 'LIMIT_EXCEEDED':
      return 'PER_USER_LIMIT';
    case 'ALREADY_RELEASED':
      return 'ALREADY_RELEASED';
    case 'NOT_FOUND':
      return 'NOT_IN_SALE';
  }
}

/** What an order's released_orders row (its tombstone) says about a reserve of the order. */
export interface Tombstone {
  /** Null: orders released the order. Otherwise its reserve was refused, for this item. */
  readonly refusal: Exclude<SaleRefusalReason, 'ALREADY_RELEASED'> | null;
  readonly refusedTimeSaleId: string | null;
  readonly refusedProductId: string | null;
}

/**
 * The answer to a reserve of an order that has a tombstone: the refusal its reserve got (every
 * resend gets the same), or ALREADY_RELEASED once orders released it, reported for the order's
 * first item so that every resend reports the same one.
 */
export function refusalOf(tombstone: Tombstone, items: readonly SaleItemRef[]): SaleRefusal {
  const { refusal, refusedTimeSaleId, refusedProductId } = tombstone;
  if (refusal && refusedTimeSaleId && refusedProductId) {
    return { reason: refusal, item: { timeSaleId: refusedTimeSaleId, productId: refusedProductId } };
  }
  const [first] = items;
  if (!first) throw new RangeError('an order reserves at least one item');
  return { reason: 'ALREADY_RELEASED', item: { timeSaleId: first.timeSaleId, productId: first.productId } };
}

/** A sale product that may be the one an order's item names. */
export interface SaleProductCandidate extends SaleItemRef {
  readonly id: string;
  /** Its own selling window. */
  readonly window: Window;
  /** Its sale was deleted, or the catalog deleted its product: the sale no longer holds it. */
  readonly withdrawn: boolean;
  /** The order already has a reservation of it (a resend). */
  readonly heldByOrder: boolean;
}

/**
 * The sale product an item reserves: the one the order already holds (so a resend reserves what
 * the first command did, whatever changed since); otherwise one the sale still holds, preferably
 * the one selling now (a sale may hold a product twice, in windows that do not overlap).
 * Undefined: the sale does not hold that product.
 */
export function saleProductFor<C extends SaleProductCandidate>(
  item: SaleItemRef,
  candidates: readonly C[],
  now: Date,
): C | undefined {
  const named = candidates.filter(
    (candidate) => candidate.timeSaleId === item.timeSaleId && candidate.productId === item.productId,
  );
  const held = named.find((candidate) => candidate.heldByOrder);
  if (held) return held;
  const holding = named.filter((candidate) => !candidate.withdrawn);
  return holding.find((candidate) => phaseAt(candidate.window, now) === 'RUNNING') ?? holding[0];
}

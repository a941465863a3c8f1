/** Which offer gives a product its lowest price. */
export type PriceSource = 'REGULAR' | 'PRODUCT_DISCOUNT' | 'TIME_SALE';

/** The lowest price a shopper can pay for a product right now, before coupons and points. */
export interface LowestPriceRecord {
  readonly productId: string;
  readonly amount: number;
  readonly regularPrice: number;
  /** Percent off the regular price, rounded down; null when nothing is off. */
  readonly discountRate: number | null;
  readonly source: PriceSource;
  /** The winning sale (TIME_SALE only). */
  readonly timeSaleId: string | null;
  readonly timeSaleProductId: string | null;
  /** The end of the winning sale product's selling window (TIME_SALE only). */
  readonly validUntil: Date | null;
}

/** What the products projection knows of a product's price. */
export interface ProductPrice {
  readonly productId: string;
  readonly price: number;
  readonly discountAmount: number;
}

/** A sale product of the product that has not stopped selling yet, with what is left of it. */
export interface SaleOffer {
  readonly timeSaleProductId: string;
  readonly timeSaleId: string;
  readonly discountRate: number;
  /** Its own selling window (half-open). */
  readonly startAt: Date;
  readonly endAt: Date;
  readonly remainingQuantity: number;
}

export interface LowestPriceComputation {
  readonly price: LowestPriceRecord;
  /**
   * The next instant the answer can change by the clock alone (an offer starts or stops
   * selling); null when none is ahead. A cached answer is not served from then on.
   */
  readonly nextChangeAt: Date | null;
  /** Offers selling now that did not count because nothing is left of them (a release can revive them). */
  readonly soldOut: readonly string[];
}

/** The price after a time sale's rate: price − floor(price × rate / 100). */
export const salePrice = (price: number, discountRate: number): number =>
  price - Math.floor((price * discountRate) / 100);

/** Percent off, rounded down; null when nothing is off. */
const rateOff = (regularPrice: number, amount: number): number | null =>
  amount < regularPrice ? Math.floor(((regularPrice - amount) * 100) / regularPrice) : null;

/**
 * min(price − discountAmount, price − floor(price × r / 100)) over the product's own discount and
 * every sale offer selling at `now` ([startAt, endAt)) with quantity left. A tie goes to the
 * product's own price (a sale is named only when it is strictly cheaper); between sale offers
 * (the overlap rule leaves at most one selling at once) the one that holds longest, then the id.
 */
export function computeLowestPrice(
  product: ProductPrice,
  offers: readonly SaleOffer[],
  now: Date,
): LowestPriceComputation {
  const { productId, price, discountAmount } = product;
  const own = price - discountAmount;
  let best: LowestPriceRecord = {
    productId,
    amount: own,
    regularPrice: price,
    discountRate: rateOff(price, own),
    source: discountAmount > 0 ? 'PRODUCT_DISCOUNT' : 'REGULAR',
    timeSaleId: null,
    timeSaleProductId: null,
    validUntil: null,
  };
  const soldOut: string[] = [];
  let nextChangeAt: Date | null = null;
  const candidates = [...offers].sort(
    (a, b) => b.endAt.getTime() - a.endAt.getTime() || a.timeSaleProductId.localeCompare(b.timeSaleProductId),
  );
  for (const offer of candidates) {
    const selling = offer.startAt <= now && now < offer.endAt;
    const boundary = offer.startAt > now ? offer.startAt : offer.endAt > now ? offer.endAt : null;
    if (boundary && (!nextChangeAt || boundary < nextChangeAt)) nextChangeAt = boundary;
    if (!selling) continue;
    if (offer.remainingQuantity <= 0) {
      soldOut.push(offer.timeSaleProductId);
      continue;
    }
    const amount = salePrice(price, offer.discountRate);
    if (amount < best.amount) {
      best = {
        productId,
        amount,
        regularPrice: price,
        discountRate: rateOff(price, amount),
        source: 'TIME_SALE',
        timeSaleId: offer.timeSaleId,
        timeSaleProductId: offer.timeSaleProductId,
        validUntil: offer.endAt,
      };
    }
  }
  return { price: best, nextChangeAt, soldOut: soldOut.sort() };
}

/** The cache and pub/sub form of an answer (null: the product is unknown); stable, so equal answers compare equal. */
export function serializeLowestPrice(price: LowestPriceRecord | null): string {
  if (!price) return 'null';
  return JSON.stringify({
    productId: price.productId,
    amount: price.amount,
    regularPrice: price.regularPrice,
    discountRate: price.discountRate,
    source: price.source,
    timeSaleId: price.timeSaleId,
    timeSaleProductId: price.timeSaleProductId,
    validUntil: price.validUntil?.getTime() ?? null,
  });
}

interface SerializedPrice extends Omit<LowestPriceRecord, 'validUntil'> {
  readonly validUntil: number | null;
}

/** The inverse of serializeLowestPrice, from its parsed JSON. */
export function deserializeLowestPrice(value: unknown): LowestPriceRecord | null {
  if (value === null || typeof value !== 'object') return null;
  const parsed = value as SerializedPrice;
  return { ...parsed, validUntil: parsed.validUntil === null ? null : new Date(parsed.validUntil) };
}

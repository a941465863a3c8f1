import { apportion } from '@radiata/money';
/**
 * An order's money, from what the reservations answered (never from the client), in integer
 * won (DOMAIN.md, orders): per line the lower of the product's own discount and the time sale's
 * rate (floored), then the coupon on the order amount, then points.
 */

/** One line as the reservations priced it. */
export interface PricedLine {
  readonly brandId: string;
  readonly quantity: number;
  /** The catalog's regular price at reservation. */
  readonly price: number;
  /** The product's standing discount in won at reservation. */
  readonly productDiscount: number;
  /** The sale's rate in % when bought in a time sale, else null. */
  readonly saleDiscountRate: number | null;
}

export interface LinePrice {
  /** What one unit costs after the winning discount. */
  readonly unitPrice: number;
  /** Which discount won (none when both are 0). */
  readonly discount: 'PRODUCT' | 'SALE' | 'NONE';
  readonly discountPerUnit: number;
}

/** The lower price of the product's discount and the sale's rate; the product's wins a tie. */
export function priceLine(line: Pick<PricedLine, 'price' | 'productDiscount' | 'saleDiscountRate'>): LinePrice {
  const sale = line.saleDiscountRate === null ? 0 : Math.floor((line.price * line.saleDiscountRate) / 100);
  if (sale > line.productDiscount) return { unitPrice: line.price - sale, discount: 'SALE', discountPerUnit: sale };
  const discount = line.productDiscount > 0 ? 'PRODUCT' : 'NONE';
  return { unitPrice: line.price - line.productDiscount, discount, discountPerUnit: line.productDiscount };
}

export interface ItemTotals {
  /** Σ regular price × quantity. */
  readonly itemsTotal: number;
  readonly productDiscount: number;
  readonly saleDiscount: number;
  /** What the items cost after their discounts: the amount a coupon applies to. */
  readonly subtotal: number;
}

export function totalItems(lines: readonly PricedLine[]): ItemTotals {
  let itemsTotal = 0;
  let productDiscount = 0;
  let saleDiscount = 0;
  for (const line of lines) {
    const priced = priceLine(line);
    itemsTotal += line.price * line.quantity;
    if (priced.discount === 'SALE') saleDiscount += priced.discountPerUnit * line.quantity;
    if (priced.discount === 'PRODUCT') productDiscount += priced.discountPerUnit * line.quantity;
  }
  return { itemsTotal, productDiscount, saleDiscount, subtotal: itemsTotal - productDiscount - saleDiscount };
}

/** Points an order may use: what was asked for, but never more than what is left to pay. */
export const usablePoints = (requested: number, subtotal: number, couponDiscount: number): number =>
  Math.max(0, Math.min(requested, subtotal - couponDiscount));

/**
 * Splits what the shopper pays over the brands whose items the order holds, in proportion to
 * each brand's subtotal (coupon and points are shared out the same way), in whole won summing
 * exactly to `amount`: floors first, then the leftover won to the largest remainders (ties by
 * brand id, so the split is the same every time). The weekly settlement pays brands by it.
 */
export function splitByBrand(lines: readonly PricedLine[], amount: number): Record<string, number> {
  const subtotals: Record<string, number> = {};
  for (const line of lines) {
    subtotals[line.brandId] = (subtotals[line.brandId] ?? 0) + priceLine(line).unitPrice * line.quantity;
  }
  return apportion(amount, subtotals);
}

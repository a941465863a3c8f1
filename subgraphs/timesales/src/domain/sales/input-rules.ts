import { badUserInput, type FieldProblem } from '@radiata/errors';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { Window } from './window-rules.js';

export const MAX_QUANTITY = 10_000_000;
export const MAX_PRODUCTS_PER_SALE = 100;

const title = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const instant = z.date({ error: 'must be a date-time' });
const rate = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be between 1 and 99')
  .max(99, 'must be between 1 and 99');
const quantity = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

export const saleProductInput = z.object({
  productId: z.string().refine(isId, 'is not a product id'),
  discountRate: rate,
  totalQuantity: quantity,
  perUserLimit: quantity.nullish(),
  startAt: instant.nullish(),
  endAt: instant.nullish(),
});
export type SaleProductInput = z.infer<typeof saleProductInput>;

export const createTimeSaleInput = z.object({
  title,
  startAt: instant,
  endAt: instant,
  products: z
    .array(saleProductInput)
    .max(MAX_PRODUCTS_PER_SALE, `at most ${MAX_PRODUCTS_PER_SALE} products per sale`)
    .nullish(),
});

export const updateTimeSaleInput = z.object({
  title: title.nullish(),
  startAt: instant.nullish(),
  endAt: instant.nullish(),
});

export const updateSaleProductInput = z.object({
  discountRate: rate.nullish(),
  totalQuantity: quantity.nullish(),
  perUserLimit: quantity.nullish(),
  startAt: instant.nullish(),
  endAt: instant.nullish(),
});

/** Problems found across fields, thrown together as one BAD_USER_INPUT. */
export class Problems {
  private readonly list: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw problemsError(this.list);
  }
}

export const problemsError = (problems: readonly FieldProblem[]) =>
  badUserInput(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);

/** A new or moved sale window: in the future, start before end. */
export function checkSaleWindow(problems: Problems, window: Window, now: Date, field = 'input'): void {
  if (window.startAt <= now) problems.add(`${field}.startAt`, 'must be in the future');
  if (window.startAt >= window.endAt) problems.add(`${field}.endAt`, 'must be after startAt');
}

/** A product's own window (absent ends: the sale's) lies inside its sale's and ends in the future. */
export function checkProductWindow(
  problems: Problems,
  own: { readonly startAt?: Date | null; readonly endAt?: Date | null },
  sale: Window,
  now: Date,
  field: string,
): void {
  const startAt = own.startAt ?? sale.startAt;
  const endAt = own.endAt ?? sale.endAt;
  if (own.startAt && own.startAt < sale.startAt) problems.add(`${field}.startAt`, 'must not be before the sale starts');
  if (own.endAt && own.endAt > sale.endAt) problems.add(`${field}.endAt`, 'must not be after the sale ends');
  if (startAt >= endAt) problems.add(`${field}.endAt`, 'must be after startAt');
  else if (own.endAt && endAt <= now) problems.add(`${field}.endAt`, 'must be in the future');
}

import { conflict, notFound } from '@radiata/errors';
import { isId, newId } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { TimeSale, TimeSaleProduct } from '../../generated/prisma/client.js';
import type { Transaction } from '../../persistence/database.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';
import { BelowSoldError, type SaleProductRules, writeSaleProductRules } from '../../redis/scripts.js';
import type { SaleableProduct } from '../catalog/projection.js';
import { problemsError, type SaleProductInput } from './input-rules.js';
import { sellingWindow } from './window-rules.js';

/** The SQLSTATE of a PostgreSQL error as Prisma's driver adapter reports it. */
function postgresCode(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : undefined;
}

const EXCLUSION_VIOLATION = '23P01';

/** Runs a write that may put a product into two sales at once; the exclusion constraint's refusal becomes CONFLICT. */
export async function withoutOverlap<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (postgresCode(error) === EXCLUSION_VIOLATION) {
      throw conflict('A product of this sale is already on sale at an overlapping time');
    }
    throw error;
  }
}

/** Locks a live (not deleted) sale for a change; NOT_FOUND otherwise. */
export async function lockSale(tx: Transaction, timeSaleId: string): Promise<TimeSale> {
  const locked = isId(timeSaleId)
    ? await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM time_sales WHERE id = ${timeSaleId}::uuid AND deleted_at IS NULL FOR UPDATE`
    : [];
  if (locked.length === 0) throw notFound('Time sale');
  return tx.timeSale.findUniqueOrThrow({ where: { id: timeSaleId } });
}

/** Adds a product to a sale row; CONFLICT when the product is in another sale at an overlapping time. */
export const insertSaleProduct = (
  tx: Transaction,
  sale: TimeSale,
  product: SaleableProduct,
  input: SaleProductInput,
): Promise<TimeSaleProduct> =>
  withoutOverlap(() =>
    tx.timeSaleProduct.create({
      data: {
        id: newId(),
        timeSaleId: sale.id,
        saleStartAt: sale.startAt,
        saleEndAt: sale.endAt,
        productId: product.id,
        brandId: product.brandId,
        discountRate: input.discountRate,
        totalQuantity: input.totalQuantity,
        perUserLimit: input.perUserLimit ?? null,
        startAt: input.startAt ?? null,
        endAt: input.endAt ?? null,
      },
    }),
  );

export const productsOfSale = (tx: Transaction, timeSaleId: string): Promise<TimeSaleProduct[]> =>
  tx.timeSaleProduct.findMany({ where: { timeSaleId }, orderBy: { id: 'asc' } });

export const rulesOf = (saleProduct: TimeSaleProduct): SaleProductRules => {
  const window = sellingWindow(saleProduct);
  return {
    start: window.startAt,
    end: window.endAt,
    total: saleProduct.totalQuantity,
    perUserLimit: saleProduct.perUserLimit,
    deleted: saleProduct.saleDeleted,
  };
};

/**
 * Writes sale products' rules to Redis inside the database transaction of the change, so
 * reservations follow the new rules before it commits and a refusal (a total below what is
 * sold, counting reservations PostgreSQL has not recorded yet) rolls it back.
 */
export async function publishRules(
  redis: Redis,
  keyspace: TimesalesKeyspace,
  saleProducts: readonly TimeSaleProduct[],
): Promise<void> {
  for (const saleProduct of saleProducts) {
    try {
      await writeSaleProductRules(redis, keyspace, saleProduct.id, rulesOf(saleProduct));
    } catch (error) {
      if (error instanceof BelowSoldError) {
        throw problemsError([
          { field: 'input.totalQuantity', message: `must not be less than the ${error.sold} already sold` },
        ]);
      }
      throw error;
    }
  }
}

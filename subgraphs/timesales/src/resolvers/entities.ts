import { notFound } from '@radiata/errors';
import type { TimesalesContext } from '../context.js';
import type { TimeSaleProductRecord } from '../domain/sale-products.js';
import { saleStatus, sellingWindow } from '../domain/windows.js';
import type {
  LowestPriceChangeResolvers,
  LowestPriceResolvers,
  ProductResolvers,
  TimeSaleProductResolvers,
  TimeSaleResolvers,
} from '../generated/graphql.js';

/** Live from Redis; from PostgreSQL while Redis has no state for the sale product. */
async function soldOf(saleProduct: TimeSaleProductRecord, context: TimesalesContext): Promise<number> {
  return (await context.loaders.soldBySaleProductId.load(saleProduct.id)) ?? saleProduct.soldQuantity;
}

async function remainingOf(saleProduct: TimeSaleProductRecord, context: TimesalesContext): Promise<number> {
  return Math.max(0, saleProduct.totalQuantity - (await soldOf(saleProduct, context)));
}

export const TimeSale: TimeSaleResolvers = {
  __resolveReference: (reference, context) => context.loaders.timeSaleById.load(reference.id),
  products: (sale, _args, context) => context.loaders.saleProductsBySaleId.load(sale.id),
  status: async (sale, _args, context) => {
    const products = await context.loaders.saleProductsBySaleId.load(sale.id);
    const remaining = await Promise.all(products.map((product) => remainingOf(product, context)));
    return saleStatus(sale, context.clock.now(), remaining);
  },
};

export const TimeSaleProduct: TimeSaleProductResolvers = {
  __resolveReference: (reference, context) => context.loaders.saleProductById.load(reference.id),
  timeSale: async (saleProduct, _args, context) => {
    const sale = await context.loaders.timeSaleById.load(saleProduct.timeSaleId);
    if (!sale) throw notFound('Time sale');
    return sale;
  },
  product: (saleProduct) => ({ id: saleProduct.productId }),
  soldQuantity: (saleProduct, _args, context) => soldOf(saleProduct, context),
  remainingQuantity: (saleProduct, _args, context) => remainingOf(saleProduct, context),
  startAt: (saleProduct) => sellingWindow(saleProduct).startAt,
  endAt: (saleProduct) => sellingWindow(saleProduct).endAt,
};

export const Product: ProductResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  timeSales: (product, _args, context) => context.loaders.openSalesByProductId.load(product.id),
  activeTimeSale: async (product, _args, context) => {
    const selling = await context.loaders.sellingByProductId.load(product.id);
    return selling && (await remainingOf(selling, context)) > 0 ? selling : null;
  },
  lowestPrice: (product, _args, context) => context.loaders.lowestPriceByProductId.load(product.id),
};

export const LowestPrice: LowestPriceResolvers = {
  timeSale: (price, _args, context) => (price.timeSaleId ? context.loaders.timeSaleById.load(price.timeSaleId) : null),
};

export const LowestPriceChange: LowestPriceChangeResolvers = {
  product: (change) => ({ id: change.productId }),
};

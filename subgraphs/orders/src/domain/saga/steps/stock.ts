import { z } from 'zod';
import type { OrderItem } from '../../../generated/prisma/client.js';
import { priceLine, totalItems } from '../../pricing.js';
import type { SagaStep } from '../step.js';

const won = z.number().int().min(0);
const reserved = z.object({
  items: z.array(
    z.object({
      productId: z.guid(),
      brandId: z.guid(),
      sellerId: z.guid(),
      price: won.positive(),
      discountAmount: won,
    }),
  ),
});

/**
 * Reserve stock (catalog), for every line. Its reply prices the order: the catalog's price and
 * discount at reservation with the sale rates the sale step stored, giving each line's unit price
 * and the order's totals.
 */
export const stockStep: SagaStep<z.infer<typeof reserved>> = {
  name: 'stock',
  participant: 'catalog',
  applies: () => true,
  forward: {
    action: 'reserve',
    result: 'reserved',
    data: (order) => ({ items: order.items.map((item) => ({ productId: item.productId, quantity: item.quantity })) }),
  },
  reply: reserved,
  onDone: (order, reply) => {
    const items = new Map<number, Partial<OrderItem>>();
    const lines = order.items.map((item) => {
      const answer = reply.items.find((candidate) => candidate.productId === item.productId);
      if (!answer) throw new Error(`catalog did not price ${item.productId}`);
      const line = {
        brandId: answer.brandId,
        quantity: item.quantity,
        price: answer.price,
        productDiscount: answer.discountAmount,
        saleDiscountRate: item.saleDiscountRate,
      };
      items.set(item.line, {
        brandId: answer.brandId,
        sellerId: answer.sellerId,
        price: answer.price,
        productDiscount: answer.discountAmount,
        unitPrice: priceLine(line).unitPrice,
      });
      return line;
    });
    const totals = totalItems(lines);
    return {
      order: {
        itemsTotal: totals.itemsTotal,
        productDiscount: totals.productDiscount,
        saleDiscount: totals.saleDiscount,
        couponDiscount: 0,
        pointsUsed: 0,
      },
      items,
    };
  },
  backward: { action: 'release', result: 'released', data: () => ({}) },
};

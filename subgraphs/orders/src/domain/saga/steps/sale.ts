import { z } from 'zod';
import type { OrderItem } from '../../../generated/prisma/client.js';
import type { SagaStep } from '../step.js';

const reserved = z.object({
  items: z.array(
    z.object({
      timeSaleId: z.guid(),
      productId: z.guid(),
      timeSaleProductId: z.guid(),
      discountRate: z.number().int().min(0).max(100),
    }),
  ),
});

const inSale = (item: OrderItem) => item.timeSaleId !== null;

/** Reserve time-sale quantity (timesales): the sale LIVE, holding the product, the per-user limit kept. */
export const saleStep: SagaStep<z.infer<typeof reserved>> = {
  name: 'sale',
  participant: 'timesales',
  applies: (order) => order.items.some(inSale),
  forward: {
    action: 'reserve',
    result: 'reserved',
    data: (order) => ({
      userId: order.userId,
      items: order.items
        .filter(inSale)
        .map((item) => ({ timeSaleId: item.timeSaleId, productId: item.productId, quantity: item.quantity })),
    }),
  },
  reply: reserved,
  onDone: (order, reply) => {
    const items = new Map<number, Partial<OrderItem>>();
    for (const item of order.items.filter(inSale)) {
      const answer = reply.items.find(
        (candidate) => candidate.timeSaleId === item.timeSaleId && candidate.productId === item.productId,
      );
      if (!answer) throw new Error(`timesales did not price ${item.productId} in sale ${item.timeSaleId}`);
      items.set(item.line, { timeSaleProductId: answer.timeSaleProductId, saleDiscountRate: answer.discountRate });
    }
    return { items };
  },
  backward: { action: 'release', result: 'released', data: () => ({}) },
};

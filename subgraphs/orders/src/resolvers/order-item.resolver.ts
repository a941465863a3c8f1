import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { OrderItem as OrderItemRecord } from '../generated/prisma/client.js';
import { OrderItem } from '../schema/order.js';

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver()
  product(@Root() item: OrderItemRecord) {
    return { id: item.productId };
  }

  @FieldResolver()
  timeSale(@Root() item: OrderItemRecord) {
    return item.timeSaleId ? { id: item.timeSaleId } : null;
  }

  @FieldResolver()
  brand(@Root() item: OrderItemRecord) {
    return item.brandId ? { id: item.brandId } : null;
  }
}

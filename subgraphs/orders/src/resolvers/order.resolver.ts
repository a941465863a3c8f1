import { ResolveReference } from '@radiata/service-runtime';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { OrdersContext } from '../context.js';
import { canSeeOrder } from '../domain/order-access.js';
import type { OrderRecord } from '../domain/orders.js';
import type { OrderTransition as TransitionRecord } from '../generated/prisma/client.js';
import {
  AdminOrdersArgs,
  Order,
  OrderConnection,
  OrdersArgs,
  OrderTransition,
  PlaceOrderInput,
  ShippingAddress,
  ShippingStatus,
} from '../schema/order.js';

const orderId = () => Arg('orderId', () => ID, { description: 'The order.' });

@Resolver(() => Order)
export class OrderResolver {
  /** Only for whoever may see the order (null otherwise), as `order` is. */
  @ResolveReference()
  async reference(reference: { id: string }, context: OrdersContext): Promise<OrderRecord | null> {
    const order = await context.loaders.orderById.load(reference.id);
    return order && canSeeOrder(context.viewer, order) ? order : null;
  }

  @Query(() => Order, {
    description:
      'An order: for its shopper, admins, and sellers of its items. NOT_FOUND for anyone else. Signed-in users.',
  })
  order(
    @Arg('id', () => ID, { description: 'The order id.' }) id: string,
    @Ctx() context: OrdersContext,
  ): Promise<OrderRecord> {
    return context.orders.get(context.viewer, id);
  }

  @Query(() => OrderConnection, { description: 'Your orders, newest first. Signed-in users.' })
  myOrders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() context: OrdersContext) {
    return context.orders.mine(context.viewer, args, args.status ?? null);
  }

  @Query(() => OrderConnection, {
    description: 'SELLER: orders holding items of your brands, newest first (FORBIDDEN for anyone else).',
  })
  sellerOrders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() context: OrdersContext) {
    return context.orders.ofSeller(context.viewer, args, args.status ?? null);
  }

  @Query(() => OrderConnection, { description: 'ADMIN: every order, newest first (FORBIDDEN for anyone else).' })
  orders(@Args(() => AdminOrdersArgs) args: AdminOrdersArgs, @Ctx() context: OrdersContext) {
    return context.orders.all(context.viewer, args, { status: args.status ?? null, userId: args.userId ?? null });
  }

  @Mutation(() => Order, {
    description:
      'Places an order and answers at once with it (PENDING); follow it with orderStatusChanged. The same idempotencyKey ' +
      'answers the same order (CONFLICT with a different request). Prices come from the reservations. Signed-in users; ' +
      'BAD_USER_INPUT for an invalid request.',
  })
  placeOrder(
    @Arg('input', () => PlaceOrderInput, { description: 'The order to place.' }) input: PlaceOrderInput,
    @Ctx() context: OrdersContext,
  ) {
    return context.orders.place(context.viewer, input);
  }

  @Mutation(() => Order, {
    description:
      'Cancels your order (an admin: any order). Before payment it is CANCELLING, then CANCELLED once everything reserved ' +
      'is given back; once paid and before shipping, REFUNDING then REFUNDED. Cancelling again answers the order; ' +
      'CONFLICT once shipping started.',
  })
  cancelOrder(@orderId() id: string, @Ctx() context: OrdersContext) {
    return context.orders.cancel(context.viewer, id);
  }

  @Mutation(() => Order, {
    description:
      "Moves shipping one step forward (PAID → SHIPPING_PENDING → SHIPPING → DELIVERED): the seller of all the order's items or an admin " +
      '(FORBIDDEN otherwise); CONFLICT for any other move.',
  })
  updateShippingStatus(
    @orderId() id: string,
    @Arg('status', () => ShippingStatus, { description: 'The next shipping status.' }) status:
      | 'SHIPPING_PENDING'
      | 'SHIPPING'
      | 'DELIVERED',
    @Ctx() context: OrdersContext,
  ) {
    return context.orders.advanceShipping(context.viewer, id, status);
  }

  @Subscription(() => Order, {
    subscribe: ({ args, context }) => {
      const { feed, viewer } = context as OrdersContext;
      return feed.follow(viewer, args.orderId as string);
    },
    description:
      'The order now, then at every status change, until it is CANCELLED, REFUNDED or DELIVERED. Its shopper and admins ' +
      '(UNAUTHENTICATED, NOT_FOUND otherwise).',
  })
  orderStatusChanged(@Root() order: OrderRecord, @orderId() _orderId: string): OrderRecord {
    return order;
  }

  @FieldResolver()
  user(@Root() order: OrderRecord) {
    return { id: order.userId };
  }

  @FieldResolver(() => ShippingAddress)
  shippingAddress(@Root() order: OrderRecord): ShippingAddress {
    return {
      recipient: order.recipient,
      phone: order.phone,
      zipCode: order.zipCode,
      roadAddress: order.roadAddress,
      detailAddress: order.detailAddress,
    };
  }

  @FieldResolver()
  payment(@Root() order: OrderRecord) {
    return order.paymentId ? { id: order.paymentId } : null;
  }

  @FieldResolver(() => [OrderTransition])
  history(@Root() order: OrderRecord, @Ctx() context: OrdersContext): Promise<TransitionRecord[]> {
    return context.loaders.historyByOrderId.load(order.id);
  }
}

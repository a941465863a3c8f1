import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { OrderStatus as OrderStatusName } from '../generated/prisma/client.js';
import { Brand, Payment, Product, TimeSale } from './references.js';
import { User } from './user.js';

export const OrderStatus = graphqlEnum<OrderStatusName>(
  'OrderStatus',
  'Where an order stands. Only forward: PENDING → AWAITING_PAYMENT → PAID → SHIPPING_PENDING → SHIPPING → DELIVERED; or CANCELLING → CANCELLED, REFUNDING → REFUNDED.',
  {
    PENDING: 'Reserving: sale quantity, stock, coupon and points, one step after the other.',
    AWAITING_PAYMENT: 'Reserved and priced: pay amountToPay before paymentDueAt (payOrder).',
    PAID: 'Paid; points are earned on what was paid.',
    SHIPPING_PENDING: 'The seller is preparing it.',
    SHIPPING: 'On its way.',
    DELIVERED: 'Delivered: final.',
    CANCELLING: 'Cancelled (cancelReason): what was reserved is being given back.',
    CANCELLED: 'Cancelled and everything given back: final.',
    REFUNDING: 'Cancelled after payment: the money and what was reserved are being given back.',
    REFUNDED: 'Refunded and everything given back: final.',
  },
);

@ObjectType({ description: 'A copy of the address the order ships to.' })
export class ShippingAddress {
  @Field(() => String, { description: 'Who receives it.' })
  recipient!: string;

  @Field(() => String, { description: 'Korean mobile, 010-1234-5678.' })
  phone!: string;

  @Field(() => String, { description: '5 digits.' })
  zipCode!: string;

  @Field(() => String, { description: 'The road-name address.' })
  roadAddress!: string;

  @Field(() => String, { description: 'Building, floor, unit (may be empty).' })
  detailAddress!: string;
}

@ObjectType({ description: 'One line of an order. Prices are what the reservations answered, never the client’s.' })
export class OrderItem {
  @Field(() => Int, { description: 'Its position in the order, from 1.' })
  line!: number;

  @Field(() => Product, { description: 'The product (the catalog resolves it).' })
  product!: unknown;

  @Field(() => Int, { description: 'Units ordered.' })
  quantity!: number;

  @Field(() => TimeSale, { nullable: true, description: 'The time sale it was bought in, if any.' })
  timeSale!: unknown;

  @Field(() => Brand, { nullable: true, description: 'Known once stock is reserved.' })
  brand!: unknown;

  @Field(() => Int, { nullable: true, description: 'The regular unit price at reservation (null while PENDING).' })
  price!: number | null;

  @Field(() => Int, { nullable: true, description: "The product's own discount per unit at reservation." })
  productDiscount!: number | null;

  @Field(() => Int, { nullable: true, description: "The sale's discount rate (%) at reservation, in a time sale." })
  saleDiscountRate!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'What one unit costs: the price less the larger of the product discount and the sale discount.',
  })
  unitPrice!: number | null;
}

@ObjectType({ description: 'A status change of an order.' })
export class OrderTransition {
  @Field(() => OrderStatus, { nullable: true, description: 'Null for the first (the order was placed).' })
  fromStatus!: OrderStatusName | null;

  @Field(() => OrderStatus, { description: 'The status it moved to.' })
  toStatus!: OrderStatusName;

  @Field(() => String, { nullable: true, description: 'Why, for a cancellation (its cancelReason).' })
  reason!: string | null;

  @Field(() => DateTime, { description: 'When.' })
  at!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An order and its saga. Amounts are in won, known once the reservations answered.' })
export class Order {
  @Field(() => ID, { description: 'The order id.' })
  id!: string;

  @Field(() => User, { description: 'The shopper.' })
  user!: unknown;

  @Field(() => OrderStatus, { description: 'Where it stands.' })
  status!: OrderStatusName;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it was cancelled: a refusal (SALE_SOLD_OUT, SALE_NOT_LIVE, NOT_IN_SALE, PER_USER_LIMIT, OUT_OF_STOCK, PRODUCT_NOT_FOUND, ' +
      'COUPON_NOT_USABLE, INSUFFICIENT_POINTS), STEP_TIMEOUT, EXPIRED (unpaid in time), PAYMENT_FAILED, CANCELLED_BY_SHOPPER or CANCELLED_BY_ADMIN.',
  })
  cancelReason!: string | null;

  @Field(() => [OrderItem], { description: 'Its lines, in order.' })
  items!: unknown[];

  @Field(() => ShippingAddress, { description: 'Where it ships (a copy taken when it was placed).' })
  shippingAddress!: ShippingAddress;

  @Field(() => ID, { nullable: true, description: 'The coupon issue it uses, if any.' })
  couponIssueId!: string | null;

  @Field(() => Int, { description: 'Points the shopper asked to use (at most what is left to pay is used).' })
  pointsRequested!: number;

  @Field(() => Int, { nullable: true, description: 'Σ regular price × quantity.' })
  itemsTotal!: number | null;

  @Field(() => Int, { nullable: true, description: "Products' own discounts, where they won." })
  productDiscount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Time-sale discounts, where they won.' })
  saleDiscount!: number | null;

  @Field(() => Int, { nullable: true, description: "The coupon's discount on the amount after item discounts." })
  couponDiscount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Reward points used (1 point = 1 won).' })
  pointsUsed!: number | null;

  @Field(() => Int, { nullable: true, description: 'What the shopper pays (known from AWAITING_PAYMENT).' })
  amountToPay!: number | null;

  @Field(() => Int, { nullable: true, description: 'Points earned once paid.' })
  earnedPoints!: number | null;

  @Field(() => Payment, { nullable: true, description: 'The payment that paid it.' })
  payment!: unknown;

  @Field(() => Int, { description: 'Failed payment attempts so far.' })
  paymentFailures!: number;

  @Field(() => String, { nullable: true, description: "The last failed payment's code." })
  lastPaymentFailure!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'AWAITING_PAYMENT: when it expires unpaid.' })
  paymentDueAt!: Date | null;

  @Field(() => [OrderTransition], { description: 'Its status changes, oldest first.' })
  history!: unknown[];

  @Field(() => DateTime, { description: 'When it was placed.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When it last changed.' })
  updatedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When it was paid.' })
  paidAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it reached a final status.' })
  closedAt!: Date | null;
}

export const OrderConnection = connectionType(Order, { noun: 'order', description: 'A page of orders, newest first.' });

@InputType({ description: 'One line of an order to place.' })
export class OrderItemInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => Int, { description: '1 to ORDER_MAX_QUANTITY (default 100).' })
  quantity!: number;

  @Field(() => ID, { nullable: true, description: 'Buy it in this time sale (it must be LIVE and hold the product).' })
  timeSaleId?: string | null;
}

@InputType({ description: 'Where an order ships.' })
export class ShippingAddressInput {
  @Field(() => String, { description: '1–50 characters.' })
  recipient!: string;

  @Field(() => String, { description: 'Korean mobile: 010-1234-5678.' })
  phone!: string;

  @Field(() => String, { description: '5 digits.' })
  zipCode!: string;

  @Field(() => String, { description: '1–200 characters.' })
  roadAddress!: string;

  @Field(() => String, { nullable: true, description: 'Up to 200 characters.' })
  detailAddress?: string | null;
}

@InputType({ description: 'An order to place. Prices are never sent: the reservations price it.' })
export class PlaceOrderInput {
  @Field(() => [OrderItemInput], { description: '1 to ORDER_MAX_LINES (default 50) lines; a product once per sale.' })
  items!: OrderItemInput[];

  @Field(() => ID, { nullable: true, description: 'A coupon issue of yours to use.' })
  couponIssueId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Reward points to use (1 point = 1 won), capped at what is left to pay.',
  })
  points?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Ship to one of your saved addresses (me { addresses }): the order keeps a copy of it as it is now. ' +
      'Give this or shippingAddress, not both (BAD_USER_INPUT). NOT_FOUND when it is not one of your saved addresses; ' +
      'one saved a moment ago is waited for briefly.',
  })
  shippingAddressId?: string | null;

  @Field(() => ShippingAddressInput, {
    nullable: true,
    description: 'Where it ships, written out: give this or shippingAddressId, not both (BAD_USER_INPUT).',
  })
  shippingAddress?: ShippingAddressInput | null;

  @Field(() => String, {
    description:
      'Your unique key for this order (8–100 printable characters): sending it again answers the same order.',
  })
  idempotencyKey!: string;
}

export const ShippingStatus = graphqlEnum<'SHIPPING_PENDING' | 'SHIPPING' | 'DELIVERED'>(
  'ShippingStatus',
  'The shipping statuses a seller or admin moves an order to, one step at a time from PAID.',
  {
    SHIPPING_PENDING: 'Being prepared (from PAID).',
    SHIPPING: 'Handed to the carrier (from SHIPPING_PENDING).',
    DELIVERED: 'Delivered (from SHIPPING).',
  },
);

@ArgsType()
export class OrdersArgs {
  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' })
  status?: OrderStatusName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class AdminOrdersArgs extends OrdersArgs {
  @Field(() => ID, { nullable: true, description: "Only this shopper's orders." })
  userId?: string | null;
}

import { connectionType, DateTime, graphqlEnum } from '@radiata/service-runtime';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { PriceSource as PriceSourceName } from '../domain/pricing/lowest-price-rules.js';
import type { TimeSaleStatus as TimeSaleStatusName } from '../domain/sales/window-rules.js';

// The entities reference each other (a sale's products, a product's sales and lowest price, the
// sale giving that price): they live in one file, so the schema's modules import no cycle.

export const TimeSaleStatus = graphqlEnum<TimeSaleStatusName>(
  'TimeSaleStatus',
  'Where a time sale stands, from the service clock and the remaining quantities.',
  {
    SCHEDULED: 'Before startAt.',
    LIVE: 'From startAt (inclusive) to endAt (exclusive), with quantity left.',
    SOLD_OUT: 'Live, but every product of the sale is sold out (LIVE again if an order gives quantity back).',
    ENDED: 'From endAt on.',
  },
);

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A time-limited sale: discounted products, each with a limited quantity.' })
export class TimeSale {
  @Field(() => ID, { description: 'The time sale id.' })
  id!: string;

  @Field(() => String, { description: 'Shown to shoppers; 1 to 100 characters.' })
  title!: string;

  @Field(() => DateTime, { description: 'When the sale starts (inclusive).' })
  startAt!: Date;

  @Field(() => DateTime, { description: 'When the sale ends (exclusive).' })
  endAt!: Date;

  @Field(() => TimeSaleStatus, { description: 'From the service clock and the remaining quantities.' })
  status!: TimeSaleStatusName;

  @Field(() => [TimeSaleProduct], {
    description:
      'In the order they were added. A product deleted in the catalog is withdrawn (no longer listed); a HIDDEN one is listed only to admins and its brand owner.',
  })
  products!: TimeSaleProduct[];

  @Field(() => DateTime, { description: 'When the sale was created.' })
  createdAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A product in a time sale, with its discount and quantity.' })
export class TimeSaleProduct {
  @Field(() => ID, { description: 'The time sale product id (what an order reserves quantity of).' })
  id!: string;

  @Field(() => TimeSale, { description: 'The sale this product is in.' })
  timeSale!: TimeSale;

  @Field(() => Product, {
    nullable: true,
    description:
      'The catalog product on sale; null, with a NOT_FOUND error, when the catalog cannot show it to this viewer (deleted since, or HIDDEN).',
  })
  product!: Product | null;

  @Field(() => Int, { description: "Percent off the product's regular price, 1 to 99." })
  discountRate!: number;

  @Field(() => Int, { description: 'How many units the sale offers in all.' })
  totalQuantity!: number;

  @Field(() => Int, { description: 'Held by orders (live).' })
  soldQuantity!: number;

  @Field(() => Int, { description: 'totalQuantity − soldQuantity (live).' })
  remainingQuantity!: number;

  @Field(() => Int, { nullable: true, description: 'Most one shopper may hold at once; null: no limit.' })
  perUserLimit!: number | null;

  @Field(() => DateTime, {
    description:
      "When this product starts selling (inclusive): the sale's start, or that of a narrower window of its own.",
  })
  startAt!: Date;

  @Field(() => DateTime, {
    description:
      "When this product stops selling (exclusive): the sale's end, or that of a narrower window of its own.",
  })
  endAt!: Date;
}

/** The catalog's product (it owns the type and its key); timesales adds its sales and lowest price. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => [TimeSale], { description: 'Sales the product is in that have not ended, soonest first.' })
  timeSales!: TimeSale[];

  @Field(() => TimeSaleProduct, {
    nullable: true,
    description: 'The sale offer a shopper can buy right now: selling at this instant with quantity left (null: none).',
  })
  activeTimeSale!: TimeSaleProduct | null;

  @Field(() => LowestPrice, {
    nullable: true,
    description:
      'The lowest price a shopper can pay right now, before coupons and points: the regular price, the ' +
      "product's own discount or a time sale selling now with quantity left, whichever is lowest (a tie " +
      "goes to the product's own price). Null while the timesales subgraph has not heard of the product " +
      "from the catalog's events (moments after it is created), and after the catalog deleted it.",
  })
  lowestPrice!: LowestPrice | null;
}

export const PriceSource = graphqlEnum<PriceSourceName>('PriceSource', "Where a product's lowest price comes from.", {
  REGULAR: 'The regular price: no discount.',
  PRODUCT_DISCOUNT: "The product's own standing discount.",
  TIME_SALE: 'A time sale selling now.',
});

@ObjectType({ description: "A product's lowest price right now, before coupons and points." })
export class LowestPrice {
  @Field(() => Int, { description: 'What a shopper pays, in won.' })
  amount!: number;

  @Field(() => Int, { description: "The product's regular price in won." })
  regularPrice!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Percent off the regular price, rounded down; null when nothing is off.',
  })
  discountRate!: number | null;

  @Field(() => PriceSource, { description: 'Which offer gives this price.' })
  source!: PriceSourceName;

  @Field(() => TimeSale, { nullable: true, description: 'The sale giving this price (TIME_SALE only).' })
  timeSale!: TimeSale | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "Until when this price holds: the end of the winning sale product's selling window (TIME_SALE only).",
  })
  validUntil!: Date | null;
}

export const TimeSaleConnection = connectionType(TimeSale, { noun: 'time sale' });

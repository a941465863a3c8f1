import { DateTime } from '@radiata/service-runtime';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { TimeSaleStatus as TimeSaleStatusName } from '../domain/sales/window-rules.js';
import { LowestPrice, Product, TimeSale, TimeSaleStatus } from './entities.js';

/** An event of `lowestPriceChanged`. */
@ObjectType({ description: "A product's new lowest price (an event of lowestPriceChanged)." })
export class LowestPriceChange {
  @Field(() => ID, { description: 'The product whose lowest price this is.' })
  productId!: string;

  @Field(() => Product, {
    nullable: true,
    description:
      'The product (resolved by the catalog: name, images…); null, with a NOT_FOUND error, when the catalog cannot show it to this viewer.',
  })
  product!: Product | null;

  @Field(() => LowestPrice, { nullable: true, description: 'Null: the product is unknown (see Product.lowestPrice).' })
  lowestPrice!: LowestPrice | null;
}

/** An event of `timeSaleCountdown`. */
@ObjectType({ description: 'Where a time sale stands, once a second (an event of timeSaleCountdown).' })
export class TimeSaleCountdown {
  @Field(() => ID, { description: 'The time sale counted down.' })
  timeSaleId!: string;

  @Field(() => TimeSaleStatus, { description: 'The status of the sale at `at`.' })
  status!: TimeSaleStatusName;

  @Field(() => Int, { description: 'Whole seconds until startAt, rounded up; 0 once started.' })
  secondsUntilStart!: number;

  @Field(() => Int, { description: 'Whole seconds until endAt, rounded up; 0 once ended.' })
  secondsUntilEnd!: number;

  @Field(() => Int, { description: 'What is left of every product of the sale together (live).' })
  remainingQuantity!: number;

  @Field(() => DateTime, { description: 'The instant this event describes.' })
  at!: Date;

  @Field(() => TimeSale, {
    nullable: true,
    description: 'The sale counted down (its title, products…); null when it was deleted.',
  })
  timeSale!: TimeSale | null;
}

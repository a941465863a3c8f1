import { AFTER, DateTime, FIRST } from '@radiata/service-runtime';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import type { TimeSaleStatus as TimeSaleStatusName } from '../domain/sales/window-rules.js';
import { TimeSaleStatus } from './entities.js';

@ArgsType()
export class TimeSalesArgs {
  @Field(() => TimeSaleStatus, { nullable: true, description: 'Only sales in this status; every status when omitted.' })
  status?: TimeSaleStatusName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@InputType({ description: 'A product to put on sale, with its discount and quantity.' })
export class TimeSaleProductInput {
  @Field(() => ID, {
    description: 'A catalog product (BAD_USER_INPUT while the timesales subgraph has not heard of it).',
  })
  productId!: string;

  @Field(() => Int, { description: "Percent off the product's regular price: 1 to 99 (%)." })
  discountRate!: number;

  @Field(() => Int, { description: 'How many units the sale offers: at least 1.' })
  totalQuantity!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Most one shopper may hold at once: at least 1; absent or null: no limit.',
  })
  perUserLimit?: number | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "Start of a narrower window inside the sale's; absent: the sale's start.",
  })
  startAt?: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "End of a narrower window inside the sale's (in the future); absent: the sale's end.",
  })
  endAt?: Date | null;
}

@InputType({ description: 'A new time sale, optionally with its products.' })
export class CreateTimeSaleInput {
  @Field(() => String, { description: '1 to 100 characters.' })
  title!: string;

  @Field(() => DateTime, { description: 'In the future, before endAt.' })
  startAt!: Date;

  @Field(() => DateTime, { description: 'After startAt.' })
  endAt!: Date;

  @Field(() => [TimeSaleProductInput], {
    nullable: true,
    description: 'At most 100; each product at most in one sale at any instant. Absent: an empty sale.',
  })
  products?: TimeSaleProductInput[] | null;
}

@InputType({
  description:
    'Only the fields given change. Once the sale has started only title and a later endAt; never after it ended.',
})
export class UpdateTimeSaleInput {
  @Field(() => String, { nullable: true, description: 'A new title, 1 to 100 characters.' })
  title?: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'A new start, in the future (only before the sale starts); moves its products with it.',
  })
  startAt?: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'A new end, after startAt; once the sale has started, only a later one.',
  })
  endAt?: Date | null;
}

@InputType({
  description:
    "Only the fields given change (null perUserLimit removes the limit; null startAt or endAt follows the sale's). " +
    'Once the product sells, only changes that cannot hurt shoppers: a higher discountRate, a totalQuantity not ' +
    'below what is sold, a higher or no perUserLimit, a later endAt.',
})
export class UpdateTimeSaleProductInput {
  @Field(() => Int, { nullable: true, description: 'A new discount, 1 to 99 (%).' })
  discountRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'A new total, at least 1 and not below what is sold (BAD_USER_INPUT).',
  })
  totalQuantity?: number | null;

  @Field(() => Int, { nullable: true, description: 'A new per-shopper limit, at least 1; null: no limit.' })
  perUserLimit?: number | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "A new start of its own window inside the sale's; null: the sale's start.",
  })
  startAt?: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "A new end of its own window inside the sale's; null: the sale's end.",
  })
  endAt?: Date | null;
}

@ArgsType()
export class UpdateTimeSaleArgs {
  @Field(() => ID, { description: 'The time sale to change.' })
  id!: string;

  @Field(() => UpdateTimeSaleInput, { description: 'What changes.' })
  input!: UpdateTimeSaleInput;
}

@ArgsType()
export class AddTimeSaleProductArgs {
  @Field(() => ID, { description: 'The time sale to add the product to.' })
  timeSaleId!: string;

  @Field(() => TimeSaleProductInput, { description: 'The product, its discount and quantity.' })
  input!: TimeSaleProductInput;
}

@ArgsType()
export class UpdateTimeSaleProductArgs {
  @Field(() => ID, { description: 'The time sale product to change.' })
  id!: string;

  @Field(() => UpdateTimeSaleProductInput, { description: 'What changes.' })
  input!: UpdateTimeSaleProductInput;
}

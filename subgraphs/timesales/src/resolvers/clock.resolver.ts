import { DateTime } from '@radiata/service-runtime';
import { Ctx, Query, Resolver } from 'type-graphql';
import type { TimesalesContext } from '../context.js';

@Resolver()
export class ClockResolver {
  @Query(() => DateTime, {
    description:
      "The service clock now. Countdowns (a sale's start, a coupon's opening) count from it, never from the " +
      "browser's clock: a client takes the middle of the request's round trip as this instant. Anyone may ask.",
  })
  serverTime(@Ctx() context: TimesalesContext): Date {
    return context.clock.now();
  }
}

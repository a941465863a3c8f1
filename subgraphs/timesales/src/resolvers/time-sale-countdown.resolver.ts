import { Arg, Ctx, Directive, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { TimesalesContext } from '../context.js';
import type { CountdownSnapshot } from '../domain/live/countdown-rules.js';
import type { TimeSaleRecord } from '../domain/sales/records.js';
import { TimeSaleCountdown } from '../schema/live.js';

@Resolver(() => TimeSaleCountdown)
export class TimeSaleCountdownResolver {
  // Public data: anyone may follow it, anonymous shoppers included. The tag tells the gateway so:
  // it shares one upstream subscription among all shoppers (gateway/src/subscriptions/planner.ts).
  @Directive('@tag(name: "public")')
  @Subscription(() => TimeSaleCountdown, {
    subscribe: ({ args, context }) => (context as TimesalesContext).countdowns.follow(args.timeSaleId as string),
    description:
      "A sale's countdown: an event at once, then on every whole second of the wall clock, and at once when its " +
      'status changes (started, sold out, live again, ended). Completes after the ENDED event (or when the sale is ' +
      'deleted). NOT_FOUND for an unknown sale. Anyone may follow it, anonymous shoppers included.',
  })
  timeSaleCountdown(
    @Root() snapshot: CountdownSnapshot,
    @Arg('timeSaleId', () => ID, { description: 'The time sale to count down.' }) _timeSaleId: string,
  ): CountdownSnapshot {
    return snapshot;
  }

  @FieldResolver()
  timeSale(@Root() snapshot: CountdownSnapshot, @Ctx() context: TimesalesContext): Promise<TimeSaleRecord | null> {
    return context.loaders.timeSaleById.load(snapshot.timeSaleId);
  }
}

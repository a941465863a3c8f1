import { env } from '@radiata/config';
import { z } from 'zod';

export const timesalesConfig = z.object({
  ...env.subgraph(4004, 'radiata_timesales'),
  ...env.redis,
  ...env.rabbitmq,
  /** Run the sale start/end scheduler in this process (every replica may: each transition fires once). */
  SALE_SCHEDULER: env.boolean(true),
  /** The scheduler re-reads the next start or end this often, besides the change notifications. */
  SALE_SCHEDULER_POLL_MS: env.positiveInt(30_000),
  /**
   * Lowest-price cache: an entry is served while it has been read within this time (each read
   * extends it: time-to-idle)…
   */
  LOWEST_PRICE_TTL_MS: env.positiveInt(30_000),
  /** …and was computed within this time (a hard cap, however often it is read); then it is recomputed. */
  LOWEST_PRICE_MAX_AGE_MS: env.positiveInt(300_000),
});

export type TimesalesConfig = z.infer<typeof timesalesConfig>;

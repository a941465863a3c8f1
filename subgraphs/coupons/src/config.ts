import { env } from '@radiata/config';
import { z } from 'zod';

export const couponsConfig = z.object({
  ...env.subgraph(4003, 'radiata_coupons'),
  ...env.redis,
  ...env.rabbitmq,
  /** Claims one shopper may make per CLAIM_RATE_WINDOW_SECONDS, counted across replicas (Redis). */
  CLAIM_RATE_LIMIT: env.positiveInt(5),
  CLAIM_RATE_WINDOW_SECONDS: env.positiveInt(1),
  /** Accepted claims persisted per database transaction. */
  CLAIM_BATCH_SIZE: env.positiveInt(500),
  /** Run the claim persister in this process (turn off to run it elsewhere). */
  CLAIM_PERSISTER: env.boolean(true),
  /** How often issued coupons past their expiry become EXPIRED (an idempotent UPDATE: replicas may overlap). */
  COUPON_EXPIRY_INTERVAL_MS: env.positiveInt(60_000),
});

export type CouponsConfig = z.infer<typeof couponsConfig>;

import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

export const couponsConfigSchema = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  PORT: env.port(4003),
  DATABASE_URL: env.postgresUrl('radiata_coupons'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  REDIS_URL: env.redisUrl,
  /** Namespace of every Redis key and channel (deployments or test runs sharing a Redis). */
  REDIS_KEY_PREFIX: env.redisKeyPrefix,
  RABBITMQ_URL: env.rabbitmqUrl,
  GATEWAY_CONTEXT_SECRET: env.secret,
  /** Claims one shopper may make per CLAIM_RATE_WINDOW_MS, per replica. */
  CLAIM_RATE_LIMIT: env.positiveInt(5),
  CLAIM_RATE_WINDOW_MS: env.positiveInt(1000),
  /** Accepted claims persisted per database transaction. */
  CLAIM_BATCH_SIZE: env.positiveInt(500),
  /** Run the claim persister in this process (turn off to run it elsewhere). */
  CLAIM_PERSISTER: env.boolean(true),
  OUTBOX_POLL_INTERVAL_MS: env.positiveInt(1000),
  /** How often issued coupons past their expiry become EXPIRED (an idempotent UPDATE: replicas may overlap). */
  COUPON_EXPIRY_INTERVAL_MS: env.positiveInt(60_000),
});

export type CouponsConfig = z.infer<typeof couponsConfigSchema>;

export const loadCouponsConfig = (source?: Record<string, string | undefined>): CouponsConfig =>
  loadConfig('coupons', couponsConfigSchema, source);

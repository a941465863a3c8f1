import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

export const timesalesConfigSchema = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  PORT: env.port(4004),
  DATABASE_URL: env.postgresUrl('radiata_timesales'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  REDIS_URL: env.redisUrl,
  /** Namespace of every Redis key and channel (deployments or test runs sharing a Redis). */
  REDIS_KEY_PREFIX: env.redisKeyPrefix,
  RABBITMQ_URL: env.rabbitmqUrl,
  GATEWAY_CONTEXT_SECRET: env.secret,
  OUTBOX_POLL_INTERVAL_MS: env.positiveInt(1000),
  /** Durable queue of catalog product events feeding the products projection. */
  CATALOG_QUEUE: z.string().min(1).default('timesales.catalog-products'),
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

export type TimesalesConfig = z.infer<typeof timesalesConfigSchema>;

export const loadTimesalesConfig = (source?: Record<string, string | undefined>): TimesalesConfig =>
  loadConfig('timesales', timesalesConfigSchema, source);

import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

export const catalogConfigSchema = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  PORT: env.port(4002),
  DATABASE_URL: env.postgresUrl('radiata_catalog'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  RABBITMQ_URL: env.rabbitmqUrl,
  GATEWAY_CONTEXT_SECRET: env.secret,
  /** Fallback poll of the outbox relay when no NOTIFY wakes it. */
  OUTBOX_POLL_INTERVAL_MS: env.positiveInt(1000),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = (source?: Record<string, string | undefined>): CatalogConfig =>
  loadConfig('catalog', catalogConfigSchema, source);

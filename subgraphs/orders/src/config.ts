import { env } from '@radiata/config';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ordersConfig = z.object({
  ...env.subgraph(4005, 'radiata_orders'),
  ...env.rabbitmq,
  ...env.redis,
  /** How long an order awaits payment before it expires (DOMAIN.md: 10 minutes). */
  ORDER_PAYMENT_WINDOW_MS: ms(600_000),
  /** Failed payments an order survives; the next cancels it (PAYMENT_FAILED). */
  ORDER_PAYMENT_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** How long the first attempt of a saga step waits for its reply; each resend waits twice as long. */
  SAGA_STEP_TIMEOUT_MS: ms(5_000),
  /** Attempts of a reserving step before the order is compensated (STEP_TIMEOUT). */
  SAGA_STEP_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The longest wait between two attempts of a step. */
  SAGA_RETRY_MAX_MS: ms(60_000),
  /** How often each replica looks for saga deadlines that passed. */
  SAGA_POLL_INTERVAL_MS: ms(1_000),
  /** How often a live order view re-reads the order when no change was announced (pub/sub may drop one). */
  ORDER_FEED_POLL_MS: ms(5_000),
  /** How long placeOrder waits for a saved address it has not heard of yet (one saved a moment ago) before NOT_FOUND. */
  ORDER_ADDRESS_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1_500),
  ORDER_MAX_LINES: z.coerce.number().int().min(1).max(100).default(50),
  ORDER_MAX_QUANTITY: z.coerce.number().int().min(1).max(1_000).default(100),
});

export type OrdersConfig = z.infer<typeof ordersConfig>;

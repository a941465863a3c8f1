import { env } from '@radiata/config';
import { z } from 'zod';

export const paymentsConfig = z.object({
  ...env.subgraph(4006, 'radiata_payments'),
  ...env.rabbitmq,
  /** The payment provider's API: Toss Payments (https://api.tosspayments.com) or the local fake (`npm run dev` starts it on 4010). */
  PROVIDER_BASE_URL: env.httpUrl.default('http://127.0.0.1:4010'),
  /** The provider's secret key (Toss: `test_sk_…` / `live_sk_…`); sent as HTTP Basic auth, never logged. */
  PROVIDER_SECRET_KEY: z
    .string({ error: 'required (the payment provider secret key)' })
    .min(8, 'must be at least 8 characters'),
  /** How long one provider request may take before it is retried with the same Idempotency-Key. */
  PROVIDER_TIMEOUT_MS: env.positiveInt(10_000),
  /** Attempts per provider request (timeouts, 5xx) before the outcome is left to reconciliation. */
  PROVIDER_ATTEMPTS: env.positiveInt(3),
  /** The most one payment or top-up may be, in won. */
  PAYMENT_MAX_AMOUNT: env.positiveInt(10_000_000),
  /** The most a wallet may hold, in won: a top-up that would exceed it is refused. */
  WALLET_MAX_BALANCE: env.positiveInt(2_000_000),
  /** Wrong PINs in a row that lock a wallet, and for how long. */
  PIN_MAX_ATTEMPTS: env.positiveInt(5),
  PIN_LOCK_MS: env.positiveInt(30 * 60_000),
  /** How often pending provider payments and refunds are reconciled, and how old one must be first. */
  RECONCILE_INTERVAL_MS: env.positiveInt(15_000),
  RECONCILE_AFTER_MS: env.positiveInt(120_000),
});

export type PaymentsConfig = z.infer<typeof paymentsConfig>;

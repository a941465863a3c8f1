import { env } from '@radiata/config';
import { z } from 'zod';
import { InvalidPeriod, parseSchedule } from './domain/settlement/period.js';

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone, e.g. Asia/Seoul');

const schedule = z.string().transform((text, context) => {
  try {
    return parseSchedule(text);
  } catch (error) {
    if (!(error instanceof InvalidPeriod)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

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
  /** Weekly settlement: when the schedule settles the week just ended (weekday and local time), or `off`. */
  SETTLEMENT_SCHEDULE: schedule.default(parseSchedule('MON 03:00')),
  /** The time zone of settlement weeks (Monday 00:00 to Monday 00:00) and of the schedule. */
  SETTLEMENT_TIME_ZONE: timeZone.default('Asia/Seoul'),
  /** Payments or refunds per chunk: one transaction and one checkpoint each. */
  SETTLEMENT_CHUNK_SIZE: env.positiveInt(5_000),
  /** Failed chunks in a row before a run is FAILED (an ADMIN may run it again). */
  SETTLEMENT_ATTEMPTS: env.positiveInt(5),
  /** How often each replica looks for a due week and for runs to resume. */
  SETTLEMENT_POLL_INTERVAL_MS: env.positiveInt(10_000),
  /** Fee rate (basis points: 350 = 3.5 %) of a brand whose grade rate the catalog has not told yet. */
  SETTLEMENT_DEFAULT_FEE_RATE_BP: z.coerce.number().int().min(0).max(10_000).default(350),
});

export type PaymentsConfig = z.infer<typeof paymentsConfig>;

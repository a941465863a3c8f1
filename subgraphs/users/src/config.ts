import { env } from '@radiata/config';
import { z } from 'zod';

export const usersConfig = z.object({
  ...env.subgraph(4001, 'radiata_users'),
  ...env.redis,
  ...env.rabbitmq,
  JWT_SECRET: env.secret,
  ACCESS_TOKEN_TTL_SECONDS: env.positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: env.positiveInt(30),
  // Brute-force protection (domain/throttles.ts), counted in Redis so every replica shares it.
  /** Consecutive failed log-ins to one account from one address before that pair is locked. */
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: env.positiveInt(10),
  /** Consecutive failed log-ins to one account from any addresses before the account is locked. */
  LOGIN_FAILURES_PER_ACCOUNT: env.positiveInt(50),
  /** How long either lock lasts. */
  LOGIN_LOCK_SECONDS: env.positiveInt(15 * 60),
  /** From this many consecutive failures on, each further attempt must wait (back-off) until the lock. */
  LOGIN_BACKOFF_AFTER_FAILURES: env.positiveInt(3),
  /** The first back-off wait; it doubles with each further failure (capped by the lock). */
  LOGIN_BACKOFF_SECONDS: env.positiveInt(1),
  /** Failed log-ins from one address, to any accounts, per day (slow brute force, credential stuffing). */
  LOGIN_FAILURES_PER_ADDRESS_PER_DAY: env.positiveInt(100),
  /** Sign-ups from one address per SIGN_UP_RATE_WINDOW_SECONDS. */
  SIGN_UP_RATE_LIMIT: env.positiveInt(10),
  SIGN_UP_RATE_WINDOW_SECONDS: env.positiveInt(60 * 60),
  /** Refresh-token rotations from one address per REFRESH_TOKEN_RATE_WINDOW_SECONDS. */
  REFRESH_TOKEN_RATE_LIMIT: env.positiveInt(60),
  REFRESH_TOKEN_RATE_WINDOW_SECONDS: env.positiveInt(60),
  /** Reward points a paid order earns, in percent of the amount paid (rounded down); 0 turns earning off. */
  POINTS_EARN_RATE_PERCENT: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 100')
    .max(100, 'must be between 0 and 100')
    .default(1),
});

export type UsersConfig = z.infer<typeof usersConfig>;

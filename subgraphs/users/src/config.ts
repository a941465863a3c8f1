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
  // Mail (src/mail): an outbox in the database, sent through SMTP by a relay in every replica.
  /** The mail server: `smtp://[user:password@]host:port` (STARTTLS when offered) or `smtps://…`. */
  SMTP_URL: z
    .string()
    .refine((value) => URL.canParse(value) && ['smtp:', 'smtps:'].includes(new URL(value).protocol), {
      message: 'must be a URL starting with smtp:// or smtps://',
    })
    .default('smtp://127.0.0.1:1025'),
  /** The From of every mail. */
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be a mail address, e.g. Radiata <no-reply@example.com>')
    .default('Radiata <no-reply@radiata.localhost>'),
  /** How often each replica's relay looks for mail to send. */
  MAIL_POLL_INTERVAL_MS: env.positiveInt(1000),
  /** SMTP attempts a mail gets (the server refusing or failing it) before it fails for good; an unreachable server costs none. */
  MAIL_MAX_ATTEMPTS: env.positiveInt(8),
  /** The wait after a mail's first failed attempt; it doubles after each further one, up to MAIL_RETRY_MAX_MS. */
  MAIL_RETRY_INITIAL_MS: env.positiveInt(10_000),
  MAIL_RETRY_MAX_MS: env.positiveInt(15 * 60_000),
  // Password reset by email (domain/credentials.ts).
  /** The page that takes a reset token: the mail links to it with `?token=…`. */
  PASSWORD_RESET_URL: env.httpUrl.default('http://localhost:5173/reset-password'),
  /** How long a reset link works. */
  PASSWORD_RESET_TTL_MINUTES: env.positiveInt(30),
  /** Reset requests per client address, and per email address (whether or not it has an account), per window. */
  PASSWORD_RESET_LIMIT_PER_ADDRESS: env.positiveInt(10),
  PASSWORD_RESET_LIMIT_PER_EMAIL: env.positiveInt(3),
  PASSWORD_RESET_RATE_WINDOW_SECONDS: env.positiveInt(60 * 60),
});

export type UsersConfig = z.infer<typeof usersConfig>;

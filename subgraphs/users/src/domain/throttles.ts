import { createHash } from 'node:crypto';
import { rateLimited } from '@radiata/errors';
import {
  consumeRateLimit,
  createRateLimiter,
  peekRateLimit,
  type RateLimiter,
  type Redis,
  retryAfterSeconds,
} from '@radiata/redis';
import { GraphQLError } from 'graphql';
import { normalizeEmail } from './users.js';

export interface ThrottleSettings {
  readonly keyPrefix: string;
  readonly failuresPerAccountAndAddress: number;
  readonly failuresPerAccount: number;
  readonly lockSeconds: number;
  readonly backoffAfterFailures: number;
  /** The first back-off wait; each further failure doubles it. */
  readonly backoffSeconds: number;
  readonly failuresPerAddressPerDay: number;
  readonly signUpLimit: number;
  readonly signUpWindowSeconds: number;
  readonly refreshLimit: number;
  readonly refreshWindowSeconds: number;
  /** Password reset requests per address, and per email address (an account or not), per window. */
  readonly resetLimitPerAddress: number;
  readonly resetLimitPerEmail: number;
  readonly resetWindowSeconds: number;
}

const DAY_SECONDS = 86_400;
/** Requests signed without an address (only direct calls in tests) share one bucket rather than escape. */
const UNKNOWN_ADDRESS = 'unknown';

/** Keys name an account by a digest of its email: no addresses of people in Redis key names. */
const accountKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('base64url');

const isFailedCredential = (error: unknown) =>
  error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED';

const describeWait = (seconds: number) =>
  seconds === 1 ? '1 second' : seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;

/**
 * Brute-force protection for signing in, after rate-limiter-flexible's login-protection pattern,
 * in Redis so every replica counts together:
 *
 * - consecutive failures per account + address lock that pair (LOGIN_LOCK_SECONDS); before the
 *   lock, failures past a threshold make each next attempt wait, doubling each time (back-off);
 * - consecutive failures per account from any address lock the account, at a higher ceiling:
 *   an attacker at one address locks only themselves out, and must spread their guesses over
 *   many addresses before the real owner is locked out too (a lock is a denial-of-service tool
 *   in the wrong hands, so the account-wide one is the last resort against distributed guessing);
 * - failures per address per day, whatever the accounts (slow guessing, credential stuffing).
 *
 * A success clears the account's consecutive counts. Each attempt takes its points before the
 * password is checked, so a parallel burst cannot get more guesses in than the limits allow; an
 * attempt refused by one limit never counts against the others. Refusals are RATE_LIMITED with
 * retryAfterSeconds and do not depend on whether the account exists; wrong-password answers
 * still take the Argon2 time (Accounts.authenticate), so neither reveals which emails have accounts.
 */
export class AuthThrottles {
  private readonly byAccountAndAddress;
  private readonly byAccount;
  private readonly byAddress;
  private readonly backoff;
  private readonly signUps;
  private readonly refreshes;
  private readonly resetsByAddress;
  private readonly resetsByEmail;

  constructor(
    redis: Redis,
    private readonly settings: ThrottleSettings,
  ) {
    const { keyPrefix, lockSeconds } = settings;
    this.byAccountAndAddress = createRateLimiter(redis, keyPrefix, {
      name: 'login-fail-account-address',
      points: settings.failuresPerAccountAndAddress,
      durationSeconds: DAY_SECONDS,
      blockSeconds: lockSeconds,
    });
    this.byAccount = createRateLimiter(redis, keyPrefix, {
      name: 'login-fail-account',
      points: settings.failuresPerAccount,
      durationSeconds: DAY_SECONDS,
      blockSeconds: lockSeconds,
    });
    this.byAddress = createRateLimiter(redis, keyPrefix, {
      name: 'login-fail-address-day',
      points: settings.failuresPerAddressPerDay,
      durationSeconds: DAY_SECONDS,
    });
    // Only ever blocked (block()) and read: a key exists while its pair must wait.
    this.backoff = createRateLimiter(redis, keyPrefix, {
      name: 'login-backoff',
      points: 1,
      durationSeconds: lockSeconds,
    });
    this.signUps = createRateLimiter(redis, keyPrefix, {
      name: 'sign-up-address',
      points: settings.signUpLimit,
      durationSeconds: settings.signUpWindowSeconds,
    });
    this.refreshes = createRateLimiter(redis, keyPrefix, {
      name: 'refresh-address',
      points: settings.refreshLimit,
      durationSeconds: settings.refreshWindowSeconds,
    });
    this.resetsByAddress = createRateLimiter(redis, keyPrefix, {
      name: 'password-reset-address',
      points: settings.resetLimitPerAddress,
      durationSeconds: settings.resetWindowSeconds,
    });
    this.resetsByEmail = createRateLimiter(redis, keyPrefix, {
      name: 'password-reset-email',
      points: settings.resetLimitPerEmail,
      durationSeconds: settings.resetWindowSeconds,
    });
  }

  /** Runs `authenticate` (which must answer UNAUTHENTICATED for bad credentials) within the log-in limits. */
  async logIn<T>(email: string, clientAddress: string | null, authenticate: () => Promise<T>): Promise<T> {
    const account = accountKey(email);
    const address = clientAddress ?? UNKNOWN_ADDRESS;
    const pair = `${account}:${address}`;

    // A lock outranks a back-off in the answer: it is the longer wait, and the one to state.
    const [locked, waiting] = await Promise.all([
      peekRateLimit(this.byAccountAndAddress, pair),
      peekRateLimit(this.backoff, pair),
    ]);
    if (!locked.allowed) throw this.refusal(locked.retryAfterMs);
    if (!waiting.allowed) throw this.refusal(waiting.retryAfterMs);

    // One at a time and most specific first: an attempt refused by one counter never reaches
    // the next, so hammering a locked pair does not count against the account.
    const taken: (readonly [RateLimiter, string])[] = [];
    let consecutive = 0;
    for (const [limiter, key] of [
      [this.byAccountAndAddress, pair],
      [this.byAccount, account],
      [this.byAddress, address],
    ] as const) {
      const decision = await consumeRateLimit(limiter, key);
      if (!decision.allowed) {
        await this.giveBack(taken);
        throw this.refusal(decision.retryAfterMs);
      }
      if (taken.length === 0) consecutive = decision.consumedPoints;
      taken.push([limiter, key]);
    }

    let signedIn: T;
    try {
      signedIn = await authenticate();
    } catch (error) {
      if (isFailedCredential(error)) await this.failed(pair, consecutive);
      else await this.giveBack(taken);
      throw error;
    }
    await Promise.all([
      this.byAccountAndAddress.delete(pair),
      this.byAccount.delete(account),
      this.byAddress.reward(address),
    ]);
    return signedIn;
  }

  /** Counts a sign-up from the address: RATE_LIMITED once over SIGN_UP_RATE_LIMIT. */
  async signUp(clientAddress: string | null): Promise<void> {
    const decision = await consumeRateLimit(this.signUps, clientAddress ?? UNKNOWN_ADDRESS);
    if (!decision.allowed)
      throw rateLimited(retryAfterSeconds(decision.retryAfterMs), 'Too many sign-ups: try again later');
  }

  /** Counts a refresh from the address: RATE_LIMITED once over REFRESH_TOKEN_RATE_LIMIT. */
  async refresh(clientAddress: string | null): Promise<void> {
    const decision = await consumeRateLimit(this.refreshes, clientAddress ?? UNKNOWN_ADDRESS);
    if (!decision.allowed)
      throw rateLimited(retryAfterSeconds(decision.retryAfterMs), 'Too many token refreshes: try again later');
  }

  /**
   * Counts a password reset request from the address for the email, whether or not it has an
   * account (the answer must not tell): RATE_LIMITED past either limit. The address is counted
   * first; a request it lets through but the email refuses gives its point back.
   */
  async passwordReset(email: string, clientAddress: string | null): Promise<void> {
    const address = clientAddress ?? UNKNOWN_ADDRESS;
    const byAddress = await consumeRateLimit(this.resetsByAddress, address);
    if (!byAddress.allowed) throw this.resetRefusal(byAddress.retryAfterMs);
    const byEmail = await consumeRateLimit(this.resetsByEmail, accountKey(email));
    if (!byEmail.allowed) {
      await this.resetsByAddress.reward(address);
      throw this.resetRefusal(byEmail.retryAfterMs);
    }
  }

  private resetRefusal(retryAfterMs: number): GraphQLError {
    const seconds = retryAfterSeconds(retryAfterMs);
    return rateLimited(seconds, `Too many password reset requests: try again in ${describeWait(seconds)}`);
  }

  private refusal(retryAfterMs: number): GraphQLError {
    const seconds = retryAfterSeconds(retryAfterMs);
    return rateLimited(seconds, `Too many failed log-ins: try again in ${describeWait(seconds)}`);
  }

  /** The pair's `failures`-th consecutive failure: at the limit the lock starts now, before it a back-off. */
  private async failed(pair: string, failures: number): Promise<void> {
    const { failuresPerAccountAndAddress, backoffAfterFailures, backoffSeconds, lockSeconds } = this.settings;
    if (failures >= failuresPerAccountAndAddress) {
      await this.byAccountAndAddress.block(pair, lockSeconds);
    } else if (failures >= backoffAfterFailures) {
      await this.backoff.block(pair, Math.min(backoffSeconds * 2 ** (failures - backoffAfterFailures), lockSeconds));
    }
  }

  /** Points an attempt took but did not use (refused by a later counter, or failed for another reason). */
  private async giveBack(taken: readonly (readonly [RateLimiter, string])[]): Promise<void> {
    await Promise.all(taken.map(([limiter, key]) => limiter.reward(key)));
  }
}

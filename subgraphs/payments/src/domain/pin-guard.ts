import { setTimeout as sleep } from 'node:timers/promises';
import { forbidden, notFound, rateLimited } from '@radiata/errors';
import { type Clock, newId } from '@radiata/service-runtime';
import type { Database } from '../persistence/database.js';
import { KeyedGate } from './keyed-gate.js';
import { pinMatches } from './pin-hashing.js';

export interface PinPolicy {
  /** Wrong PINs in a row that lock the wallet. */
  readonly maxAttempts: number;
  /** How long a lock lasts. */
  readonly lockMs: number;
  /** How long an unfinished check (its process died) counts as in flight. */
  readonly checkLeaseMs?: number;
  /** How long a check waits for others of the same wallet before RATE_LIMITED. */
  readonly waitMs?: number;
}

type Reservation =
  | { readonly kind: 'no-wallet' }
  | { readonly kind: 'locked'; readonly until: Date }
  | { readonly kind: 'busy' }
  | { readonly kind: 'reserved'; readonly checkId: string; readonly pinHash: string };

/** How long PIN checks are kept: an audit trail of attempts, long past any lock. */
export const PIN_CHECK_RETENTION_MS = 30 * 24 * 3_600_000;

const locked = (until: Date) =>
  forbidden(`The wallet is locked after too many wrong PINs, until ${until.toISOString()}`, {
    reason: 'WALLET_LOCKED',
    lockedUntil: until.toISOString(),
  });

/**
 * The wallet PIN check with its lockout: PIN_MAX_ATTEMPTS wrong PINs in a row lock the wallet for
 * PIN_LOCK_MS. Each check is reserved in the database before the slow hash comparison and counts
 * against the attempts left while in flight, so parallel guesses from any number of replicas
 * cannot test more PINs than the lockout allows. A correct PIN resets the count.
 */
export class PinGuard {
  private readonly gate = new KeyedGate();
  private readonly checkLeaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly policy: PinPolicy,
  ) {
    this.checkLeaseMs = policy.checkLeaseMs ?? 60_000;
    this.waitMs = policy.waitMs ?? 15_000;
  }

  /** Deletes PIN checks started more than `retainMs` ago (kept meanwhile as an audit trail); resolves with how many. */
  async prune(retainMs = PIN_CHECK_RETENTION_MS): Promise<number> {
    const before = new Date(this.clock.now().getTime() - Math.max(retainMs, this.checkLeaseMs));
    let total = 0;
    for (;;) {
      const deleted = await this.db.$executeRaw`
        DELETE FROM pin_checks WHERE id = ANY(ARRAY(SELECT id FROM pin_checks WHERE started_at < ${before} LIMIT 1000))`;
      total += deleted;
      if (deleted < 1000) return total;
    }
  }

  /** What a wallet's owner is told of its lock: until when (null when not locked), and wrong PINs left. */
  lockState(wallet: { failedPinAttempts: number; lockedUntil: Date | null }): {
    lockedUntil: Date | null;
    attemptsLeft: number;
  } {
    const now = this.clock.now();
    if (wallet.lockedUntil && wallet.lockedUntil > now) return { lockedUntil: wallet.lockedUntil, attemptsLeft: 0 };
    const failed = wallet.lockedUntil ? 0 : wallet.failedPinAttempts;
    return { lockedUntil: null, attemptsLeft: Math.max(this.policy.maxAttempts - failed, 0) };
  }

  /**
   * Resolves when `pin` is the wallet's PIN. FORBIDDEN (reason WRONG_PIN with attemptsLeft, or
   * WALLET_LOCKED with lockedUntil), NOT_FOUND when the user has no wallet (after the same work as
   * a check), RATE_LIMITED when other checks of the wallet keep it busy too long.
   */
  async check(userId: string, pin: string): Promise<void> {
    const giveUpAt = performance.now() + this.waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const release = await this.gate.enter(userId, this.policy.maxAttempts);
      try {
        const reservation = await this.reserve(userId);
        switch (reservation.kind) {
          case 'no-wallet':
            await pinMatches(undefined, pin);
            throw notFound('Wallet');
          case 'locked':
            throw locked(reservation.until);
          case 'reserved':
            return await this.verify(userId, reservation, pin);
          case 'busy':
            break;
        }
      } finally {
        release();
      }
      if (performance.now() > giveUpAt) throw rateLimited(1, 'Other PIN checks of this wallet are in progress');
      await sleep(Math.min(20 * 2 ** attempt, 200));
    }
  }

  private async verify(userId: string, reservation: { checkId: string; pinHash: string }, pin: string) {
    let matches: boolean;
    try {
      matches = await pinMatches(reservation.pinHash, pin);
    } catch (error) {
      // Not a wrong PIN: end the check without counting it.
      await this.db.pinCheck.update({ where: { id: reservation.checkId }, data: { finishedAt: this.clock.now() } });
      throw error;
    }
    const outcome = await this.finish(userId, reservation.checkId, matches);
    if (matches) return;
    if (outcome.lockedUntil) throw locked(outcome.lockedUntil);
    const attemptsLeft = Math.max(this.policy.maxAttempts - outcome.failedAttempts, 0);
    throw forbidden(
      `Wrong PIN: ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left before the wallet is locked`,
      {
        reason: 'WRONG_PIN',
        attemptsLeft,
      },
    );
  }

  private reserve(userId: string): Promise<Reservation> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const [wallet] = await tx.$queryRaw<
        { pin_hash: string; failed_pin_attempts: number; locked_until: Date | null }[]
      >`
        SELECT pin_hash, failed_pin_attempts, locked_until FROM wallets WHERE user_id = ${userId}::uuid FOR UPDATE`;
      if (!wallet) return { kind: 'no-wallet' };
      if (wallet.locked_until && wallet.locked_until > now) return { kind: 'locked', until: wallet.locked_until };
      let failed = wallet.failed_pin_attempts;
      if (wallet.locked_until) {
        // The lock is over: a new run of attempts starts.
        failed = 0;
        await tx.wallet.update({ where: { userId }, data: { failedPinAttempts: 0, lockedUntil: null } });
      }
      const inFlight = await tx.pinCheck.count({
        where: { userId, finishedAt: null, startedAt: { gt: new Date(now.getTime() - this.checkLeaseMs) } },
      });
      if (failed + inFlight >= this.policy.maxAttempts) return { kind: 'busy' };
      const check = await tx.pinCheck.create({ data: { id: newId(), userId, startedAt: now } });
      return { kind: 'reserved', checkId: check.id, pinHash: wallet.pin_hash };
    });
  }

  private async finish(
    userId: string,
    checkId: string,
    matches: boolean,
  ): Promise<{ failedAttempts: number; lockedUntil: Date | null }> {
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + this.policy.lockMs);
    return this.db.$transaction(async (tx) => {
      await tx.pinCheck.update({ where: { id: checkId }, data: { finishedAt: now, succeeded: matches } });
      if (matches) {
        await tx.wallet.updateMany({ where: { userId, failedPinAttempts: { gt: 0 } }, data: { failedPinAttempts: 0 } });
        return { failedAttempts: 0, lockedUntil: null };
      }
      const [after] = await tx.$queryRaw<{ failed_pin_attempts: number; locked_until: Date | null }[]>`
        UPDATE wallets SET
          failed_pin_attempts = failed_pin_attempts + 1,
          locked_until = CASE WHEN failed_pin_attempts + 1 >= ${this.policy.maxAttempts} THEN ${lockUntil} ELSE locked_until END,
          updated_at = ${now}
        WHERE user_id = ${userId}::uuid
        RETURNING failed_pin_attempts, locked_until`;
      return { failedAttempts: after?.failed_pin_attempts ?? 0, lockedUntil: after?.locked_until ?? null };
    });
  }
}

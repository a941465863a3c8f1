import type { Database, Transaction } from '../persistence/database.js';
import { InsufficientPointsError, type PointLedger } from './points.js';

/** What an order's points step answers: DONE with what it did, or an expected refusal. */
export type OrderPointsOutcome<T> =
  | { readonly outcome: 'DONE'; readonly data: T }
  | { readonly outcome: 'REFUSED'; readonly reason: 'INSUFFICIENT_POINTS'; readonly data: { readonly balance: number } }
  | { readonly outcome: 'REFUSED'; readonly reason: 'ALREADY_RELEASED'; readonly data: Record<string, never> };

export interface PointsUsed {
  readonly points: number;
  readonly balanceAfter: number;
}

/** No balanceAfter when the order earned nothing (no entry was written). */
export interface PointsEarned {
  readonly points: number;
  readonly balanceAfter?: number;
}

export interface PointsRefunded {
  /** The points the order used, given back. */
  readonly refunded: number;
  /** The points the order earned, taken back (at most the balance). */
  readonly revoked: number;
}

/** The order names a user with no point account: no retry can apply it. */
export class PointAccountNotFound extends Error {
  override readonly name = 'PointAccountNotFound';
  constructor(readonly userId: string) {
    super(`user ${userId} has no point account`);
  }
}

const released = { outcome: 'REFUSED', reason: 'ALREADY_RELEASED', data: {} } as const;

/**
 * An order's reward points, for the order saga (docs/ARCHITECTURE.md, "Order saga"): use them
 * while it is placed, earn on them once it is paid, refund when it is compensated or refunded.
 * Each is idempotent per order (a repeated command answers from the ledger, or from the refund's
 * row), and a refund is final: it leaves the order's tombstone (refunded_point_orders), so a use
 * or earn arriving after it is refused ALREADY_RELEASED instead of applied late.
 *
 * Every operation first locks the user's point account row, so the operations of one user (and
 * so of one order) run one after the other: a use and a refund of the same order cannot both
 * miss each other, and the refund reads the balance it may take back from.
 */
export class OrderPoints {
  constructor(
    private readonly db: Database,
    private readonly ledger: PointLedger,
    /** Points earned per 100 won paid (POINTS_EARN_RATE_PERCENT). */
    private readonly earnRatePercent: number,
  ) {}

  /** Spends `points` of the user's balance for the order; not enough is INSUFFICIENT_POINTS with the balance. */
  use(orderId: string, userId: string, points: number): Promise<OrderPointsOutcome<PointsUsed>> {
    return this.db.$transaction(async (tx) => {
      const balance = await lockAccount(tx, userId);
      if (await isRefunded(tx, orderId)) return released;
      if (balance === undefined) throw new PointAccountNotFound(userId);
      try {
        // The ledger answers a repeated use with the order's USE entry, whatever the balance is now.
        const entry = await this.ledger.applyIn(tx, {
          userId,
          orderId,
          type: 'USE',
          amount: -points,
          reason: 'used for an order',
        });
        return { outcome: 'DONE', data: { points: -entry.amount, balanceAfter: entry.balanceAfter } };
      } catch (error) {
        if (!(error instanceof InsufficientPointsError)) throw error;
        return { outcome: 'REFUSED', reason: 'INSUFFICIENT_POINTS', data: { balance: error.balance } };
      }
    });
  }

  /** Credits floor(amountPaid × rate / 100) points for the paid order; nothing to earn writes no entry. */
  earn(orderId: string, userId: string, amountPaid: number): Promise<OrderPointsOutcome<PointsEarned>> {
    const points = Math.floor((amountPaid * this.earnRatePercent) / 100);
    return this.db.$transaction(async (tx) => {
      const balance = await lockAccount(tx, userId);
      if (await isRefunded(tx, orderId)) return released;
      if (balance === undefined) throw new PointAccountNotFound(userId);
      // A repeated earn answers what was earned, even if the rate has changed since.
      const earlier = await tx.pointEntry.findFirst({ where: { userId, orderId, type: 'EARN' } });
      if (earlier) return { outcome: 'DONE', data: { points: earlier.amount, balanceAfter: earlier.balanceAfter } };
      if (points === 0) return { outcome: 'DONE', data: { points: 0 } };
      const entry = await this.ledger.applyIn(tx, {
        userId,
        orderId,
        type: 'EARN',
        amount: points,
        reason: 'earned by an order',
      });
      return { outcome: 'DONE', data: { points: entry.amount, balanceAfter: entry.balanceAfter } };
    });
  }

  /**
   * Undoes the order's points, once: gives back what it used (a REFUND entry), then takes back
   * what it earned, at most the balance then (the balance never goes negative: points the user
   * has spent already are not recovered). An order that did neither is refunded with nothing.
   * Answers a repeated refund from the order's tombstone.
   */
  refund(orderId: string, userId: string): Promise<OrderPointsOutcome<PointsRefunded>> {
    return this.db.$transaction(async (tx) => {
      const balance = await lockAccount(tx, userId);
      let refund = await tx.refundedPointOrder.findUnique({ where: { orderId } });
      if (!refund) {
        const { refunded, revoked } =
          balance === undefined ? { refunded: 0, revoked: 0 } : await this.undo(tx, orderId, userId, balance);
        // Without an account there is no row lock: a concurrent refund of the same order may insert first.
        await tx.$executeRaw`
          INSERT INTO refunded_point_orders (order_id, user_id, refunded, revoked)
          VALUES (${orderId}::uuid, ${userId}::uuid, ${refunded}, ${revoked})
          ON CONFLICT (order_id) DO NOTHING`;
        refund = await tx.refundedPointOrder.findUniqueOrThrow({ where: { orderId } });
      }
      return { outcome: 'DONE', data: { refunded: refund.refunded, revoked: refund.revoked } };
    });
  }

  private async undo(tx: Transaction, orderId: string, userId: string, balance: number): Promise<PointsRefunded> {
    let balanceNow = balance;
    let refunded = 0;
    const used = await tx.pointEntry.findFirst({ where: { userId, orderId, type: 'USE' } });
    if (used) {
      const entry = await this.ledger.applyIn(tx, {
        userId,
        orderId,
        type: 'REFUND',
        amount: -used.amount,
        reason: 'order refunded: the points it used given back',
      });
      refunded = entry.amount;
      balanceNow = entry.balanceAfter;
    }
    const earned = await tx.pointEntry.findFirst({ where: { userId, orderId, type: 'EARN' } });
    const revoked = Math.min(earned?.amount ?? 0, balanceNow);
    if (revoked > 0) {
      // EXPIRE, not ADJUST: the earned points cease to be valid, which is what an expiry records,
      // and EXPIRE is debit-only, so the ledger itself refuses a take-back that would credit.
      // ADJUST stays the ADMIN's manual correction (never tied to an order), so the audit trail
      // of manual changes holds no automatic ones. The order id tells it from a lapse by age.
      await this.ledger.applyIn(tx, {
        userId,
        orderId,
        type: 'EXPIRE',
        amount: -revoked,
        reason: 'order refunded: the points it earned taken back',
      });
    }
    return { refunded, revoked };
  }
}

/** Locks the user's point account row for the transaction; its balance, or undefined without an account. */
async function lockAccount(tx: Transaction, userId: string): Promise<number | undefined> {
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    SELECT balance FROM point_accounts WHERE user_id = ${userId}::uuid FOR UPDATE`;
  return rows[0]?.balance;
}

const isRefunded = async (tx: Transaction, orderId: string): Promise<boolean> =>
  (await tx.refundedPointOrder.findUnique({ where: { orderId }, select: { orderId: true } })) !== null;

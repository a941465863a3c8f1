import type { Viewer } from '@radiata/auth-context';
import { badUserInput, notFound } from '@radiata/errors';
import {
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
} from '@radiata/service-runtime';
import type { PointEntry, PointEntryType } from '../generated/prisma/client.js';
import type { Database, Transaction } from '../persistence/database.js';

export type PointEntryRecord = PointEntry;

/** The parent of `balance` and `history`: whose points. */
export interface PointAccountRecord {
  readonly userId: string;
}

export interface PointEntryRequest {
  readonly userId: string;
  readonly type: PointEntryType;
  /** Signed amount: see SIGN_OF for what each type allows. */
  readonly amount: number;
  readonly reason: string;
  /** Entries with an order are idempotent per (user, order, type). */
  readonly orderId?: string;
}

export interface PointAdjustment {
  readonly userId: string;
  /** Signed amount in points. */
  readonly amount: number;
  readonly reason: string;
}

/** The balance would go below zero. An expected outcome, e.g. a saga step that fails. */
export class InsufficientPointsError extends Error {
  constructor(readonly balance: number) {
    super('Not enough points');
    this.name = 'InsufficientPointsError';
  }
}

/** Keeps balances far inside PostgreSQL's integer range. */
export const MAX_ENTRY_AMOUNT = 100_000_000;

const SIGN_OF: Record<PointEntryType, 'credit' | 'debit' | 'either'> = {
  EARN: 'credit',
  REFUND: 'credit',
  USE: 'debit',
  EXPIRE: 'debit',
  ADJUST: 'either',
};

/**
 * Reward points: a balance that never goes negative and an append-only ledger explaining
 * every change. The order saga earns, uses and refunds through `apply`, idempotently per order.
 */
export class PointLedger {
  constructor(private readonly db: Database) {}

  async apply(request: PointEntryRequest): Promise<PointEntryRecord> {
    this.check(request);
    const { userId, type, orderId } = request;
    try {
      return await this.db.$transaction((tx) => this.append(tx, request));
    } catch (error) {
      // A concurrent duplicate of the same order entry committed first: answer with it.
      if (orderId && isUniqueViolation(error)) {
        return this.db.pointEntry.findFirstOrThrow({ where: { userId, orderId, type } });
      }
      throw error;
    }
  }

  /**
   * `apply` inside the caller's transaction (the order saga's, which checks its tombstone in the
   * same one). The caller holds the account row (`SELECT … FOR UPDATE`), so a concurrent duplicate
   * of an order entry waits for it and finds the entry instead of violating the unique index.
   */
  applyIn(tx: Transaction, request: PointEntryRequest): Promise<PointEntryRecord> {
    this.check(request);
    return this.append(tx, request);
  }

  /** ADMIN only: a manual ADJUST entry; one that would make the balance negative is BAD_USER_INPUT. */
  async adjust(viewer: Viewer | null, adjustment: PointAdjustment): Promise<PointEntryRecord> {
    requireRole(viewer, 'ADMIN');
    try {
      return await this.apply({ ...adjustment, type: 'ADJUST' });
    } catch (error) {
      if (error instanceof InsufficientPointsError) {
        throw badUserInput(`The balance is ${error.balance}; it cannot go below zero`, [
          { field: 'input.amount', message: 'would make the balance negative' },
        ]);
      }
      throw error;
    }
  }

  /** A user's ledger, newest first (who may read it is decided where the account is shown: see users.ts). */
  history(userId: string, page: PageRequest): Promise<Connection<PointEntryRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.pointEntry.findMany({
        where: { userId, ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  private async append(tx: Transaction, request: PointEntryRequest): Promise<PointEntryRecord> {
    const { userId, type, amount, reason, orderId } = request;
    if (orderId) {
      const earlier = await tx.pointEntry.findFirst({ where: { userId, orderId, type } });
      if (earlier) return earlier;
    }
    const updated = await tx.$queryRaw<{ balance: number }[]>`
      UPDATE point_accounts SET balance = balance + ${amount}, updated_at = now()
      WHERE user_id = ${userId}::uuid AND balance + ${amount} >= 0
      RETURNING balance`;
    const balanceAfter = updated[0]?.balance;
    if (balanceAfter === undefined) {
      const account = await tx.pointAccount.findUnique({ where: { userId } });
      if (!account) throw notFound('User');
      throw new InsufficientPointsError(account.balance);
    }
    return tx.pointEntry.create({
      data: { id: newId(), userId, type, amount, balanceAfter, reason, orderId: orderId ?? null },
    });
  }

  private check({ type, amount, reason, userId, orderId }: PointEntryRequest): void {
    if (!isId(userId)) throw notFound('User');
    if (orderId !== undefined && !isId(orderId)) throw badUserInput('orderId must be an order id');
    if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_ENTRY_AMOUNT) {
      throw badUserInput(`amount must be a non-zero whole number of at most ${MAX_ENTRY_AMOUNT} points`);
    }
    const sign = SIGN_OF[type];
    if ((sign === 'credit' && amount < 0) || (sign === 'debit' && amount > 0)) {
      throw badUserInput(`a ${type} entry must be a ${sign}`);
    }
    if (reason.trim().length === 0 || reason.length > 200) throw badUserInput('reason must be 1 to 200 characters');
  }
}

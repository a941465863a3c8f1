import { badUserInput, notFound } from '@radiata/errors';
import {
  type Connection,
  decodeCursor,
  isId,
  isUniqueViolation,
  newId,
  pageSize,
  toConnection,
} from '@radiata/service-runtime';
import type { PointEntry, PointEntryType } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';

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

/** The balance would go below zero. An expected outcome, e.g. a saga step that fails. */
export class InsufficientPointsError extends Error {
  constructor(readonly balance: number) {
    super('Not enough points');
    this.name = 'InsufficientPointsError';
  }
}

/** Keeps balances far inside PostgreSQL's integer range. */
const MAX_ENTRY_AMOUNT = 100_000_000;

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
    const { userId, type, amount, reason, orderId } = request;
    try {
      return await this.db.$transaction(async (tx) => {
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
      });
    } catch (error) {
      // A concurrent duplicate of the same order entry committed first: answer with it.
      if (orderId && isUniqueViolation(error)) {
        return this.db.pointEntry.findFirstOrThrow({ where: { userId, orderId, type } });
      }
      throw error;
    }
  }

  async history(
    userId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<PointEntryRecord>> {
    const size = pageSize(first);
    const afterId = decodeCursor(after);
    if (afterId !== undefined && !isId(afterId)) throw badUserInput('after is not a valid cursor');
    const rows = await this.db.pointEntry.findMany({
      where: { userId, ...(afterId ? { id: { lt: afterId } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toConnection(rows, size, (row) => row.id);
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

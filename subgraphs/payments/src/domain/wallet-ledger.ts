import { newId } from '@radiata/service-runtime';
import type { WalletEntry, WalletEntryType } from '../generated/prisma/client.js';
import { walletEvents } from '../messaging/payments-events.js';
import type { Transaction } from '../persistence/database.js';

export interface LedgerPosting {
  readonly userId: string;
  readonly type: WalletEntryType;
  /** Signed won: TOP_UP and REFUND credit, CHARGE and WITHDRAW debit. */
  readonly amount: number;
  readonly paymentId: string;
  readonly refundId?: string;
  readonly at: Date;
}

/** The wallet holds less than a debit: nothing was written. */
export class InsufficientBalanceError extends Error {
  override readonly name = 'InsufficientBalanceError';
  constructor(readonly balance: number | null) {
    super(balance === null ? 'No wallet' : `The wallet holds ${balance} won`);
  }
}

/**
 * Moves a wallet's balance by `amount` in the caller's transaction and resolves with the new
 * balance; InsufficientBalanceError (nothing written) when it would go below zero. One
 * conditional statement (`balance + amount >= 0`): concurrent debits serialize on the wallet row
 * and none can overdraw it; the database's CHECK backs it up. Every move bumps the wallet's version
 * and records `payments.wallet.balance-changed` (outbox). Append the entry that explains the
 * move in the same transaction (appendEntry), or use postToWallet, which does both.
 */
export async function moveBalance(tx: Transaction, userId: string, amount: number, at: Date): Promise<number> {
  const [updated] = await tx.$queryRaw<{ balance: number; version: number }[]>`
    UPDATE wallets SET balance = balance + ${amount}, version = version + 1, updated_at = ${at}
    WHERE user_id = ${userId}::uuid AND balance + ${amount} >= 0
    RETURNING balance, version`;
  if (updated) {
    await walletEvents.balanceChanged(tx, {
      userId,
      balance: updated.balance,
      version: updated.version,
      occurredAt: at.toISOString(),
    });
    return updated.balance;
  }
  const wallet = await tx.wallet.findUnique({ where: { userId }, select: { balance: true } });
  throw new InsufficientBalanceError(wallet?.balance ?? null);
}

/** The ledger entry explaining a move of the balance to `balanceAfter` (append-only). */
export function appendEntry(tx: Transaction, posting: LedgerPosting, balanceAfter: number): Promise<WalletEntry> {
  const { userId, type, amount, paymentId, refundId, at } = posting;
  return tx.walletEntry.create({
    data: { id: newId(), userId, type, amount, balanceAfter, paymentId, refundId: refundId ?? null, createdAt: at },
  });
}

/**
 * Moves a wallet's balance and appends the ledger entry that explains it, in the caller's
 * transaction: the balance always equals the sum of the entries.
 */
export async function postToWallet(tx: Transaction, posting: LedgerPosting): Promise<WalletEntry> {
  const balanceAfter = await moveBalance(tx, posting.userId, posting.amount, posting.at);
  return appendEntry(tx, posting, balanceAfter);
}

import { newId } from '@radiata/service-runtime';
import type { WalletEntry, WalletEntryType } from '../generated/prisma/client.js';
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
 * Moves a wallet's balance and appends the ledger entry that explains it, in the caller's
 * transaction. The balance update is one conditional statement (`balance + amount >= 0`), so
 * concurrent debits serialize on the wallet row and none can overdraw it; the database's CHECK
 * and the append-only ledger back it up. Balance = sum of the entries, always.
 */
export async function postToWallet(tx: Transaction, posting: LedgerPosting): Promise<WalletEntry> {
  const { userId, type, amount, paymentId, refundId, at } = posting;
  const [updated] = await tx.$queryRaw<{ balance: number }[]>`
    UPDATE wallets SET balance = balance + ${amount}, updated_at = ${at}
    WHERE user_id = ${userId}::uuid AND balance + ${amount} >= 0
    RETURNING balance`;
  if (!updated) {
    const wallet = await tx.wallet.findUnique({ where: { userId }, select: { balance: true } });
    throw new InsufficientBalanceError(wallet?.balance ?? null);
  }
  return tx.walletEntry.create({
    data: {
      id: newId(),
      userId,
      type,
      amount,
      balanceAfter: updated.balance,
      paymentId,
      refundId: refundId ?? null,
      createdAt: at,
    },
  });
}

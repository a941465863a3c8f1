import { receiveOnce } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Database } from '../persistence/database.js';

export type WalletClosureOutcome = 'closed' | 'no-wallet' | 'duplicate';

/**
 * Closes the wallet of a deleted account (`users.user.deleted`): it takes no more top-ups, and
 * what it still holds is owed to its former owner. Self-service deletion is refused while the
 * users subgraph knows of money in the wallet, so a closed wallet holds money only when a move
 * landed within the projection's lag, a refund of an order paid then came later, or an admin
 * deleted the account: that balance is logged at closing and reported by
 * `radiata_closed_wallets_balance_won` until an operator pays it back (not built: docs/ARCHITECTURE.md,
 * "Account deletion"). The wallet, its ledger and its payments stay, under the same user id.
 */
export class WalletClosures {
  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  close(consumer: string, messageId: string, userId: string, deletedAt: Date): Promise<WalletClosureOutcome> {
    return this.db.$transaction(async (tx) => {
      if (!(await receiveOnce((sql, values) => tx.$executeRawUnsafe(sql, ...values), consumer, messageId))) {
        return 'duplicate';
      }
      const [wallet] = await tx.$queryRaw<{ balance: number }[]>`
        UPDATE wallets SET closed_at = COALESCE(closed_at, ${deletedAt}), updated_at = now()
        WHERE user_id = ${userId}::uuid
        RETURNING balance`;
      if (!wallet) return 'no-wallet';
      if (wallet.balance > 0) {
        this.logger.warn(
          { userId, balance: wallet.balance },
          "a deleted account's wallet still holds money: it is owed to its former owner",
        );
      }
      return 'closed';
    });
  }
}

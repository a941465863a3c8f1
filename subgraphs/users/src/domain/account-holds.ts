import { receiveOnce } from '@radiata/inbox';
import type { Database, Transaction } from '../persistence/database.js';

/**
 * The orders subgraph's statuses after which an order holds nothing open: delivered, or cancelled
 * before payment, or refunded after it. Every other status (PENDING, AWAITING_PAYMENT, PAID,
 * SHIPPING_PENDING, SHIPPING, CANCELLING, REFUNDING, and any added later) is in flight. The
 * partial index `shopper_orders_in_flight` spells the same list.
 */
export const TERMINAL_ORDER_STATUSES: readonly string[] = ['DELIVERED', 'CANCELLED', 'REFUNDED'];

/** `orders.order.status-changed`: an order's status after a change, and the order's version then. */
export interface OrderStatusChange {
  readonly kind: 'order';
  readonly orderId: string;
  readonly userId: string;
  readonly status: string;
  readonly version: number;
}

/** `payments.wallet.balance-changed`: a wallet's balance after a move, and the wallet's version then. */
export interface WalletBalanceChange {
  readonly kind: 'wallet';
  readonly userId: string;
  readonly balance: number;
  readonly version: number;
}

export type HoldChange = OrderStatusChange | WalletBalanceChange;
export type HoldChangeOutcome = 'applied' | 'stale' | 'duplicate';

/** What keeps a user's account from being deleted, as far as the events heard so far tell. */
export interface Holds {
  /** Orders neither delivered, cancelled nor refunded. */
  readonly ordersInFlight: number;
  /** Won in the wallet. */
  readonly walletBalance: number;
}

/**
 * The users subgraph's projection of what holds an account open: each shopper's orders with their
 * latest status, and their wallet balance, fed by the orders and payments subgraphs' events
 * (messaging/account-holds-consumer.ts) rather than asked of them. Each event is applied once
 * (inbox) and only when its version is newer than the one held, so late, repeated or reordered
 * events never move a row back. It lags the truth by the relays' and the queue's delay (see
 * docs/ARCHITECTURE.md, "Account deletion", for why deletion is still safe).
 */
export class AccountHolds {
  constructor(private readonly db: Database) {}

  apply(consumer: string, messageId: string, change: HoldChange): Promise<HoldChangeOutcome> {
    return this.db.$transaction(async (tx) => {
      if (!(await receiveOnce((sql, values) => tx.$executeRawUnsafe(sql, ...values), consumer, messageId))) {
        return 'duplicate';
      }
      const changed = change.kind === 'order' ? await upsertOrder(tx, change) : await upsertWallet(tx, change);
      return changed === 1 ? 'applied' : 'stale';
    });
  }

  /** The user's holds, read in `tx` (the deletion's transaction) or outside one. */
  async of(tx: Transaction | Database, userId: string): Promise<Holds> {
    const [row] = await tx.$queryRaw<{ orders: number; balance: number }[]>`
      SELECT
        (SELECT count(*)::int FROM shopper_orders
          WHERE user_id = ${userId}::uuid AND status NOT IN ('DELIVERED', 'CANCELLED', 'REFUNDED')) AS orders,
        COALESCE((SELECT balance FROM shopper_wallets WHERE user_id = ${userId}::uuid), 0) AS balance`;
    return { ordersInFlight: row?.orders ?? 0, walletBalance: row?.balance ?? 0 };
  }
}

const upsertOrder = (tx: Transaction, order: OrderStatusChange) =>
  tx.$executeRaw`
    INSERT INTO shopper_orders (order_id, user_id, status, version)
    VALUES (${order.orderId}::uuid, ${order.userId}::uuid, ${order.status}, ${order.version})
    ON CONFLICT (order_id) DO UPDATE
      SET status = excluded.status, version = excluded.version, updated_at = now()
      WHERE shopper_orders.version < excluded.version`;

const upsertWallet = (tx: Transaction, wallet: WalletBalanceChange) =>
  tx.$executeRaw`
    INSERT INTO shopper_wallets (user_id, balance, version)
    VALUES (${wallet.userId}::uuid, ${wallet.balance}, ${wallet.version})
    ON CONFLICT (user_id) DO UPDATE
      SET balance = excluded.balance, version = excluded.version, updated_at = now()
      WHERE shopper_wallets.version < excluded.version`;

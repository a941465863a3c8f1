import { enqueue } from '@radiata/outbox';
import type { Payment, Refund } from '../generated/prisma/client.js';
import type { Transaction } from '../persistence/database.js';

/** The topic exchange payments events are published to (routing keys `payments.*`). */
export const PAYMENTS_EXCHANGE = 'radiata.payments';

export const PAYMENT_APPROVED = 'payments.payment.approved';
export const PAYMENT_FAILED = 'payments.payment.failed';
export const REFUND_COMPLETED = 'payments.refund.completed';
export const REFUND_FAILED = 'payments.refund.failed';
export const SETTLEMENT_COMPLETED = 'payments.settlement.completed';
export const WALLET_BALANCE_CHANGED = 'payments.wallet.balance-changed';

/** `payments.payment.approved`: an order's money is taken (once per order, ever). */
export interface PaymentApproved {
  readonly paymentId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  readonly method: string;
  readonly approvedAt: string;
}

/** `payments.payment.failed`: one attempt to pay an order took no money; the shopper may try again. */
export interface PaymentFailed {
  readonly paymentId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  readonly method: string;
  readonly code: string;
  readonly message: string;
  readonly occurredAt: string;
}

/** `payments.refund.completed` / `payments.refund.failed`: a refund's end. */
export interface RefundEnded {
  readonly refundId: string;
  /** The idempotency key it was requested under (the command's refundId, or `order-cancelled:<orderId>`). */
  readonly requestKey: string;
  readonly paymentId: string;
  readonly orderId: string | null;
  readonly userId: string;
  readonly amount: number;
  /** The payment's total given back after this refund, and its status. */
  readonly refundedAmount: number;
  readonly paymentStatus: string;
  readonly code?: string;
  readonly occurredAt: string;
}

/**
 * `payments.wallet.balance-changed`: a wallet's balance after a move (top-up, charge, refund), with
 * the wallet's version, which grows with every move under the wallet row's lock: consumers keep the
 * balance of the highest version (the users subgraph: money in the wallet holds an account open).
 */
export interface WalletBalanceChanged {
  readonly userId: string;
  readonly balance: number;
  readonly version: number;
  readonly occurredAt: string;
}

/** `payments.settlement.completed`: a period's settlement is closed (totals over its brands, whole won). */
export interface SettlementCompleted {
  readonly runId: string;
  /** The Monday the period starts on (YYYY-MM-DD, in the settlement's time zone). */
  readonly periodStartsOn: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly brands: number;
  readonly gross: number;
  readonly refunds: number;
  readonly fee: number;
  readonly net: number;
  readonly completedAt: string;
}

const execute = (tx: Transaction) => (sql: string, values: unknown[]) => tx.$executeRawUnsafe(sql, ...values);

const publish = (tx: Transaction, routingKey: string, payload: object) =>
  enqueue(execute(tx), [{ exchange: PAYMENTS_EXCHANGE, routingKey, payload }]);

/**
 * The payment events, each recorded in the transaction of the change it describes (transactional
 * outbox): published if and only if the change commits. Top-ups concern no order and publish none.
 */
export const paymentEvents = {
  async approved(tx: Transaction, payment: Payment): Promise<void> {
    if (payment.orderId === null || payment.approvedAt === null) return;
    const event: PaymentApproved = {
      paymentId: payment.id,
      orderId: payment.orderId,
      userId: payment.userId,
      amount: payment.amount,
      method: payment.method,
      approvedAt: payment.approvedAt.toISOString(),
    };
    await publish(tx, PAYMENT_APPROVED, event);
  },

  async failed(tx: Transaction, payment: Payment): Promise<void> {
    if (payment.orderId === null) return;
    const event: PaymentFailed = {
      paymentId: payment.id,
      orderId: payment.orderId,
      userId: payment.userId,
      amount: payment.amount,
      method: payment.method,
      code: payment.failureCode ?? 'FAILED',
      message: payment.failureMessage ?? 'The payment failed',
      occurredAt: payment.updatedAt.toISOString(),
    };
    await publish(tx, PAYMENT_FAILED, event);
  },

  async refundEnded(tx: Transaction, refund: Refund, payment: Payment): Promise<void> {
    const event: RefundEnded = {
      refundId: refund.id,
      requestKey: refund.requestKey,
      paymentId: payment.id,
      orderId: payment.orderId,
      userId: payment.userId,
      amount: refund.amount,
      refundedAmount: payment.refundedAmount,
      paymentStatus: payment.status,
      ...(refund.failureCode ? { code: refund.failureCode } : {}),
      occurredAt: (refund.completedAt ?? refund.updatedAt).toISOString(),
    };
    await publish(tx, refund.status === 'DONE' ? REFUND_COMPLETED : REFUND_FAILED, event);
  },
};

export type PaymentEvents = typeof paymentEvents;

/** The settlement's event, recorded in the transaction that closes the run. */
export const settlementEvents = {
  completed: (tx: Transaction, event: SettlementCompleted) => publish(tx, SETTLEMENT_COMPLETED, event),
};

export type SettlementEvents = typeof settlementEvents;

/** The wallet's event, recorded in the transaction that moves its balance (moveBalance, the only place that does). */
export const walletEvents = {
  balanceChanged: (tx: Transaction, event: WalletBalanceChanged) => publish(tx, WALLET_BALANCE_CHANGED, event),
};

/**
 * The payment provider as payments sees it: card (or bank) money confirmed, cancelled and looked
 * up. One adapter per provider (toss-payments.ts); tests and `npm run dev` point the Toss adapter
 * at @radiata/provider-fake by configuration alone.
 *
 * Every call that moves money carries an idempotency key derived from our own record (the payment
 * or the refund), so sending it again, after a timeout, a 5xx or a crash, can never move money twice.
 */

/** A payment as the provider reports it. */
export interface ProviderPayment {
  readonly paymentKey: string;
  /** The order id the checkout was opened for (ours: an order id or a top-up's provider order id). */
  readonly orderId: string;
  /** The provider's own status word (Toss: IN_PROGRESS, EXPIRED, ABORTED, DONE, PARTIAL_CANCELED, CANCELED…). */
  readonly status: string;
  /** Whether money was taken: DONE, PARTIAL_CANCELED or CANCELED. Every other status charged nothing. */
  readonly charged: boolean;
  /** What was charged (0 when not charged). */
  readonly totalAmount: number;
  /** What is still charged after cancels (0 when not charged). */
  readonly balanceAmount: number;
  readonly approvedAt: Date | null;
  readonly cancels: readonly ProviderCancel[];
}

export interface ProviderCancel {
  readonly transactionKey: string;
  readonly cancelAmount: number;
  readonly cancelReason: string;
  readonly canceledAt: Date;
}

export interface ConfirmRequest {
  readonly paymentKey: string;
  readonly orderId: string;
  /** The amount the server computed; the provider refuses another amount than the checkout's. */
  readonly amount: number;
  /** Derived from our payment record: the same on every retry and after a restart. */
  readonly idempotencyKey: string;
}

export interface CancelRequest {
  readonly paymentKey: string;
  /** Won to give back. */
  readonly amount: number;
  readonly reason: string;
  /** Derived from our refund record: the same on every retry and after a restart. */
  readonly idempotencyKey: string;
}

/**
 * - `approved`: the money was taken (`payment.charged`).
 * - `failed`: definitely nothing was taken (declined, the checkout expired or belongs to another
 *   order or amount, the provider refused our credentials); `code` is the provider's.
 * - `unknown`: no definite answer after the bounded retries (timeouts, 5xx, connection lost):
 *   the payment stays pending and reconciliation asks again later, with the same idempotency key.
 */
export type ConfirmResult =
  | { readonly outcome: 'approved'; readonly payment: ProviderPayment }
  | { readonly outcome: 'failed'; readonly code: string; readonly message: string }
  | { readonly outcome: 'unknown'; readonly reason: string };

/**
 * - `canceled`: the amount was given back; `payment` is the provider's payment after it.
 * - `refused`: definitely not given back (nothing left to cancel, never approved…); `code` is the provider's.
 * - `unknown`: no definite answer after the bounded retries: ask again later with the same key.
 */
export type CancelResult =
  | { readonly outcome: 'canceled'; readonly payment: ProviderPayment }
  | { readonly outcome: 'refused'; readonly code: string; readonly message: string }
  | { readonly outcome: 'unknown'; readonly reason: string };

/** The provider did not answer usefully (timeouts, 5xx, connection lost) after the bounded retries. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

export interface PaymentProvider {
  confirm(request: ConfirmRequest): Promise<ConfirmResult>;
  cancel(request: CancelRequest): Promise<CancelResult>;
  /** The payment by its key; null when the provider knows none. ProviderUnavailableError when it cannot tell. */
  lookUp(paymentKey: string): Promise<ProviderPayment | null>;
  /** The order's approved payment, else its latest checkout; null when none. ProviderUnavailableError when it cannot tell. */
  lookUpByOrder(orderId: string): Promise<ProviderPayment | null>;
}

// The Toss Payments v1 shapes the fake answers with: the Payment object (API version 2022-11-16),
// its cancels, and the `{ code, message }` errors with the HTTP status Toss gives each code.

export const TOSS_API_VERSION = '2022-11-16';

/**
 * A payment's status as Toss reports it. IN_PROGRESS: the checkout is open (the widget
 * authenticated the buyer) and awaits the merchant's confirm; EXPIRED: it was not confirmed in
 * time; ABORTED: the confirm was declined; DONE: charged; PARTIAL_CANCELED / CANCELED: partly or
 * wholly given back.
 */
export type TossPaymentStatus = 'IN_PROGRESS' | 'EXPIRED' | 'ABORTED' | 'DONE' | 'PARTIAL_CANCELED' | 'CANCELED';

export interface TossCancel {
  readonly transactionKey: string;
  readonly cancelReason: string;
  readonly cancelAmount: number;
  readonly taxFreeAmount: number;
  readonly taxExemptionAmount: number;
  readonly easyPayDiscountAmount: number;
  /** What is left to cancel after this one. */
  readonly refundableAmount: number;
  readonly canceledAt: string;
  readonly receiptKey: string | null;
  readonly cancelStatus: 'DONE';
  readonly cancelRequestId: string | null;
}

export interface TossCard {
  readonly amount: number;
  readonly issuerCode: string;
  readonly acquirerCode: string;
  readonly number: string;
  readonly installmentPlanMonths: number;
  readonly approveNo: string;
  readonly useCardPoint: boolean;
  readonly cardType: string;
  readonly ownerType: string;
  readonly acquireStatus: string;
  readonly isInterestFree: boolean;
  readonly interestPayer: string | null;
}

/** The fields of Toss's Payment object; the ones for other methods than cards are always null. */
export interface TossPayment {
  readonly mId: string;
  readonly version: string;
  readonly paymentKey: string;
  readonly lastTransactionKey: string | null;
  readonly orderId: string;
  readonly orderName: string;
  readonly type: 'NORMAL';
  readonly method: string;
  readonly status: TossPaymentStatus;
  readonly requestedAt: string;
  readonly approvedAt: string | null;
  readonly currency: 'KRW';
  readonly country: 'KR';
  readonly totalAmount: number;
  readonly balanceAmount: number;
  readonly suppliedAmount: number;
  readonly vat: number;
  readonly taxFreeAmount: number;
  readonly taxExemptionAmount: number;
  readonly isPartialCancelable: boolean;
  readonly useEscrow: boolean;
  readonly cultureExpense: boolean;
  readonly card: TossCard | null;
  readonly virtualAccount: null;
  readonly transfer: null;
  readonly mobilePhone: null;
  readonly giftCertificate: null;
  readonly cashReceipt: null;
  readonly cashReceipts: null;
  readonly discount: null;
  readonly easyPay: null;
  /** null until the first cancel, as Toss sends it. */
  readonly cancels: readonly TossCancel[] | null;
  readonly secret: null;
  readonly failure: { readonly code: string; readonly message: string } | null;
  readonly receipt: null;
  readonly checkout: null;
}

/** A Toss error answer: the HTTP status and the `{ code, message }` body. */
export class TossError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TossError';
  }

  get body(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const tossErrors = {
  invalidRequest: (message: string) => new TossError(400, 'INVALID_REQUEST', message),
  /** The fake's own code: Toss documents none for a confirm whose amount differs from the checkout's. */
  invalidAmount: (message: string) => new TossError(400, 'INVALID_AMOUNT', message),
  alreadyProcessed: () => new TossError(400, 'ALREADY_PROCESSED_PAYMENT', 'This payment has already been processed.'),
  alreadyCanceled: () => new TossError(400, 'ALREADY_CANCELED_PAYMENT', 'This payment has already been canceled.'),
  duplicatedOrderId: () =>
    new TossError(400, 'DUPLICATED_ORDER_ID', 'This orderId already has an approved payment: use another orderId.'),
  unauthorizedKey: () => new TossError(401, 'UNAUTHORIZED_KEY', 'Unauthorized secret key or client key.'),
  rejectCard: () =>
    new TossError(403, 'REJECT_CARD_PAYMENT', 'The payment was declined (limit exceeded or insufficient balance).'),
  notCancelableAmount: (message: string) => new TossError(403, 'NOT_CANCELABLE_AMOUNT', message),
  notCancelablePayment: (message: string) => new TossError(403, 'NOT_CANCELABLE_PAYMENT', message),
  notFoundPayment: () => new TossError(404, 'NOT_FOUND_PAYMENT', 'No such payment.'),
  notFoundPaymentSession: (message: string) => new TossError(404, 'NOT_FOUND_PAYMENT_SESSION', message),
  notFound: () => new TossError(404, 'NOT_FOUND', 'No such resource.'),
  payloadTooLarge: (limit: number) => new TossError(413, 'INVALID_REQUEST', `The request body is over ${limit} bytes.`),
  internal: () =>
    new TossError(500, 'FAILED_INTERNAL_SYSTEM_PROCESSING', 'Internal system processing failed. Please try again.'),
};

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** An instant as Toss writes it: Korea time to the second, `2024-02-01T13:45:07+09:00`. */
export function tossTime(at: Date): string {
  return `${new Date(at.getTime() + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

import { randomBytes, randomInt } from 'node:crypto';
import type { CancelRequest, CheckoutRequest, ConfirmRequest } from './requests.js';
import type { Switches } from './switches.js';
import {
  TOSS_API_VERSION,
  type TossCancel,
  type TossCard,
  TossError,
  type TossPayment,
  type TossPaymentStatus,
  tossErrors,
  tossTime,
} from './toss.js';

/** Time as the fake sees it (the shape of a service Clock); tests pass one they set. */
export interface Clock {
  now(): Date;
}

/** What opening a checkout returns: what the widget hands the browser (then the merchant's server). */
export interface Checkout {
  readonly paymentKey: string;
  readonly orderId: string;
  readonly orderName: string;
  readonly amount: number;
  /** After this instant the paymentKey can no longer be confirmed (NOT_FOUND_PAYMENT_SESSION). */
  readonly expiresAt: string;
}

/** One confirm or cancel the fake applied, i.e. money that moved at the "provider". */
export interface LedgerEntry {
  /** 1, 2, 3… in the order applied. */
  readonly sequence: number;
  readonly kind: 'CONFIRM' | 'CANCEL';
  readonly paymentKey: string;
  readonly orderId: string;
  readonly amount: number;
  readonly transactionKey: string;
  /** The Idempotency-Key of the request that applied it, if it had one. */
  readonly idempotencyKey: string | null;
  readonly at: string;
}

/** A paymentKey's totals, from the ledger's entries. */
export interface LedgerPayment {
  readonly orderId: string;
  readonly confirms: number;
  readonly cancels: number;
  readonly chargedAmount: number;
  readonly canceledAmount: number;
  readonly balanceAmount: number;
}

export interface Ledger {
  readonly entries: readonly LedgerEntry[];
  /** By paymentKey. */
  readonly payments: Readonly<Record<string, LedgerPayment>>;
}

/** An HTTP answer as it is sent (and replayed under its Idempotency-Key): the status and the exact body. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** Toss keeps an Idempotency-Key's answer for 15 days. */
export const IDEMPOTENCY_KEY_TTL_MS = 15 * 24 * 60 * 60 * 1000;
export const DEFAULT_CHECKOUT_TTL_MS = 10 * 60 * 1000;

interface PaymentRecord {
  readonly paymentKey: string;
  readonly orderId: string;
  readonly orderName: string;
  readonly amount: number;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
  state: 'OPEN' | 'ABORTED' | 'APPROVED';
  approvedAt: Date | null;
  balanceAmount: number;
  cancels: TossCancel[];
  card: TossCard | null;
  failure: { code: string; message: string } | null;
  lastTransactionKey: string | null;
}

const answer = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const transactionKey = (): string => randomBytes(16).toString('hex').toUpperCase();

/** The fake provider's state and rules, without HTTP: checkouts, payments, idempotent answers, ledger. */
export class FakeProvider {
  private readonly payments = new Map<string, PaymentRecord>();
  private readonly paymentsByOrder = new Map<string, PaymentRecord[]>();
  private readonly answers = new Map<string, { at: number; answer: Answer }>();
  private entries: LedgerEntry[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly checkoutTtlMs: number,
    private readonly switches: Switches,
  ) {}

  openCheckout(request: CheckoutRequest): Checkout {
    if (this.approvedPaymentOf(request.orderId)) throw tossErrors.duplicatedOrderId();
    const now = this.clock.now();
    const record: PaymentRecord = {
      paymentKey: `tfake_${randomBytes(18).toString('base64url')}`,
      orderId: request.orderId,
      orderName: request.orderName ?? request.orderId,
      amount: request.amount,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + this.checkoutTtlMs),
      state: 'OPEN',
      approvedAt: null,
      balanceAmount: request.amount,
      cancels: [],
      card: null,
      failure: null,
      lastTransactionKey: null,
    };
    this.payments.set(record.paymentKey, record);
    this.paymentsByOrder.set(record.orderId, [...(this.paymentsByOrder.get(record.orderId) ?? []), record]);
    return {
      paymentKey: record.paymentKey,
      orderId: record.orderId,
      orderName: record.orderName,
      amount: record.amount,
      expiresAt: tossTime(record.expiresAt),
    };
  }

  confirm(request: ConfirmRequest, idempotencyKey: string | undefined): Answer {
    return this.idempotent('confirm', idempotencyKey, () => {
      const record = this.payments.get(request.paymentKey);
      if (!record) throw tossErrors.notFoundPaymentSession('No checkout has this paymentKey.');
      if (record.state === 'APPROVED') throw tossErrors.alreadyProcessed();
      if (record.state === 'ABORTED') {
        throw tossErrors.notFoundPaymentSession('This checkout was declined: the buyer must open a new one.');
      }
      const now = this.clock.now();
      if (now.getTime() >= record.expiresAt.getTime()) {
        throw tossErrors.notFoundPaymentSession(`The checkout expired at ${tossTime(record.expiresAt)}.`);
      }
      if (request.orderId !== record.orderId) {
        throw tossErrors.notFoundPaymentSession("The orderId is not the checkout's.");
      }
      if (request.amount !== record.amount) {
        throw tossErrors.invalidAmount(`The amount (${request.amount}) is not the checkout's (${record.amount}).`);
      }
      if (this.approvedPaymentOf(record.orderId)) throw tossErrors.alreadyProcessed();
      if (this.switches.take('declineNextConfirms')) {
        const declined = tossErrors.rejectCard();
        record.state = 'ABORTED';
        record.failure = declined.body;
        throw declined;
      }
      record.state = 'APPROVED';
      record.approvedAt = now;
      record.lastTransactionKey = transactionKey();
      record.card = {
        amount: record.amount,
        issuerCode: '4V',
        acquirerCode: '21',
        number: '43301234****123*',
        installmentPlanMonths: 0,
        approveNo: String(randomInt(0, 100_000_000)).padStart(8, '0'),
        useCardPoint: false,
        cardType: '신용',
        ownerType: '개인',
        acquireStatus: 'READY',
        isInterestFree: false,
        interestPayer: null,
      };
      this.record('CONFIRM', record, record.amount, record.lastTransactionKey, idempotencyKey, now);
      return answer(200, this.view(record));
    });
  }

  cancel(paymentKey: string, request: CancelRequest, idempotencyKey: string | undefined): Answer {
    return this.idempotent(`cancel ${paymentKey}`, idempotencyKey, () => {
      const record = this.payments.get(paymentKey);
      if (!record) throw tossErrors.notFoundPayment();
      if (record.state !== 'APPROVED') {
        throw tossErrors.notCancelablePayment(
          `The payment is ${this.statusOf(record)}: only an approved payment can be canceled.`,
        );
      }
      if (record.balanceAmount === 0) throw tossErrors.alreadyCanceled();
      const amount = request.cancelAmount ?? record.balanceAmount;
      if (amount > record.balanceAmount) {
        throw tossErrors.notCancelableAmount(
          `The cancel amount (${amount}) is over what is left to cancel (${record.balanceAmount}).`,
        );
      }
      const now = this.clock.now();
      record.balanceAmount -= amount;
      record.lastTransactionKey = transactionKey();
      record.cancels.push({
        transactionKey: record.lastTransactionKey,
        cancelReason: request.cancelReason,
        cancelAmount: amount,
        taxFreeAmount: 0,
        taxExemptionAmount: 0,
        easyPayDiscountAmount: 0,
        refundableAmount: record.balanceAmount,
        canceledAt: tossTime(now),
        receiptKey: null,
        cancelStatus: 'DONE',
        cancelRequestId: null,
      });
      this.record('CANCEL', record, amount, record.lastTransactionKey, idempotencyKey, now);
      return answer(200, this.view(record));
    });
  }

  lookUp(paymentKey: string): Answer {
    const record = this.payments.get(paymentKey);
    if (!record) throw tossErrors.notFoundPayment();
    return answer(200, this.view(record));
  }

  /** The order's approved payment if it has one, else its latest checkout. */
  lookUpByOrder(orderId: string): Answer {
    const record = this.approvedPaymentOf(orderId) ?? this.paymentsByOrder.get(orderId)?.at(-1);
    if (!record) throw tossErrors.notFoundPayment();
    return answer(200, this.view(record));
  }

  ledger(): Ledger {
    const payments: Record<string, LedgerPayment> = {};
    for (const entry of this.entries) {
      const totals = payments[entry.paymentKey] ?? {
        orderId: entry.orderId,
        confirms: 0,
        cancels: 0,
        chargedAmount: 0,
        canceledAmount: 0,
        balanceAmount: 0,
      };
      payments[entry.paymentKey] =
        entry.kind === 'CONFIRM'
          ? {
              ...totals,
              confirms: totals.confirms + 1,
              chargedAmount: totals.chargedAmount + entry.amount,
              balanceAmount: totals.balanceAmount + entry.amount,
            }
          : {
              ...totals,
              cancels: totals.cancels + 1,
              canceledAmount: totals.canceledAmount + entry.amount,
              balanceAmount: totals.balanceAmount - entry.amount,
            };
    }
    return { entries: this.entries.map((entry) => ({ ...entry })), payments };
  }

  reset(): void {
    this.payments.clear();
    this.paymentsByOrder.clear();
    this.answers.clear();
    this.entries = [];
  }

  /**
   * Runs `apply` once per (endpoint, Idempotency-Key) and answers every repeat with the first
   * answer, errors included, as Toss does. Without a key every request is applied.
   */
  private idempotent(endpoint: string, idempotencyKey: string | undefined, apply: () => Answer): Answer {
    const run = (): Answer => {
      try {
        return apply();
      } catch (error) {
        if (error instanceof TossError) return answer(error.status, error.body);
        throw error;
      }
    };
    if (idempotencyKey === undefined) return run();
    const id = `${endpoint}\n${idempotencyKey}`;
    const now = this.clock.now().getTime();
    const kept = this.answers.get(id);
    if (kept && now - kept.at < IDEMPOTENCY_KEY_TTL_MS) return kept.answer;
    const first = run();
    this.answers.set(id, { at: now, answer: first });
    return first;
  }

  private approvedPaymentOf(orderId: string): PaymentRecord | undefined {
    return this.paymentsByOrder.get(orderId)?.find((record) => record.state === 'APPROVED');
  }

  private record(
    kind: LedgerEntry['kind'],
    record: PaymentRecord,
    amount: number,
    transactionKey: string,
    idempotencyKey: string | undefined,
    at: Date,
  ): void {
    this.entries.push({
      sequence: this.entries.length + 1,
      kind,
      paymentKey: record.paymentKey,
      orderId: record.orderId,
      amount,
      transactionKey,
      idempotencyKey: idempotencyKey ?? null,
      at: tossTime(at),
    });
  }

  private statusOf(record: PaymentRecord): TossPaymentStatus {
    switch (record.state) {
      case 'OPEN':
        return this.clock.now().getTime() >= record.expiresAt.getTime() ? 'EXPIRED' : 'IN_PROGRESS';
      case 'ABORTED':
        return 'ABORTED';
      case 'APPROVED':
        if (record.balanceAmount === 0) return 'CANCELED';
        return record.cancels.length > 0 ? 'PARTIAL_CANCELED' : 'DONE';
    }
  }

  private view(record: PaymentRecord): TossPayment {
    const vat = Math.round(record.balanceAmount / 11);
    return {
      mId: 'tosspayments-fake',
      version: TOSS_API_VERSION,
      paymentKey: record.paymentKey,
      lastTransactionKey: record.lastTransactionKey,
      orderId: record.orderId,
      orderName: record.orderName,
      type: 'NORMAL',
      method: '카드',
      status: this.statusOf(record),
      requestedAt: tossTime(record.requestedAt),
      approvedAt: record.approvedAt ? tossTime(record.approvedAt) : null,
      currency: 'KRW',
      country: 'KR',
      totalAmount: record.amount,
      balanceAmount: record.balanceAmount,
      suppliedAmount: record.balanceAmount - vat,
      vat,
      taxFreeAmount: 0,
      taxExemptionAmount: 0,
      isPartialCancelable: true,
      useEscrow: false,
      cultureExpense: false,
      card: record.card,
      virtualAccount: null,
      transfer: null,
      mobilePhone: null,
      giftCertificate: null,
      cashReceipt: null,
      cashReceipts: null,
      discount: null,
      easyPay: null,
      cancels: record.cancels.length > 0 ? [...record.cancels] : null,
      secret: null,
      failure: record.failure,
      receipt: null,
      checkout: null,
    };
  }
}

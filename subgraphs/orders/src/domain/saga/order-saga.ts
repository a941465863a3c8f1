import type { SagaReply } from '@radiata/saga';
import type { Order, OrderItem, OrderStatus } from '../../generated/prisma/client.js';
import { splitByBrand } from '../pricing.js';
import { amountToPayOf } from './amounts.js';
import type { OrderPatch, SagaOrder, SagaStep, StepCommand } from './step.js';
import { couponStep } from './steps/coupon.js';
import { earnStep } from './steps/earn.js';
import { pointsStep } from './steps/points.js';
import { saleStep } from './steps/sale.js';
import { stockStep } from './steps/stock.js';

/** The reserving steps, in order; compensated in reverse. */
export const FORWARD_STEPS: readonly SagaStep[] = [saleStep, stockStep, couponStep, pointsStep] as SagaStep[];
const STEPS = new Map<string, SagaStep>([...FORWARD_STEPS, earnStep as SagaStep].map((step) => [step.name, step]));

/** What the saga waits for besides a step's reply. */
const PAYMENT = 'payment';
const REFUND = 'refund';

export interface SagaSettings {
  /** How long the first attempt of a step waits for its reply; each resend waits twice as long. */
  readonly stepTimeoutMs: number;
  /** Attempts of a reserving step before it is given up and the order compensated. */
  readonly stepAttempts: number;
  /** The longest wait between two attempts (compensations and earning are resent for ever). */
  readonly retryMaxMs: number;
  /** How long an order awaits payment before it expires. */
  readonly paymentWindowMs: number;
  /** Failed payments an order survives; the next failure cancels it (PAYMENT_FAILED). */
  readonly paymentAttempts: number;
}

/** What the saga reacts to. */
export type SagaInput =
  | { readonly kind: 'start' }
  | { readonly kind: 'reply'; readonly participant: string; readonly reply: SagaReply<unknown> }
  | { readonly kind: 'payment-approved'; readonly paymentId: string }
  | { readonly kind: 'payment-failed'; readonly code: string }
  | { readonly kind: 'refund-completed' }
  | { readonly kind: 'refund-failed'; readonly code: string }
  | { readonly kind: 'due' }
  | { readonly kind: 'cancel'; readonly reason: string };

/** A message the decision sends, through the outbox in the decision's transaction. */
export type SagaMessage =
  | {
      readonly kind: 'command';
      readonly participant: string;
      readonly action: string;
      readonly attempt: number;
      readonly data: object;
    }
  | { readonly kind: 'event'; readonly routingKey: string; readonly payload: object };

export interface StatusChange {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly reason: string | null;
}

/** What one input does to an order: the columns to write, the messages to send, the status changes. */
export interface SagaDecision {
  readonly patch: Required<OrderPatch>;
  readonly messages: readonly SagaMessage[];
  readonly changes: readonly StatusChange[];
  /** Compensations this decision started (a reason to count). */
  readonly compensating: boolean;
}

/** Why an input changed nothing (for the log and the counters). */
export type Ignored = { readonly ignored: string };

/** The input cannot apply to the order as it stands (a cancel of a shipped order): CONFLICT for a caller. */
export class SagaRefusal extends Error {
  override readonly name = 'SagaRefusal';
}

/** A reply the saga cannot read (a participant answered outside the contract). */
export class UnreadableReply extends Error {
  override readonly name = 'UnreadableReply';
}

export const ORDER_AWAITING_PAYMENT = 'orders.order.awaiting-payment';
export const ORDER_CANCELLED = 'orders.order.cancelled';

const CANCELLABLE_BEFORE_PAYMENT: readonly OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT'];
const REFUNDABLE: readonly OrderStatus[] = ['PAID', 'SHIPPING_PENDING'];

/** `orders.order.cancelled`: payments refuses payments from now on and refunds what was paid. */
const cancelled = (draft: Draft, reason: string): SagaMessage => ({
  kind: 'event',
  routingKey: ORDER_CANCELLED,
  payload: { orderId: draft.order.id, reason, occurredAt: draft.now.toISOString() },
});

/** The order being decided on: the row as it becomes, and what changed. */
class Draft {
  private readonly orderChanges: Partial<Order> = {};
  private readonly itemChanges = new Map<number, Partial<OrderItem>>();
  readonly messages: SagaMessage[] = [];
  readonly changes: StatusChange[] = [];
  compensating = false;

  constructor(
    public order: SagaOrder,
    readonly now: Date,
  ) {}

  apply(patch: OrderPatch): void {
    if (patch.order) this.set(patch.order);
    if (patch.items) {
      for (const [line, changes] of patch.items) {
        this.itemChanges.set(line, { ...this.itemChanges.get(line), ...changes });
      }
      this.order = {
        ...this.order,
        items: this.order.items.map((item) => ({ ...item, ...patch.items?.get(item.line) })),
      };
    }
  }

  set(changes: Partial<Order>): void {
    Object.assign(this.orderChanges, changes);
    this.order = { ...this.order, ...changes };
  }

  status(to: OrderStatus, reason: string | null = this.order.cancelReason): void {
    this.changes.push({ from: this.order.status, to, reason });
    this.set({ status: to, cancelReason: reason });
  }

  decision(): SagaDecision {
    return {
      patch: { order: { ...this.orderChanges }, items: new Map(this.itemChanges) },
      messages: this.messages,
      changes: this.changes,
      compensating: this.compensating,
    };
  }
}

/**
 * The order saga as a state machine (docs/ARCHITECTURE.md, "Order saga"): given an order as
 * stored and one input, what to write and send. Pure: the store runs it under the order's row
 * lock and commits the decision with its messages (outbox) in one transaction, so a decision is
 * taken once, whichever replica takes it, and its messages leave if and only if it commits.
 *
 * PENDING runs the reserving steps (sale → stock → coupon → points, those that apply) one at a
 * time; a DONE reply starts the next, a REFUSED one cancels (CANCELLING, the reply's reason) and
 * compensates. Then AWAITING_PAYMENT (payments is told the amount, split by brand) until
 * `payments.payment.approved` (PAID, then earning points) or the deadline (EXPIRED). A step with
 * no reply by its deadline is resent with the next attempt; a reserving step is given up after
 * `stepAttempts` (STEP_TIMEOUT) and compensated as if it had happened (its undo is safe either
 * way). Compensation undoes the started steps newest first, one at a time, each resent until it
 * answers; then CANCELLED, or REFUNDED for a paid order, whose money payments gave back first.
 */
export class OrderSaga {
  constructor(private readonly settings: SagaSettings) {}

  decide(order: SagaOrder, input: SagaInput, now: Date): SagaDecision | Ignored {
    const draft = new Draft(order, now);
    const ignored = this.apply(draft, input);
    return ignored ? { ignored } : draft.decision();
  }

  /** Applies the input to the draft; a string says why it changed nothing. */
  private apply(draft: Draft, input: SagaInput): string | undefined {
    const { order } = draft;
    switch (input.kind) {
      case 'start':
        if (order.status !== 'PENDING' || order.sagaStep !== null || order.sagaStarted.length > 0) return 'started';
        this.forwardFrom(draft, -1);
        return undefined;
      case 'reply':
        return this.reply(draft, input.participant, input.reply);
      case 'payment-approved':
        if (order.status !== 'AWAITING_PAYMENT') return `payment approved for a ${order.status} order`;
        this.paid(draft, input.paymentId);
        return undefined;
      case 'payment-failed':
        if (order.status !== 'AWAITING_PAYMENT') return `payment failed for a ${order.status} order`;
        draft.set({ paymentFailures: order.paymentFailures + 1, lastPaymentFailure: input.code });
        if (draft.order.paymentFailures >= this.settings.paymentAttempts) this.cancel(draft, 'PAYMENT_FAILED');
        return undefined;
      case 'refund-completed':
        if (order.status !== 'REFUNDING' || order.sagaStep !== REFUND)
          return `refund completed for a ${order.status} order`;
        this.compensate(draft);
        return undefined;
      case 'refund-failed':
        // The refund is stuck at the provider: the order stays REFUNDING for an operator.
        return `refund failed (${input.code})`;
      case 'due':
        return this.due(draft);
      case 'cancel':
        this.cancelOrRefuse(draft, input.reason);
        return undefined;
    }
  }

  private reply(draft: Draft, participant: string, reply: SagaReply<unknown>): string | undefined {
    const { order } = draft;
    const step = order.sagaStep === null ? undefined : STEPS.get(order.sagaStep);
    const command = step && (order.sagaAction === 'do' ? step.forward : step.backward);
    if (!step || !command || step.participant !== participant || command.action !== reply.action) {
      return `stale reply (${participant} ${reply.action}) while awaiting ${order.sagaStep ?? 'nothing'} ${order.sagaAction ?? ''}`;
    }
    if (order.sagaAction === 'undo') {
      // An undo never refuses by contract; if one did, there is nothing more orders could do about it.
      this.forget(draft, step);
      this.compensate(draft);
      return undefined;
    }
    if (reply.outcome === 'REFUSED') {
      if (step === earnStep) {
        this.idle(draft);
        return undefined;
      }
      // A refused step holds nothing (all or nothing on the participant's side).
      this.forget(draft, step);
      this.cancel(draft, reply.reason ?? 'REFUSED');
      return undefined;
    }
    const parsed = step.reply.safeParse(reply.data);
    if (!parsed.success) throw new UnreadableReply(`${participant} ${reply.action}: ${parsed.error.message}`);
    draft.apply(step.onDone(draft.order, parsed.data));
    if (step === earnStep) this.idle(draft);
    else this.forwardFrom(draft, FORWARD_STEPS.indexOf(step));
    return undefined;
  }

  private due(draft: Draft): string | undefined {
    const { order, now } = draft;
    if (order.sagaDueAt === null || order.sagaDueAt > now) return 'not due';
    if (order.sagaStep === PAYMENT) {
      this.cancel(draft, 'EXPIRED');
      return undefined;
    }
    const step = order.sagaStep === null ? undefined : STEPS.get(order.sagaStep);
    if (!step) return `nothing to resend for ${order.sagaStep}`;
    const reserving = order.sagaAction === 'do' && step !== earnStep;
    if (reserving && order.sagaAttempt >= this.settings.stepAttempts) {
      // Given up: it may have happened, so it stays among the started steps and is undone.
      this.cancel(draft, 'STEP_TIMEOUT');
      return undefined;
    }
    this.send(draft, step, order.sagaAction === 'do' ? 'do' : 'undo', order.sagaAttempt + 1);
    return undefined;
  }

  /** Starts the first step after `index` that applies, or asks for payment when none is left. */
  private forwardFrom(draft: Draft, index: number): void {
    const next = FORWARD_STEPS.slice(index + 1).find((step) => step.applies(draft.order));
    if (next) {
      draft.set({ sagaStarted: [...draft.order.sagaStarted, next.name] });
      this.send(draft, next, 'do', 1);
      return;
    }
    this.awaitPayment(draft);
  }

  private awaitPayment(draft: Draft): void {
    const { order, now } = draft;
    const amount = amountToPayOf(order);
    draft.set({ amountToPay: amount });
    if (amount === 0) {
      // Coupon and points paid for all of it: nothing for payments to take.
      this.paid(draft, null);
      return;
    }
    const dueAt = new Date(now.getTime() + this.settings.paymentWindowMs);
    draft.status('AWAITING_PAYMENT', null);
    draft.set({ paymentDueAt: dueAt, sagaStep: PAYMENT, sagaAction: 'await', sagaAttempt: 0, sagaDueAt: dueAt });
    const lines = order.items.map((item) => ({
      brandId: item.brandId ?? '',
      quantity: item.quantity,
      price: item.price ?? 0,
      productDiscount: item.productDiscount ?? 0,
      saleDiscountRate: item.saleDiscountRate,
    }));
    draft.messages.push({
      kind: 'event',
      routingKey: ORDER_AWAITING_PAYMENT,
      payload: {
        orderId: order.id,
        userId: order.userId,
        amount,
        amountsByBrand: splitByBrand(lines, amount),
        occurredAt: now.toISOString(),
      },
    });
  }

  private paid(draft: Draft, paymentId: string | null): void {
    draft.status('PAID', null);
    draft.set({ paymentId, paidAt: draft.now, paymentDueAt: null });
    if (earnStep.applies(draft.order)) this.send(draft, earnStep as SagaStep, 'do', 1);
    else this.idle(draft);
  }

  private cancelOrRefuse(draft: Draft, reason: string): void {
    const { status } = draft.order;
    if (CANCELLABLE_BEFORE_PAYMENT.includes(status)) {
      this.cancel(draft, reason);
      return;
    }
    if (!REFUNDABLE.includes(status)) throw new SagaRefusal(`A ${status} order cannot be cancelled`);
    draft.status('REFUNDING', reason);
    draft.compensating = true;
    // Earned points (sent once it was paid) are taken back by the points step's undo.
    if (earnStep.applies(draft.order) && !draft.order.sagaStarted.includes(pointsStep.name)) {
      draft.set({ sagaStarted: [...draft.order.sagaStarted, pointsStep.name] });
    }
    if (draft.order.paymentId === null) {
      this.compensate(draft);
      return;
    }
    // Payments refunds all that was paid for a cancelled order, then answers payments.refund.completed.
    draft.messages.push(cancelled(draft, reason));
    draft.set({ sagaStep: REFUND, sagaAction: 'await', sagaAttempt: 0, sagaDueAt: null });
  }

  /** CANCELLING with `reason`, then the compensations. Payments learns of it once it knew the order. */
  private cancel(draft: Draft, reason: string): void {
    const announced = draft.order.status === 'AWAITING_PAYMENT';
    draft.status('CANCELLING', reason);
    draft.set({ paymentDueAt: null });
    draft.compensating = true;
    if (announced) {
      // Refuses payments from now on, and refunds one that got through first.
      draft.messages.push(cancelled(draft, reason));
    }
    this.compensate(draft);
  }

  /** Undoes the newest started step, or ends the order when nothing is left to undo. */
  private compensate(draft: Draft): void {
    const started = draft.order.sagaStarted;
    const last = started.length > 0 ? STEPS.get(started[started.length - 1] as string) : undefined;
    if (last) {
      this.send(draft, last, 'undo', 1);
      return;
    }
    draft.status(draft.order.status === 'REFUNDING' ? 'REFUNDED' : 'CANCELLED');
    draft.set({ closedAt: draft.now });
    this.idle(draft);
  }

  private forget(draft: Draft, step: SagaStep): void {
    draft.set({ sagaStarted: draft.order.sagaStarted.filter((name) => name !== step.name) });
  }

  private idle(draft: Draft): void {
    draft.set({ sagaStep: null, sagaAction: null, sagaAttempt: 0, sagaDueAt: null });
  }

  private send(draft: Draft, step: SagaStep, direction: 'do' | 'undo', attempt: number): void {
    const command = (direction === 'do' ? step.forward : step.backward) as StepCommand;
    const wait = Math.min(this.settings.stepTimeoutMs * 2 ** (attempt - 1), this.settings.retryMaxMs);
    draft.set({
      sagaStep: step.name,
      sagaAction: direction,
      sagaAttempt: attempt,
      sagaDueAt: new Date(draft.now.getTime() + wait),
    });
    draft.messages.push({
      kind: 'command',
      participant: step.participant,
      action: command.action,
      attempt,
      data: command.data(draft.order),
    });
  }
}

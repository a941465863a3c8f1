import { setTimeout as sleep } from 'node:timers/promises';
import type { Viewer } from '@radiata/auth-context';
import { conflict, forbidden, notFound } from '@radiata/errors';
import { type Clock, isId, isUniqueViolation, newId, requireViewer, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { PayableOrder, Payment } from '../generated/prisma/client.js';
import type { PaymentEvents } from '../messaging/payments-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { CardPayments } from './card-payments.js';
import type { PinGuard } from './pin-guard.js';
import { PIN_PATTERN } from './pin-hashing.js';
import { lockPayableOrder } from './records.js';
import { appendEntry, InsufficientBalanceError, moveBalance } from './wallet-ledger.js';

export const PAYMENT_KEY_PATTERN = /^[\w-]{1,200}$/;

const payOrderInput = z
  .object({
    orderId: z.string().refine(isId, 'must be an order id'),
    method: z.enum(['WALLET', 'CARD']),
    pin: z.string().regex(PIN_PATTERN, 'must be 6 digits').nullish(),
    paymentKey: z.string().regex(PAYMENT_KEY_PATTERN, 'must be the paymentKey the checkout returned').nullish(),
  })
  .superRefine((input, context) => {
    if (input.method === 'WALLET' && !input.pin) {
      context.addIssue({ code: 'custom', path: ['pin'], message: 'is required to pay with the wallet' });
    }
    if (input.method === 'CARD' && !input.paymentKey) {
      context.addIssue({ code: 'custom', path: ['paymentKey'], message: 'is required to pay by card' });
    }
  });

/** How long a payment waits for its order's announcement to arrive, and how often it looks. */
const ANNOUNCEMENT_WAIT_MS = 1_500;
const ANNOUNCEMENT_POLL_MS = 25;

export interface OrderPaymentSettings {
  readonly reconcileAfterMs: number;
}

/**
 * Paying an order awaiting payment, with the wallet (PIN) or a card (the provider's paymentKey).
 * The amount is always the one the orders subgraph announced, never the client's. At most one
 * payment per order is in flight or approved (the order row is locked while it is checked, and a
 * unique index backs it): paying twice, someone else's order, a cancelled or an unknown one is
 * refused and moves no money.
 */
export class OrderPayments {
  constructor(
    private readonly db: Database,
    private readonly pins: PinGuard,
    private readonly cards: CardPayments,
    private readonly events: PaymentEvents,
    private readonly clock: Clock,
    private readonly settings: OrderPaymentSettings,
  ) {}

  /**
   * APPROVED, FAILED (declined, insufficient balance: the shopper may try again) or PENDING (the
   * provider has not answered: reconciliation finishes it). Refusals are errors: NOT_FOUND,
   * FORBIDDEN (someone else's order; a wrong PIN or a locked wallet, with the reason), CONFLICT
   * (cancelled, paid, or a payment in flight), BAD_USER_INPUT.
   */
  async pay(viewer: Viewer | null, input: unknown): Promise<Payment> {
    const shopper = requireViewer(viewer);
    const request = validateInput(payOrderInput, input);
    const payable = this.payableBy(await this.announced(request.orderId), shopper.id);
    if (request.method === 'CARD') return this.payByCard(payable, request.paymentKey as string);
    await this.refuseIfPaid(this.db, payable.orderId);
    await this.pins.check(shopper.id, request.pin as string);
    return this.payFromWallet(payable.orderId, shopper.id);
  }

  /**
   * The order as orders announced it. Orders shows an order AWAITING_PAYMENT as it publishes the
   * announcement, a moment before payments has applied it: an order not known yet is looked for
   * again for up to ANNOUNCEMENT_WAIT_MS before it is NOT_FOUND, so a shopper paying at once is
   * not refused.
   */
  private async announced(orderId: string): Promise<PayableOrder | null> {
    for (let waited = 0; ; waited += ANNOUNCEMENT_POLL_MS) {
      const order = await this.db.payableOrder.findUnique({ where: { orderId } });
      if (order || waited >= ANNOUNCEMENT_WAIT_MS) return order;
      await sleep(ANNOUNCEMENT_POLL_MS);
    }
  }

  private payableBy(order: PayableOrder | null, userId: string): PayableOrder & { userId: string; amount: number } {
    if (!order || order.userId === null || order.amount === null) throw notFound('Order');
    if (order.userId !== userId) throw forbidden('This order is not yours to pay');
    if (order.status === 'CANCELLED') throw conflict('The order is cancelled');
    return order as PayableOrder & { userId: string; amount: number };
  }

  private async refuseIfPaid(tx: Transaction | Database, orderId: string): Promise<void> {
    const live = await tx.payment.findFirst({ where: { orderId, status: { not: 'FAILED' } } });
    if (!live) return;
    throw conflict(live.status === 'PENDING' ? 'A payment of this order is in progress' : 'The order is already paid');
  }

  private async payFromWallet(orderId: string, userId: string): Promise<Payment> {
    try {
      return await this.db.$transaction(async (tx) => {
        const order = this.payableBy(await lockPayableOrder(tx, orderId), userId);
        await this.refuseIfPaid(tx, orderId);
        const now = this.clock.now();
        const payment = {
          id: newId(),
          purpose: 'ORDER',
          orderId,
          userId,
          method: 'WALLET',
          amount: order.amount,
          createdAt: now,
        } as const;
        let balanceAfter: number;
        try {
          balanceAfter = await moveBalance(tx, userId, -order.amount, now);
        } catch (error) {
          if (!(error instanceof InsufficientBalanceError)) throw error;
          const failed = await tx.payment.create({
            data: {
              ...payment,
              status: 'FAILED',
              failureCode: 'INSUFFICIENT_BALANCE',
              failureMessage: `The wallet holds ${error.balance ?? 0} won; the order is ${order.amount} won`,
            },
          });
          await this.events.failed(tx, failed);
          return failed;
        }
        const approved = await tx.payment.create({ data: { ...payment, status: 'APPROVED', approvedAt: now } });
        await appendEntry(
          tx,
          { userId, type: 'CHARGE', amount: -order.amount, paymentId: payment.id, at: now },
          balanceAfter,
        );
        await this.events.approved(tx, approved);
        return approved;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('The order is already paid');
      throw error;
    }
  }

  private async payByCard(order: PayableOrder & { userId: string; amount: number }, paymentKey: string) {
    const earlier = await this.db.payment.findUnique({ where: { paymentKey } });
    if (earlier) return this.sameCardPayment(earlier, order);
    let pending: Payment;
    try {
      pending = await this.db.$transaction(async (tx) => {
        const locked = this.payableBy(await lockPayableOrder(tx, order.orderId), order.userId);
        await this.refuseIfPaid(tx, locked.orderId);
        const now = this.clock.now();
        return tx.payment.create({
          data: {
            id: newId(),
            purpose: 'ORDER',
            orderId: locked.orderId,
            userId: locked.userId,
            method: 'CARD',
            amount: locked.amount,
            status: 'PENDING',
            providerOrderId: locked.orderId,
            paymentKey,
            nextCheckAt: new Date(now.getTime() + this.settings.reconcileAfterMs),
            createdAt: now,
          },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const twin = await this.db.payment.findUnique({ where: { paymentKey } });
      if (twin) return this.sameCardPayment(twin, order);
      throw conflict('The order is already paid');
    }
    return this.cards.confirm(pending);
  }

  /** The same paymentKey sent again (a retry): the payment it made, if it was for this order. */
  private sameCardPayment(payment: Payment, order: PayableOrder): Payment {
    if (payment.orderId !== order.orderId) throw conflict('This paymentKey was used for another payment');
    return payment;
  }
}

import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireViewer,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { Payment, Wallet, WalletEntry } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
import type { CardPayments } from './card-payments.js';
import { PAYMENT_KEY_PATTERN } from './order-payments.js';
import type { PinGuard } from './pin-guard.js';
import { hashPin, PIN_PATTERN } from './pin-hashing.js';

export type WalletRecord = Wallet;
export type WalletEntryRecord = WalletEntry;

export interface WalletSettings {
  readonly maxBalance: number;
  readonly maxPaymentAmount: number;
  readonly reconcileAfterMs: number;
}

const pin = z.string().regex(PIN_PATTERN, 'must be 6 digits');

const createWalletInput = z.object({ pin });
const changeWalletPinInput = z
  .object({ currentPin: pin, newPin: pin })
  .refine((input) => input.currentPin !== input.newPin, {
    path: ['newPin'],
    message: 'must differ from the current PIN',
  });

/** Whether `viewer` may see `userId`'s wallet and payments: the user themself and admins. */
export const canSeeMoneyOf = (viewer: Viewer | null, userId: string): boolean =>
  viewer !== null && (viewer.id === userId || viewer.role === 'ADMIN');

/**
 * Radiata Pay wallets: one per user, opened with a 6-digit PIN, filled by top-ups through the
 * provider, spent by order payments (OrderPayments), given back by refunds (Refunds).
 */
export class Wallets {
  private readonly topUpInput: z.ZodType<{ amount: number; paymentKey: string; providerOrderId: string }>;

  constructor(
    private readonly db: Database,
    private readonly pins: PinGuard,
    private readonly cards: CardPayments,
    private readonly clock: Clock,
    private readonly settings: WalletSettings,
  ) {
    this.topUpInput = z.object({
      amount: z
        .number()
        .int('must be a whole number of won')
        .positive('must be more than 0')
        .max(settings.maxPaymentAmount, `must be at most ${settings.maxPaymentAmount} won`),
      paymentKey: z.string().regex(PAYMENT_KEY_PATTERN, 'must be the paymentKey the checkout returned'),
      providerOrderId: z
        .string()
        .regex(/^[\w-]{6,64}$/, 'must be the orderId the checkout was opened with (6 to 64 letters, digits, - or _)'),
    });
  }

  /** The viewer's new wallet; CONFLICT when they have one. */
  async create(viewer: Viewer | null, input: unknown): Promise<WalletRecord> {
    const owner = requireViewer(viewer);
    const { pin } = validateInput(createWalletInput, input);
    const pinHash = await hashPin(pin);
    try {
      return await this.db.wallet.create({ data: { userId: owner.id, pinHash, createdAt: this.clock.now() } });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('You already have a wallet');
      throw error;
    }
  }

  /** Checked like a payment's PIN (wrong ones count towards the lock). */
  async changePin(viewer: Viewer | null, input: unknown): Promise<WalletRecord> {
    const owner = requireViewer(viewer);
    const { currentPin, newPin } = validateInput(changeWalletPinInput, input);
    await this.pins.check(owner.id, currentPin);
    const pinHash = await hashPin(newPin);
    return this.db.wallet.update({ where: { userId: owner.id }, data: { pinHash } });
  }

  /**
   * Adds money from a card or bank: the provider confirms the checkout (opened for
   * `providerOrderId` and `amount`) before the balance moves. The same paymentKey again answers
   * with the same top-up. The payment is APPROVED (balance credited), FAILED or PENDING (the
   * provider has not answered: reconciliation finishes it).
   */
  async topUp(viewer: Viewer | null, input: unknown): Promise<Payment> {
    const owner = requireViewer(viewer);
    const { amount, paymentKey, providerOrderId } = validateInput(this.topUpInput, input);
    const earlier = await this.db.payment.findUnique({ where: { paymentKey } });
    if (earlier) return this.sameTopUp(earlier, owner.id, providerOrderId, amount);
    let pending: Payment;
    try {
      pending = await this.db.$transaction(async (tx) => {
        // The wallet row is locked while top-ups in flight are counted, so concurrent ones cannot
        // pass the limit together. A closed wallet (its account deleted) takes no more money.
        const [wallet] = await tx.$queryRaw<{ balance: number }[]>`
          SELECT balance FROM wallets WHERE user_id = ${owner.id}::uuid AND closed_at IS NULL FOR UPDATE`;
        if (!wallet) throw notFound('Wallet');
        const inFlight = await tx.payment.aggregate({
          where: { userId: owner.id, purpose: 'TOP_UP', status: 'PENDING' },
          _sum: { amount: true },
        });
        const room = Math.max(this.settings.maxBalance - wallet.balance - (inFlight._sum.amount ?? 0), 0);
        if (amount > room) {
          throw badUserInput(`A wallet holds at most ${this.settings.maxBalance} won: ${room} won more fits`, [
            { field: 'input.amount', message: `must be at most ${room} won` },
          ]);
        }
        const now = this.clock.now();
        return tx.payment.create({
          data: {
            id: newId(),
            purpose: 'TOP_UP',
            userId: owner.id,
            method: 'CARD',
            amount,
            status: 'PENDING',
            providerOrderId,
            paymentKey,
            nextCheckAt: new Date(now.getTime() + this.settings.reconcileAfterMs),
            createdAt: now,
          },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const twin = await this.db.payment.findUniqueOrThrow({ where: { paymentKey } });
      return this.sameTopUp(twin, owner.id, providerOrderId, amount);
    }
    return this.cards.confirm(pending);
  }

  private sameTopUp(payment: Payment, userId: string, providerOrderId: string, amount: number): Payment {
    const same =
      payment.purpose === 'TOP_UP' &&
      payment.userId === userId &&
      payment.providerOrderId === providerOrderId &&
      payment.amount === amount;
    if (!same) throw conflict('This paymentKey was used for another payment');
    return payment;
  }

  /** A wallet's ledger, newest first (who may read it is decided where the wallet is shown). */
  entries(userId: string, page: PageRequest): Promise<Connection<WalletEntryRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.walletEntry.findMany({
        where: { userId, ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }
}

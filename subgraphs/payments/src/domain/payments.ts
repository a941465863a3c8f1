import type { Viewer } from '@radiata/auth-context';
import { type Connection, newestFirst, type PageRequest } from '@radiata/service-runtime';
import type { Payment, PaymentPurpose } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
import { canSeeMoneyOf } from './wallets.js';

export type PaymentRecord = Payment;

/** Reading payments: the payer and admins see them; everyone else sees none. */
export class Payments {
  constructor(private readonly db: Database) {}

  /** The payment if `viewer` may see it (null otherwise, as for an unknown one). */
  visibleTo(viewer: Viewer | null, payment: PaymentRecord | null): PaymentRecord | null {
    return payment && canSeeMoneyOf(viewer, payment.userId) ? payment : null;
  }

  /** A user's payments, newest first, optionally of one purpose. */
  ofUser(userId: string, purpose: PaymentPurpose | null, page: PageRequest): Promise<Connection<PaymentRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.payment.findMany({
        where: { userId, ...(purpose ? { purpose } : {}), ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  /** An order's payments (failed attempts included), oldest first. */
  ofOrder(orderId: string): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({ where: { orderId }, orderBy: { id: 'asc' } });
  }
}

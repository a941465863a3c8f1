import type { RequestContext } from '@radiata/service-runtime';
import type { OrderPayments } from './domain/order-payments.js';
import type { PayableOrders } from './domain/payable-orders.js';
import type { Payments } from './domain/payments.js';
import type { PinGuard } from './domain/pin-guard.js';
import type { Reconciler } from './domain/reconciler.js';
import type { Refunds } from './domain/refunds.js';
import type { Wallets } from './domain/wallets.js';
import type { PaymentsLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';
import type { PaymentProvider } from './provider/payment-provider.js';

export interface PaymentsServices {
  readonly db: Database;
  readonly provider: PaymentProvider;
  readonly pins: PinGuard;
  readonly wallets: Wallets;
  readonly payments: Payments;
  readonly orderPayments: OrderPayments;
  readonly refunds: Refunds;
  readonly payableOrders: PayableOrders;
  readonly reconciler: Reconciler;
}

export interface PaymentsContext extends RequestContext, PaymentsServices {
  readonly loaders: PaymentsLoaders;
}

import type { RequestContext } from '@radiata/service-runtime';
import type { CatalogReplica } from './domain/catalog-replica.js';
import type { OrderPayments } from './domain/order-payments.js';
import type { PayableOrders } from './domain/payable-orders.js';
import type { Payments } from './domain/payments.js';
import type { PinGuard } from './domain/pin-guard.js';
import type { Reconciler } from './domain/reconciler.js';
import type { Refunds } from './domain/refunds.js';
import type { SettlementRunner } from './domain/settlement/settlement-runner.js';
import type { SettlementRuns } from './domain/settlement/settlement-runs.js';
import type { SettlementScheduler } from './domain/settlement/settlement-schedule.js';
import type { Settlements } from './domain/settlement/settlements.js';
import type { WalletClosures } from './domain/wallet-closures.js';
import type { Wallets } from './domain/wallets.js';
import type { PaymentsLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';
import type { PaymentProvider } from './provider/payment-provider.js';

export interface PaymentsServices {
  readonly db: Database;
  readonly provider: PaymentProvider;
  readonly pins: PinGuard;
  readonly wallets: Wallets;
  /** Closes the wallets of deleted accounts (users.user.deleted). */
  readonly walletClosures: WalletClosures;
  readonly payments: Payments;
  readonly orderPayments: OrderPayments;
  readonly refunds: Refunds;
  readonly payableOrders: PayableOrders;
  readonly reconciler: Reconciler;
  readonly catalog: CatalogReplica;
  readonly settlementRuns: SettlementRuns;
  readonly settlementRunner: SettlementRunner;
  readonly settlementScheduler: SettlementScheduler;
  readonly settlements: Settlements;
}

export interface PaymentsContext extends RequestContext, PaymentsServices {
  readonly loaders: PaymentsLoaders;
}

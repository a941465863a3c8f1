import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import { defineSubgraph, eventPublishing, periodic, postgres, type ServicesKit } from '@radiata/service-runtime';
import { type PaymentsConfig, paymentsConfig } from './config.js';
import type { PaymentsContext, PaymentsServices } from './context.js';
import { CardPayments } from './domain/card-payments.js';
import { OrderPayments } from './domain/order-payments.js';
import { PayableOrders } from './domain/payable-orders.js';
import { Payments } from './domain/payments.js';
import { PinGuard } from './domain/pin-guard.js';
import { Reconciler } from './domain/reconciler.js';
import { Refunds } from './domain/refunds.js';
import { Wallets } from './domain/wallets.js';
import { createLoaders } from './loaders.js';
import { startOrdersConsumer } from './messaging/orders-consumer.js';
import { PAYMENTS_EXCHANGE, paymentEvents } from './messaging/payments-events.js';
import { registerPendingGauge } from './metrics.js';
import { createDatabase, type Database } from './persistence/database.js';
import type { PaymentProvider } from './provider/payment-provider.js';
import { TossPayments } from './provider/toss-payments.js';
import { PaymentResolver } from './resolvers/payment.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { WalletResolver } from './resolvers/wallet.resolver.js';

export interface PaymentsResources {
  readonly db: Database;
  /** Default: the Toss Payments adapter on PROVIDER_BASE_URL. */
  readonly provider?: PaymentProvider;
}

/** The payments domain services on its database and the payment provider. */
export function createPaymentsServices(
  { db, provider: given }: PaymentsResources,
  { config, clock, logger, metrics }: ServicesKit<PaymentsConfig>,
): PaymentsServices {
  const provider =
    given ??
    new TossPayments({
      baseUrl: config.PROVIDER_BASE_URL,
      secretKey: config.PROVIDER_SECRET_KEY,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      attempts: config.PROVIDER_ATTEMPTS,
      logger,
      registry: metrics.registry,
    });
  const reconcileAfterMs = config.RECONCILE_AFTER_MS;
  const pins = new PinGuard(db, clock, { maxAttempts: config.PIN_MAX_ATTEMPTS, lockMs: config.PIN_LOCK_MS });
  const refunds = new Refunds(db, provider, paymentEvents, clock, logger, { reconcileAfterMs });
  const cards = new CardPayments(db, provider, refunds, paymentEvents, clock, logger, { reconcileAfterMs });
  return {
    db,
    provider,
    pins,
    refunds,
    payments: new Payments(db),
    wallets: new Wallets(db, pins, cards, clock, {
      maxBalance: config.WALLET_MAX_BALANCE,
      maxPaymentAmount: config.PAYMENT_MAX_AMOUNT,
      reconcileAfterMs,
    }),
    orderPayments: new OrderPayments(db, pins, cards, paymentEvents, clock, { reconcileAfterMs }),
    payableOrders: new PayableOrders(db, refunds, logger),
    reconciler: new Reconciler(db, provider, cards, refunds, clock, logger, { reconcileAfterMs }),
  };
}

/**
 * Radiata Pay wallets, order payments (wallet or card through the provider) and refunds. Orders
 * awaiting payment and cancellations arrive from the orders subgraph's events; approvals, failures
 * and refunds leave through the outbox to the `radiata.payments` exchange. A reconciler finishes
 * what a crash or a provider outage left pending.
 */
export const paymentsSubgraph = defineSubgraph({
  name: 'payments',
  config: paymentsConfig,
  schema: { resolvers: [PaymentResolver, WalletResolver, UserResolver] },
  async start(kit) {
    const db = await kit.use(postgres(createDatabase));
    const events = await kit.use(eventPublishing(PAYMENTS_EXCHANGE));
    const services = createPaymentsServices({ db }, kit);
    await startOrdersConsumer({
      rabbit: events.rabbit,
      payableOrders: services.payableOrders,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('reconcile', kit.config.RECONCILE_INTERVAL_MS, () => services.reconciler.run().then(() => {})),
    );
    await kit.use(
      periodic('prune', INBOX_PRUNE_INTERVAL_MS, async () => {
        const inbox = await pruneExpiredInbox((sql, values) => db.$executeRawUnsafe(sql, ...values), kit.clock.now());
        const pinChecks = await services.pins.prune();
        if (inbox + pinChecks > 0) kit.logger.info({ inbox, pinChecks }, 'pruned the inbox and old PIN checks');
      }),
    );
    registerPendingGauge(kit.metrics.registry, db);
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      createContext: (request): PaymentsContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

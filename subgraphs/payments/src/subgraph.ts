import { INBOX_PRUNE_INTERVAL_MS, pruneExpiredInbox } from '@radiata/inbox';
import { defineSubgraph, eventPublishing, periodic, postgres, type ServicesKit } from '@radiata/service-runtime';
import { type PaymentsConfig, paymentsConfig } from './config.js';
import type { PaymentsContext, PaymentsServices } from './context.js';
import { CardPayments } from './domain/card-payments.js';
import { CatalogReplica } from './domain/catalog-replica.js';
import { OrderPayments } from './domain/order-payments.js';
import { PayableOrders } from './domain/payable-orders.js';
import { Payments } from './domain/payments.js';
import { PinGuard } from './domain/pin-guard.js';
import { Reconciler } from './domain/reconciler.js';
import { Refunds } from './domain/refunds.js';
import { SettlementRunner } from './domain/settlement/settlement-runner.js';
import { SettlementRuns } from './domain/settlement/settlement-runs.js';
import { SettlementScheduler } from './domain/settlement/settlement-schedule.js';
import { Settlements } from './domain/settlement/settlements.js';
import { WalletClosures } from './domain/wallet-closures.js';
import { Wallets } from './domain/wallets.js';
import { createLoaders } from './loaders.js';
import { startCatalogConsumer } from './messaging/catalog-consumer.js';
import { startOrdersConsumer } from './messaging/orders-consumer.js';
import { PAYMENTS_EXCHANGE, paymentEvents, settlementEvents } from './messaging/payments-events.js';
import { startUsersConsumer } from './messaging/users-consumer.js';
import { registerClosedWalletsGauge, registerPendingGauge, settlementMetrics } from './metrics.js';
import { createDatabase, type Database } from './persistence/database.js';
import { advisoryRunLocks, type LockRun } from './persistence/run-lock.js';
import type { PaymentProvider } from './provider/payment-provider.js';
import { TossPayments } from './provider/toss-payments.js';
import { BrandResolver } from './resolvers/brand.resolver.js';
import { PaymentResolver } from './resolvers/payment.resolver.js';
import { SettlementResolver, SettlementRunResolver } from './resolvers/settlement.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { WalletResolver } from './resolvers/wallet.resolver.js';

export interface PaymentsResources {
  readonly db: Database;
  /** Default: the Toss Payments adapter on PROVIDER_BASE_URL. */
  readonly provider?: PaymentProvider;
  /** Default: advisory locks on DATABASE_URL. */
  readonly lockRun?: LockRun;
}

/** The payments domain services on its database and the payment provider. */
export function createPaymentsServices(
  { db, provider: given, lockRun }: PaymentsResources,
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
  const catalog = new CatalogReplica(db);
  const timeZone = config.SETTLEMENT_TIME_ZONE;
  const settlementRunner = new SettlementRunner(
    db,
    lockRun ?? advisoryRunLocks(config.DATABASE_URL),
    settlementEvents,
    clock,
    logger,
    settlementMetrics(metrics.registry),
    { timeZone, chunkSize: config.SETTLEMENT_CHUNK_SIZE, attempts: config.SETTLEMENT_ATTEMPTS },
  );
  const settlementRuns = new SettlementRuns(
    db,
    clock,
    { timeZone, defaultFeeRateBp: config.SETTLEMENT_DEFAULT_FEE_RATE_BP },
    () =>
      void settlementRunner.runPending().catch((error: unknown) => logger.error({ err: error }, 'settlement runner')),
  );
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
    walletClosures: new WalletClosures(db, logger),
    orderPayments: new OrderPayments(db, pins, cards, paymentEvents, clock, { reconcileAfterMs }),
    payableOrders: new PayableOrders(db, refunds, logger),
    reconciler: new Reconciler(db, provider, cards, refunds, clock, logger, { reconcileAfterMs }),
    catalog,
    settlementRuns,
    settlementRunner,
    settlementScheduler: new SettlementScheduler(
      db,
      settlementRuns,
      clock,
      logger,
      config.SETTLEMENT_SCHEDULE,
      timeZone,
    ),
    settlements: new Settlements(db, catalog),
  };
}

/**
 * Radiata Pay wallets, order payments (wallet or card through the provider), refunds and the weekly
 * seller settlement. Orders awaiting payment and cancellations arrive from the orders subgraph's
 * events, brands and their grades from the catalog's; approvals, failures, refunds and closed
 * settlements leave through the outbox to the `radiata.payments` exchange. A reconciler finishes
 * what a crash or a provider outage left pending; every replica looks for due and interrupted
 * settlement runs.
 */
export const paymentsSubgraph = defineSubgraph({
  name: 'payments',
  config: paymentsConfig,
  schema: {
    resolvers: [
      PaymentResolver,
      WalletResolver,
      UserResolver,
      BrandResolver,
      SettlementResolver,
      SettlementRunResolver,
    ],
  },
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
    await startCatalogConsumer({
      rabbit: events.rabbit,
      replica: services.catalog,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await startUsersConsumer({
      rabbit: events.rabbit,
      closures: services.walletClosures,
      logger: kit.logger,
      registry: kit.metrics.registry,
    });
    await kit.use(
      periodic('settlement', kit.config.SETTLEMENT_POLL_INTERVAL_MS, async () => {
        await services.settlementScheduler.tick();
        await services.settlementRunner.runPending();
      }),
    );
    // Stopped before the periodic task above (resources stop in reverse): a run in flight ends its
    // chunk and stays RUNNING for another replica, instead of holding the shutdown to its end.
    await kit.use(() => ({ value: undefined, stop: () => services.settlementRunner.stop() }));
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
    registerClosedWalletsGauge(kit.metrics.registry, db);
    return {
      services,
      /** The RabbitMQ connection and outbox relay (tests wait for `events.relay.pending()`). */
      events,
      createContext: (request): PaymentsContext => ({ ...request, ...services, loaders: createLoaders(services) }),
    };
  },
});

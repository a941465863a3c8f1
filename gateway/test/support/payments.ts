import { randomUUID } from 'node:crypto';
import { type SpawnedProviderFake, spawnProviderFake } from '@radiata/provider-fake/process';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { eventually, graphql, testLogger } from '@radiata/testing';
import type { SignedIn } from './accounts.js';
import { startTestGraph, type TestGraph } from './graph.js';

// The orders subgraph's side of the contract with payments (docs/ARCHITECTURE.md, "Payments"):
// the exchange and routing keys its outbox relay will publish to, and the queue payments consumes on.
const ORDERS_EXCHANGE = 'radiata.orders';
const ORDER_AWAITING_PAYMENT = 'orders.order.awaiting-payment';
const ORDER_CANCELLED = 'orders.order.cancelled';
const PAYMENTS_ORDERS_QUEUE = 'payments.orders';

const PROVIDER_SECRET = 'test_sk_gateway_0123456789abcdef';
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** The whole graph with the payment provider fake as a process of its own, and a stand-in for orders. */
export interface PaymentsGraph {
  readonly graph: TestGraph;
  readonly provider: SpawnedProviderFake;
  readonly orders: OrdersStandIn;
  stop(): Promise<void>;
}

/**
 * The test graph with payments pointed at a fresh provider fake (and reconciliation only far in
 * the future, so no background run settles anything behind a test's back).
 */
export async function startPaymentsGraph(
  payments: Record<string, string> = {},
  /** Another broker for every subgraph (the saga's chaos test stops and starts its own). */
  rabbitmqUrl?: string,
): Promise<PaymentsGraph> {
  const provider = await spawnProviderFake({ secretKey: PROVIDER_SECRET });
  let graph: TestGraph | undefined;
  try {
    const broker: Record<string, string> = rabbitmqUrl ? { RABBITMQ_URL: rabbitmqUrl } : {};
    const names = ['users', 'catalog', 'coupons', 'timesales', 'orders'] as const;
    graph = await startTestGraph(
      {},
      {
        ...Object.fromEntries(names.map((name) => [name, broker])),
        payments: { PROVIDER_BASE_URL: provider.url, PROVIDER_SECRET_KEY: PROVIDER_SECRET, ...payments, ...broker },
      },
    );
    const orders = await ordersStandIn(graph, rabbitmqUrl ?? RABBITMQ_URL);
    const started = graph;
    return {
      graph: started,
      provider,
      orders,
      async stop() {
        await orders.close();
        await started.stop();
        await provider.stop();
      },
    };
  } catch (error) {
    await graph?.stop();
    await provider.stop();
    throw error;
  }
}

export interface AnnouncedOrder {
  readonly orderId: string;
  readonly amount: number;
}

/** What the orders subgraph (not built yet) tells payments, published as its outbox relay will. */
export interface OrdersStandIn {
  /** `orders.order.awaiting-payment` for `userId`; resolves once payments has applied it. */
  announce(userId: string, amount: number, orderId?: string): Promise<AnnouncedOrder>;
  /**
   * `orders.order.cancelled`; resolves once payments has applied it (a wallet refund it causes is
   * done by then; a card refund may still be on its way to the provider).
   */
  cancel(orderId: string, reason?: string): Promise<void>;
  close(): Promise<void>;
}

async function ordersStandIn(graph: TestGraph, url: string): Promise<OrdersStandIn> {
  const rabbit: Rabbit = await connectRabbit({
    url,
    name: 'gateway-test-orders',
    logger: testLogger('orders-stand-in'),
    namespace: graph.payments.namespace.rabbitmq,
  });
  const publish = async (routingKey: string, payload: object) => {
    const messageId = randomUUID();
    await rabbit.publish(ORDERS_EXCHANGE, routingKey, payload, { messageId });
    await eventually(
      async () =>
        (
          await graph.payments.sql(
            'SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2',
            PAYMENTS_ORDERS_QUEUE,
            messageId,
          )
        ).length === 1,
    );
  };
  return {
    async announce(userId, amount, orderId = randomUUID()) {
      const half = Math.floor(amount / 2);
      await publish(ORDER_AWAITING_PAYMENT, {
        orderId,
        userId,
        amount,
        amountsByBrand: { [randomUUID()]: half, [randomUUID()]: amount - half },
        occurredAt: new Date().toISOString(),
      });
      return { orderId, amount };
    },
    async cancel(orderId, reason = 'The shopper cancelled') {
      await publish(ORDER_CANCELLED, { orderId, reason, occurredAt: new Date().toISOString() });
    },
    close: () => rabbit.close(),
  };
}

export const WALLET_FIELDS = /* GraphQL */ `
  balance lockedUntil pinAttemptsLeft
  entries { edges { node { type amount balanceAfter paymentId refundId } } }
`;

export const PAYMENT_FIELDS = /* GraphQL */ `
  id purpose orderId method amount refundedAmount status failureCode
  user { id }
  refunds { amount status }
`;

/** Runs an operation through the gateway and returns its data, failing with the errors if there are any. */
export async function gatewayOk<T>(
  graph: TestGraph,
  as: SignedIn,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await graphql<T>(graph.gateway.url, query, { token: as.accessToken, variables });
  if (response.errors?.length || !response.data)
    throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export const CREATE_WALLET = 'mutation($input: CreateWalletInput!) { createWallet(input: $input) { balance } }';
export const TOP_UP = `mutation($input: TopUpWalletInput!) { topUpWallet(input: $input) { ${PAYMENT_FIELDS} } }`;
export const PAY_ORDER = `mutation($input: PayOrderInput!) { payOrder(input: $input) { ${PAYMENT_FIELDS} } }`;
export const REFUND = `mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { id amount reason status failureCode }
}`;
export const CHANGE_PIN = `mutation($input: ChangeWalletPinInput!) { changeWalletPin(input: $input) { pinAttemptsLeft } }`;

export interface PaymentView {
  id: string;
  purpose: string;
  orderId: string | null;
  method: string;
  amount: number;
  refundedAmount: number;
  status: string;
  failureCode: string | null;
  user: { id: string };
  refunds: { amount: number; status: string }[];
}

/** A checkout the browser widget would open at the provider, for a top-up of `amount`. */
export async function topUpCheckout(provider: SpawnedProviderFake, amount: number) {
  const providerOrderId = `topup-${randomUUID()}`;
  const checkout = await provider.openCheckout(providerOrderId, amount);
  return { amount, paymentKey: checkout.paymentKey, providerOrderId };
}

/** Opens `who`'s wallet with `pin` and tops it up with `balance` won, all through the gateway. */
export async function fundedWallet(payments: PaymentsGraph, who: SignedIn, pin: string, balance: number) {
  await gatewayOk(payments.graph, who, CREATE_WALLET, { input: { pin } });
  if (balance === 0) return;
  const input = await topUpCheckout(payments.provider, balance);
  const topped = await gatewayOk<{ topUpWallet: PaymentView }>(payments.graph, who, TOP_UP, { input });
  if (topped.topUpWallet.status !== 'APPROVED') throw new Error(`top-up ${topped.topUpWallet.status}`);
}

/**
 * Everything that records money, in payments' database and at the provider: equal before and
 * after an operation means it moved none.
 */
export async function moneySnapshot(payments: PaymentsGraph): Promise<string> {
  const [tables, wallets, ledger] = await Promise.all([
    payments.graph.payments.sql(
      `SELECT (SELECT count(*) FROM payments)::int AS payments,
              (SELECT count(*) FROM refunds)::int AS refunds,
              (SELECT count(*) FROM wallet_entries)::int AS entries,
              (SELECT count(*) FROM wallets)::int AS wallets,
              (SELECT count(*) FROM outbox_messages)::int AS events`,
    ),
    payments.graph.payments.sql(
      'SELECT user_id, balance, failed_pin_attempts, locked_until, pin_hash FROM wallets ORDER BY user_id',
    ),
    payments.provider.ledger(),
  ]);
  return JSON.stringify({ tables, wallets, ledger: ledger.entries.length });
}

/** A wallet's balance and the sum of its ledger, as payments' database holds them. */
export async function walletTotals(payments: PaymentsGraph, userId: string) {
  const [row] = await payments.graph.payments.sql<{ balance: number; ledger: number; entries: number }>(
    `SELECT w.balance, COALESCE(SUM(e.amount), 0)::int AS ledger, COUNT(e.id)::int AS entries
     FROM wallets w LEFT JOIN wallet_entries e ON e.user_id = w.user_id
     WHERE w.user_id = $1 GROUP BY w.balance`,
    userId,
  );
  return row;
}

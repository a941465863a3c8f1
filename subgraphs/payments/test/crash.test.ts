// Crash safety with real process kills: payments runs as the OS process production runs, the
// provider fake charges (or refunds) and then holds its answer, and the process is killed with
// SIGKILL while it waits. A new process must finish the work by reconciliation, moving money once.
import { fileURLToPath } from 'node:url';
import { deadLetterQueueOf } from '@radiata/inbox';
import { type SpawnedProviderFake, spawnProviderFake } from '@radiata/provider-fake/process';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import {
  createTestDatabase,
  deleteBrokerNames,
  eventually,
  type SubgraphClient,
  spawnSubgraphProcess,
  subgraphClient,
  type TestDatabase,
  testLogger,
  testNamespace,
  testSecrets,
  testSqlPool,
} from '@radiata/testing';
import type pg from 'pg';
import {
  ORDER_AWAITING_PAYMENT,
  ORDER_CANCELLED,
  ORDERS_EXCHANGE,
  ORDERS_QUEUE,
} from '../src/messaging/orders-consumer.js';
import { PAYMENTS_EXCHANGE } from '../src/messaging/payments-events.js';
import { admin, customer, PIN, PROVIDER_SECRET } from './support.js';

const migrations = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** Starting a process of the subgraph (tsx compiling it) can take seconds on two busy cores. */
const TEST_TIMEOUT_MS = 120_000;

/**
 * The process that is killed: it waits for a held provider answer until the kill (a retry under
 * the same Idempotency-Key would be answered, and the payment settled, before the kill), and it
 * never reconciles; what it records is due for reconciliation at once (RECONCILE_AFTER_MS 1).
 */
const BEFORE_CRASH = { PROVIDER_TIMEOUT_MS: '600000', RECONCILE_INTERVAL_MS: '3600000', RECONCILE_AFTER_MS: '1' };
/** The process that replaces it: it reconciles what is due every 200 ms. */
const AFTER_CRASH = { RECONCILE_INTERVAL_MS: '200', RECONCILE_AFTER_MS: '1' };

const secrets = testSecrets();
const namespace = testNamespace();
let database: TestDatabase;
let sqlPool: pg.Pool;
let provider: SpawnedProviderFake;
let broker: Rabbit;
/** Every payments process started and not yet killed. */
const live = new Set<PaymentsProcess>();

beforeAll(async () => {
  database = await createTestDatabase('payments', migrations);
  sqlPool = testSqlPool(database.url);
  provider = await spawnProviderFake({ secretKey: PROVIDER_SECRET });
  broker = await connectRabbit({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'payments-crash-test',
    logger: testLogger('rabbit'),
    namespace: namespace.rabbitmq,
  });
}, TEST_TIMEOUT_MS);

beforeEach(() => provider.reset());

afterEach(async () => {
  await Promise.all([...live].map((running) => running.kill()));
});

afterAll(async () => {
  await Promise.all([...live].map((running) => running.kill()));
  // What payments declared in the run's namespace: its consumer's queues and the exchanges.
  const names = broker && {
    queues: [ORDERS_QUEUE, deadLetterQueueOf(ORDERS_QUEUE)].map((queue) => broker.name(queue, 'queue')),
    exchanges: [ORDERS_EXCHANGE, PAYMENTS_EXCHANGE].map((exchange) => broker.name(exchange, 'exchange')),
  };
  await Promise.allSettled([provider?.stop(), broker?.close(), sqlPool?.end()]);
  if (names) await deleteBrokerNames(names);
  await database?.drop();
}, TEST_TIMEOUT_MS);

interface PaymentsProcess {
  /** Calls the process with the signed gateway context. */
  readonly client: SubgraphClient;
  /** SIGKILL: no shutdown hook runs, nothing in flight commits. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Payments as an OS process of its own (what production runs), ready to serve. */
async function startPaymentsProcess(env: Readonly<Record<string, string>>): Promise<PaymentsProcess> {
  const started = await spawnSubgraphProcess('payments', {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    GATEWAY_CONTEXT_SECRET: secrets.GATEWAY_CONTEXT_SECRET,
    RABBITMQ_NAMESPACE: namespace.rabbitmq,
    OUTBOX_POLL_INTERVAL_MS: '200',
    PROVIDER_BASE_URL: provider.url,
    PROVIDER_SECRET_KEY: PROVIDER_SECRET,
    ...env,
  });
  const running: PaymentsProcess = {
    client: subgraphClient(started.url, secrets.GATEWAY_CONTEXT_SECRET),
    kill: async () => {
      live.delete(running);
      await started.kill();
      await running.client.close();
    },
  };
  live.add(running);
  return running;
}

/** A request the process may never answer (it is killed first): its outcome, without an unhandled rejection. */
function outcomeOf<T>(
  request: Promise<T>,
): Promise<{ answered: true; value: T } | { answered: false; error: unknown }> {
  return request.then(
    (value) => ({ answered: true, value }),
    (error: unknown) => ({ answered: false, error }),
  );
}

const sql = async <T>(text: string, ...values: unknown[]): Promise<T[]> =>
  (await sqlPool.query(text, values)).rows as T[];

/** Publishes an order awaiting payment as the orders subgraph does; resolves once payments applied it. */
async function announceOrder(userId: string, amount: number): Promise<string> {
  const orderId = newId();
  await broker.publish(
    ORDERS_EXCHANGE,
    ORDER_AWAITING_PAYMENT,
    { orderId, userId, amount, amountsByBrand: { [newId()]: amount }, occurredAt: new Date().toISOString() },
    { messageId: newId() },
  );
  await eventually(async () => (await sql('SELECT 1 FROM payable_orders WHERE order_id = $1', orderId)).length === 1);
  return orderId;
}

/** The fake's ledger entries (money moved at the provider) for one paymentKey: kind and amount. */
async function providerEntries(paymentKey: string) {
  const { entries } = await provider.ledger();
  return entries
    .filter((entry) => entry.paymentKey === paymentKey)
    .map(({ kind, amount, idempotencyKey }) => ({ kind, amount, idempotencyKey }));
}

const paymentsOfOrder = (orderId: string) =>
  sql<{ id: string; status: string; refunded_amount: number }>(
    'SELECT id, status, refunded_amount FROM payments WHERE order_id = $1',
    orderId,
  );

const outboxOfOrder = async (orderId: string) =>
  (
    await sql<{ routing_key: string }>(
      "SELECT routing_key FROM outbox_messages WHERE payload->>'orderId' = $1 ORDER BY created_at, id",
      orderId,
    )
  ).map((row) => row.routing_key);

const statusOf = async (table: 'payments' | 'refunds', id: string) =>
  (await sql<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, id))[0]?.status;

/** The one row there must be. */
function single<T>(rows: readonly T[]): T {
  expect(rows).toHaveLength(1);
  return rows[0] as T;
}

/** The wallet's balance, the sum of its ledger, and the ledger. */
async function walletOf(userId: string) {
  const [wallet] = await sql<{ balance: number }>('SELECT balance FROM wallets WHERE user_id = $1', userId);
  const entries = await sql<{ type: string; amount: number; payment_id: string }>(
    'SELECT type, amount, payment_id FROM wallet_entries WHERE user_id = $1 ORDER BY id',
    userId,
  );
  return { balance: wallet?.balance, ledger: entries.reduce((sum, entry) => sum + entry.amount, 0), entries };
}

const PAY_ORDER = 'mutation ($input: PayOrderInput!) { payOrder(input: $input) { id status } }';
const REFUND_PAYMENT = 'mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { id status amount } }';
const CREATE_WALLET = 'mutation ($input: CreateWalletInput!) { createWallet(input: $input) { balance } }';
const TOP_UP_WALLET = 'mutation ($input: TopUpWalletInput!) { topUpWallet(input: $input) { id status } }';

/**
 * An order awaiting payment, paid by card through `payments` while the fake holds its answer to
 * the confirm: resolves once the provider has charged, the shopper's request still unanswered.
 */
async function cardPaymentHeldAfterCharge(payments: PaymentsProcess, amount: number) {
  const shopper = customer();
  const orderId = await announceOrder(shopper.id, amount);
  const { paymentKey } = await provider.openCheckout(orderId, amount);
  await provider.setSwitches({ holdNextConfirmAnswers: 1 });
  const answer = outcomeOf(
    payments.client.call(shopper, PAY_ORDER, { input: { orderId, method: 'CARD', paymentKey } }),
  );
  await eventually(async () => (await providerEntries(paymentKey)).length === 1);
  return { shopper, orderId, paymentKey, answer };
}

it(
  'finishes a card payment the provider charged just before a kill -9: approved once, charged once, announced once',
  async () => {
    const crashing = await startPaymentsProcess(BEFORE_CRASH);
    const { shopper, orderId, paymentKey, answer } = await cardPaymentHeldAfterCharge(crashing, 41_000);
    await crashing.kill();
    expect((await answer).answered).toBe(false);
    const { id: paymentId, status } = single(await paymentsOfOrder(orderId));
    expect(status).toBe('PENDING');

    const restarted = await startPaymentsProcess(AFTER_CRASH);
    await eventually(async () => (await statusOf('payments', paymentId)) === 'APPROVED');
    // The shopper sends the request they got no answer to again: the same payment.
    const retried = await restarted.client.call<{ payOrder: unknown }>(shopper, PAY_ORDER, {
      input: { orderId, method: 'CARD', paymentKey },
    });
    expect(retried.data?.payOrder).toEqual({ id: paymentId, status: 'APPROVED' });

    expect(await providerEntries(paymentKey)).toEqual([
      { kind: 'CONFIRM', amount: 41_000, idempotencyKey: `radiata-payment-${paymentId}` },
    ]);
    expect(await paymentsOfOrder(orderId)).toEqual([{ id: paymentId, status: 'APPROVED', refunded_amount: 0 }]);
    expect(await outboxOfOrder(orderId)).toEqual(['payments.payment.approved']);
  },
  TEST_TIMEOUT_MS,
);

it(
  'refunds a card payment charged just before a kill -9 whose order was cancelled while payments was down',
  async () => {
    const crashing = await startPaymentsProcess(BEFORE_CRASH);
    const { orderId, paymentKey, answer } = await cardPaymentHeldAfterCharge(crashing, 9_000);
    await crashing.kill();
    expect((await answer).answered).toBe(false);
    const { id: paymentId, status } = single(await paymentsOfOrder(orderId));
    expect(status).toBe('PENDING');

    // The cancellation waits in payments' durable queue. After the restart the consumer applies it
    // and reconciliation finds the payment charged, in either order: both end in a refund.
    await broker.publish(
      ORDERS_EXCHANGE,
      ORDER_CANCELLED,
      { orderId, reason: 'payment window expired', occurredAt: new Date().toISOString() },
      { messageId: newId() },
    );
    await startPaymentsProcess(AFTER_CRASH);
    await eventually(async () => (await statusOf('payments', paymentId)) === 'REFUNDED');

    const refund = single(
      await sql<{ id: string; amount: number; status: string }>(
        'SELECT id, amount, status FROM refunds WHERE payment_id = $1',
        paymentId,
      ),
    );
    expect(refund).toMatchObject({ amount: 9_000, status: 'DONE' });
    expect(await providerEntries(paymentKey)).toEqual([
      { kind: 'CONFIRM', amount: 9_000, idempotencyKey: `radiata-payment-${paymentId}` },
      { kind: 'CANCEL', amount: 9_000, idempotencyKey: `radiata-refund-${refund.id}` },
    ]);
    expect((await provider.ledger()).payments[paymentKey]).toMatchObject({ canceledAmount: 9_000, balanceAmount: 0 });
    expect(await paymentsOfOrder(orderId)).toEqual([{ id: paymentId, status: 'REFUNDED', refunded_amount: 9_000 }]);
    expect(await sql('SELECT status FROM payable_orders WHERE order_id = $1', orderId)).toEqual([
      { status: 'CANCELLED' },
    ]);
    expect(await outboxOfOrder(orderId)).toEqual(['payments.payment.approved', 'payments.refund.completed']);
  },
  TEST_TIMEOUT_MS,
);

it(
  'credits a wallet top-up the provider charged just before a kill -9 exactly once',
  async () => {
    const crashing = await startPaymentsProcess(BEFORE_CRASH);
    const shopper = customer();
    const opened = await crashing.client.call<{ createWallet: unknown }>(shopper, CREATE_WALLET, {
      input: { pin: PIN },
    });
    expect(opened.data?.createWallet).toEqual({ balance: 0 });
    const providerOrderId = `topup-${newId()}`;
    const { paymentKey } = await provider.openCheckout(providerOrderId, 30_000);
    await provider.setSwitches({ holdNextConfirmAnswers: 1 });
    const answer = outcomeOf(
      crashing.client.call(shopper, TOP_UP_WALLET, { input: { amount: 30_000, paymentKey, providerOrderId } }),
    );
    await eventually(async () => (await providerEntries(paymentKey)).length === 1);
    await crashing.kill();
    expect((await answer).answered).toBe(false);
    const paymentsOfShopper = () =>
      sql<{ id: string; status: string }>('SELECT id, status FROM payments WHERE user_id = $1', shopper.id);
    const { id: paymentId, status } = single(await paymentsOfShopper());
    expect(status).toBe('PENDING');
    expect(await walletOf(shopper.id)).toEqual({ balance: 0, ledger: 0, entries: [] });

    await startPaymentsProcess(AFTER_CRASH);
    await eventually(async () => (await statusOf('payments', paymentId)) === 'APPROVED');

    expect(await walletOf(shopper.id)).toEqual({
      balance: 30_000,
      ledger: 30_000,
      entries: [{ type: 'TOP_UP', amount: 30_000, payment_id: paymentId }],
    });
    expect(await paymentsOfShopper()).toEqual([{ id: paymentId, status: 'APPROVED' }]);
    expect(await providerEntries(paymentKey)).toEqual([
      { kind: 'CONFIRM', amount: 30_000, idempotencyKey: `radiata-payment-${paymentId}` },
    ]);
  },
  TEST_TIMEOUT_MS,
);

it(
  'finishes a card refund the provider made just before a kill -9: given back once, the refunded amount right',
  async () => {
    const crashing = await startPaymentsProcess(BEFORE_CRASH);
    const shopper = customer();
    const orderId = await announceOrder(shopper.id, 20_000);
    const { paymentKey } = await provider.openCheckout(orderId, 20_000);
    const paid = await crashing.client.call<{ payOrder: { id: string; status: string } }>(shopper, PAY_ORDER, {
      input: { orderId, method: 'CARD', paymentKey },
    });
    expect(paid.data?.payOrder.status).toBe('APPROVED');
    const paymentId = paid.data?.payOrder.id as string;

    const request = { refundId: newId(), paymentId, amount: 4_000, reason: 'one item returned' };
    await provider.setSwitches({ holdNextCancelAnswers: 1 });
    const answer = outcomeOf(crashing.client.call(admin, REFUND_PAYMENT, { input: request }));
    await eventually(async () => (await providerEntries(paymentKey)).some((entry) => entry.kind === 'CANCEL'));
    await crashing.kill();
    expect((await answer).answered).toBe(false);
    const refundsOfPayment = () =>
      sql<{ id: string; amount: number; status: string }>(
        'SELECT id, amount, status FROM refunds WHERE payment_id = $1',
        paymentId,
      );
    const { id: refundId, status } = single(await refundsOfPayment());
    expect(status).toBe('PENDING');
    expect(await paymentsOfOrder(orderId)).toEqual([{ id: paymentId, status: 'APPROVED', refunded_amount: 0 }]);

    const restarted = await startPaymentsProcess(AFTER_CRASH);
    await eventually(async () => (await statusOf('refunds', refundId)) === 'DONE');
    // The admin sends the request they got no answer to again: the same refund, nothing more given back.
    const retried = await restarted.client.call<{ refundPayment: unknown }>(admin, REFUND_PAYMENT, { input: request });
    expect(retried.data?.refundPayment).toEqual({ id: refundId, status: 'DONE', amount: 4_000 });

    expect(await providerEntries(paymentKey)).toEqual([
      { kind: 'CONFIRM', amount: 20_000, idempotencyKey: `radiata-payment-${paymentId}` },
      { kind: 'CANCEL', amount: 4_000, idempotencyKey: `radiata-refund-${refundId}` },
    ]);
    expect(await refundsOfPayment()).toEqual([{ id: refundId, amount: 4_000, status: 'DONE' }]);
    expect(await paymentsOfOrder(orderId)).toEqual([
      { id: paymentId, status: 'PARTIALLY_REFUNDED', refunded_amount: 4_000 },
    ]);
    expect(await outboxOfOrder(orderId)).toEqual(['payments.payment.approved', 'payments.refund.completed']);
  },
  TEST_TIMEOUT_MS,
);

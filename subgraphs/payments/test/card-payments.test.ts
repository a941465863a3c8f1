import { newId } from '@radiata/service-runtime';
import { ORDERS_QUEUE } from '../src/messaging/orders-consumer.js';
import {
  admin,
  awaitingOrder,
  customer,
  type PaymentsStack,
  PIN,
  startPayments,
  walletTotals,
  walletWith,
} from './support.js';

let stack: PaymentsStack;
beforeAll(async () => {
  // Short provider timeouts: a held request gives up quickly (a client setting, not a test's slack).
  stack = await startPayments({ env: { PROVIDER_TIMEOUT_MS: '500', PROVIDER_ATTEMPTS: '3', RECONCILE_AFTER_MS: '1' } });
});
beforeEach(() => stack.provider.reset());
afterAll(() => stack.stop());

const services = () => stack.services;

async function cardOrder(amount: number) {
  const shopper = customer();
  const { orderId } = await awaitingOrder(services(), shopper.id, amount);
  const checkout = await stack.provider.openCheckout(orderId, amount);
  return { shopper, orderId, paymentKey: checkout.paymentKey };
}

/** The pending-payments gauge as Prometheus scrapes it. */
const pendingGauge = async () =>
  (await (await fetch(stack.subgraph.metricsUrl)).text())
    .split('\n')
    .filter((line) => line.startsWith('radiata_payments_pending{'));

const ledgerOf = async (paymentKey: string) => (await stack.provider.ledger()).payments[paymentKey];

const outboxFor = (orderId: string) =>
  stack.sql<{ routing_key: string }>(
    "SELECT routing_key FROM outbox_messages WHERE payload->>'orderId' = $1 ORDER BY created_at, id",
    orderId,
  );

it('pays an order by card: confirmed at the provider for the server amount, under a key derived from the payment', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(41_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(paid).toMatchObject({ status: 'APPROVED', method: 'CARD', amount: 41_000, paymentKey });
  const entries = (await stack.provider.ledger()).entries.filter((entry) => entry.paymentKey === paymentKey);
  expect(entries).toEqual([
    expect.objectContaining({ kind: 'CONFIRM', orderId, amount: 41_000, idempotencyKey: `radiata-payment-${paid.id}` }),
  ]);
  expect(await outboxFor(orderId)).toEqual([{ routing_key: 'payments.payment.approved' }]);

  // The same paymentKey again (a retry) answers with the same payment and charges nothing more.
  const again = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(again.id).toBe(paid.id);
  expect(await ledgerOf(paymentKey)).toMatchObject({ confirms: 1, chargedAmount: 41_000 });
});

it('records a declined card as FAILED with the provider code, publishes payments.payment.failed, and lets the shopper pay again', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(9_000);
  await stack.provider.setSwitches({ declineNextConfirms: 1 });
  const declined = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(declined).toMatchObject({ status: 'FAILED', failureCode: 'REJECT_CARD_PAYMENT' });
  expect(await ledgerOf(paymentKey)).toBeUndefined();

  const retry = await stack.provider.openCheckout(orderId, 9_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey: retry.paymentKey });
  expect(paid.status).toBe('APPROVED');
  expect(await outboxFor(orderId)).toEqual([
    { routing_key: 'payments.payment.failed' },
    { routing_key: 'payments.payment.approved' },
  ]);
});

it('never confirms another amount than the order’s: a checkout opened for less fails and charges nothing', async () => {
  const shopper = customer();
  const { orderId } = await awaitingOrder(services(), shopper.id, 30_000);
  const cheap = await stack.provider.openCheckout(orderId, 100);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey: cheap.paymentKey });
  expect(paid).toMatchObject({ status: 'FAILED', amount: 30_000 });
  expect(await ledgerOf(cheap.paymentKey)).toBeUndefined();
});

it('retries 5xx under the same Idempotency-Key: one charge at the provider', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(12_000);
  await stack.provider.setSwitches({ failNextConfirms: 2 });
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(paid.status).toBe('APPROVED');
  expect(await ledgerOf(paymentKey)).toMatchObject({ confirms: 1, chargedAmount: 12_000 });
});

it('resolves a lost answer after success: the retry gets the first answer, one charge', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(13_000);
  await stack.provider.setSwitches({ loseNextConfirmAnswers: 1 });
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(paid.status).toBe('APPROVED');
  expect(await ledgerOf(paymentKey)).toMatchObject({ confirms: 1, chargedAmount: 13_000 });
});

it('leaves a payment PENDING when the provider never answers, and reconciliation finishes it once', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(14_000);
  await stack.provider.setSwitches({ failNextConfirms: 3 });
  const pending = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(pending.status).toBe('PENDING');
  await expect(services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });

  expect(await pendingGauge()).toContain('radiata_payments_pending{kind="payment",age="recent",service="payments"} 1');

  await services().reconciler.run();
  expect(await pendingGauge()).toContain('radiata_payments_pending{kind="payment",age="recent",service="payments"} 0');
  const settled = await stack.sql('SELECT status FROM payments WHERE id = $1', pending.id);
  expect(settled).toEqual([{ status: 'APPROVED' }]);
  await services().reconciler.run();
  expect(await ledgerOf(paymentKey)).toMatchObject({ confirms: 1, chargedAmount: 14_000 });
  expect(await outboxFor(orderId)).toEqual([{ routing_key: 'payments.payment.approved' }]);
});

it('refunds a card payment in parts, never beyond what was paid, each refund id once', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(20_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  const refundId = newId();
  const first = await services().refunds.refundPayment(admin, {
    refundId,
    paymentId: paid.id,
    amount: 5_000,
    reason: 'one item returned',
  });
  expect(first).toMatchObject({ status: 'DONE', amount: 5_000 });
  const replay = await services().refunds.refundPayment(admin, {
    refundId,
    paymentId: paid.id,
    amount: 5_000,
    reason: 'one item returned',
  });
  expect(replay.id).toBe(first.id);

  await expect(
    services().refunds.refundPayment(admin, {
      refundId: newId(),
      paymentId: paid.id,
      amount: 15_001,
      reason: 'too much',
    }),
  ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });

  await stack.provider.setSwitches({ failNextCancels: 1, loseNextCancelAnswers: 1 });
  const rest = await services().refunds.refundPayment(admin, {
    refundId: newId(),
    paymentId: paid.id,
    reason: 'order cancelled',
  });
  expect(rest).toMatchObject({ status: 'DONE', amount: 15_000 });
  expect(await ledgerOf(paymentKey)).toMatchObject({ cancels: 2, canceledAmount: 20_000, balanceAmount: 0 });
  expect(await stack.sql('SELECT status, refunded_amount FROM payments WHERE id = $1', paid.id)).toEqual([
    { status: 'REFUNDED', refunded_amount: 20_000 },
  ]);
  await expect(
    services().refunds.refundPayment(admin, { refundId: newId(), paymentId: paid.id, reason: 'again' }),
  ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
});

it('refunds a wallet payment to the wallet, and only an admin may refund', async () => {
  const shopper = await walletWith(stack, 30_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 30_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  await expect(
    services().refunds.refundPayment(shopper, { refundId: newId(), paymentId: paid.id, reason: 'mine' }),
  ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  const refund = await services().refunds.refundPayment(admin, {
    refundId: newId(),
    paymentId: paid.id,
    amount: 7_000,
    reason: 'partial',
  });
  expect(refund.status).toBe('DONE');
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 7_000, ledger: 7_000, entries: 3 });
  expect(await stack.sql('SELECT status, refunded_amount FROM payments WHERE id = $1', paid.id)).toEqual([
    { status: 'PARTIALLY_REFUNDED', refunded_amount: 7_000 },
  ]);
});

it('refunds automatically when the order is cancelled after payment, once however often the message comes', async () => {
  const shopper = await walletWith(stack, 10_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 8_000);
  await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  const messageId = newId();
  const cancelled = { kind: 'cancelled' as const, orderId, reason: 'shopper cancelled' };
  expect(await services().payableOrders.apply(ORDERS_QUEUE, messageId, cancelled)).toBe('applied');
  expect(await services().payableOrders.apply(ORDERS_QUEUE, messageId, cancelled)).toBe('duplicate');
  expect(await services().payableOrders.apply(ORDERS_QUEUE, newId(), cancelled)).toBe('applied');
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 10_000, ledger: 10_000, entries: 3 });
  await expect(services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });
});

it('refunds a card payment approved while its order was being cancelled', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(6_000);
  await stack.provider.setSwitches({ failNextConfirms: 3 });
  const pending = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  expect(pending.status).toBe('PENDING');
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), { kind: 'cancelled', orderId, reason: 'expired' });

  // The shopper's confirm went through after all (a late answer); reconciliation finds it charged.
  await stack.provider.setSwitches({ failNextConfirms: 0 });
  await services().provider.confirm({
    paymentKey,
    orderId,
    amount: 6_000,
    idempotencyKey: `radiata-payment-${pending.id}`,
  });
  await services().reconciler.run();
  expect(await stack.sql('SELECT status, refunded_amount FROM payments WHERE id = $1', pending.id)).toEqual([
    { status: 'REFUNDED', refunded_amount: 6_000 },
  ]);
  expect(await ledgerOf(paymentKey)).toMatchObject({ confirms: 1, cancels: 1, balanceAmount: 0 });
  expect(await outboxFor(orderId)).toEqual([
    { routing_key: 'payments.payment.approved' },
    { routing_key: 'payments.refund.completed' },
  ]);
});

it('fails a pending payment whose order was cancelled before the provider charged, charging nothing', async () => {
  const { shopper, orderId, paymentKey } = await cardOrder(7_000);
  await stack.provider.setSwitches({ failNextConfirms: 3 });
  const pending = await services().orderPayments.pay(shopper, { orderId, method: 'CARD', paymentKey });
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), { kind: 'cancelled', orderId, reason: 'expired' });
  await services().reconciler.run();
  expect(await stack.sql('SELECT status, failure_code FROM payments WHERE id = $1', pending.id)).toEqual([
    { status: 'FAILED', failure_code: 'ORDER_CANCELLED' },
  ]);
  expect(await ledgerOf(paymentKey)).toBeUndefined();
});

it('refuses paying someone else’s, a cancelled or an unknown order, moving nothing', async () => {
  const owner = await walletWith(stack, 10_000);
  const other = await walletWith(stack, 10_000);
  const { orderId } = await awaitingOrder(services(), owner.id, 1_000);
  await expect(services().orderPayments.pay(other, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'FORBIDDEN' },
  });
  await expect(
    services().orderPayments.pay(other, { orderId: newId(), method: 'WALLET', pin: PIN }),
  ).rejects.toMatchObject({
    extensions: { code: 'NOT_FOUND' },
  });
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), { kind: 'cancelled', orderId, reason: 'expired' });
  await expect(services().orderPayments.pay(owner, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });
  expect(await walletTotals(stack, owner.id)).toEqual({ balance: 10_000, ledger: 10_000, entries: 1 });
  expect(await walletTotals(stack, other.id)).toEqual({ balance: 10_000, ledger: 10_000, entries: 1 });
});

it('ignores an announcement that comes after the order’s cancellation', async () => {
  const shopper = customer();
  const orderId = newId();
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), {
    kind: 'cancelled',
    orderId,
    reason: 'failed to reserve stock',
  });
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), {
    kind: 'awaiting-payment',
    orderId,
    userId: shopper.id,
    amount: 1_000,
    amountsByBrand: { [newId()]: 1_000 },
  });
  expect(await stack.sql('SELECT status FROM payable_orders WHERE order_id = $1', orderId)).toEqual([
    { status: 'CANCELLED' },
  ]);
});

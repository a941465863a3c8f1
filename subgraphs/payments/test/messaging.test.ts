import { deadLetterQueueOf } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, type HeardMessage, overhear, queuedMessages, testLogger } from '@radiata/testing';
import {
  ORDER_AWAITING_PAYMENT,
  ORDER_CANCELLED,
  ORDERS_EXCHANGE,
  ORDERS_QUEUE,
  REFUND_REQUESTED,
} from '../src/messaging/orders-consumer.js';
import { PAYMENTS_EXCHANGE } from '../src/messaging/payments-events.js';
import { customer, type PaymentsStack, PIN, startPayments, walletTotals, walletWith } from './support.js';

let stack: PaymentsStack;
let broker: Rabbit;
let published: HeardMessage[] = [];

beforeAll(async () => {
  stack = await startPayments();
  broker = await connectRabbit({
    url: 'amqp://guest:guest@127.0.0.1:5672',
    name: 'payments-messaging-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
  published = await overhear(broker, PAYMENTS_EXCHANGE, 'payments.#');
});
afterAll(async () => {
  await broker.close();
  await stack.stop();
});

/** Publishes to the orders exchange as the orders subgraph's outbox relay will. */
async function fromOrders(routingKey: string, payload: object | Buffer, messageId = newId()): Promise<string> {
  await broker.publish(ORDERS_EXCHANGE, routingKey, payload, { messageId });
  return messageId;
}

const received = (messageId: string) => async () =>
  (await stack.sql('SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2', ORDERS_QUEUE, messageId))
    .length === 1;

it('learns of an order awaiting payment from orders, takes the wallet payment, and publishes approval and refund on its exchange', async () => {
  const shopper = await walletWith(stack, 20_000);
  const orderId = newId();
  const brandId = newId();
  const announced = await fromOrders(ORDER_AWAITING_PAYMENT, {
    orderId,
    userId: shopper.id,
    amount: 12_000,
    amountsByBrand: { [brandId]: 12_000 },
    occurredAt: new Date().toISOString(),
  });
  await eventually(received(announced));
  const paid = await stack.services.orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(paid.status).toBe('APPROVED');

  const refundId = newId();
  const command = { refundId, orderId, amount: 2_000, reason: 'one item returned' };
  const first = await fromOrders(REFUND_REQUESTED, command);
  await fromOrders(REFUND_REQUESTED, command, first); // redelivered
  await eventually(received(first));
  const cancelled = await fromOrders(ORDER_CANCELLED, {
    orderId,
    reason: 'shopper cancelled',
    occurredAt: new Date().toISOString(),
  });
  await eventually(received(cancelled));

  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 20_000, ledger: 20_000, entries: 4 });
  await eventually(async () => published.filter((event) => event.payload.orderId === orderId).length === 3);
  const ofOrder = published.filter((event) => event.payload.orderId === orderId);
  expect(ofOrder.map(({ routingKey, payload }) => ({ routingKey, payload }))).toEqual([
    {
      routingKey: 'payments.payment.approved',
      payload: expect.objectContaining({ paymentId: paid.id, amount: 12_000 }),
    },
    {
      routingKey: 'payments.refund.completed',
      payload: expect.objectContaining({
        requestKey: refundId,
        amount: 2_000,
        refundedAmount: 2_000,
        paymentStatus: 'PARTIALLY_REFUNDED',
      }),
    },
    {
      routingKey: 'payments.refund.completed',
      payload: expect.objectContaining({
        requestKey: `order-cancelled:${orderId}`,
        amount: 10_000,
        refundedAmount: 12_000,
        paymentStatus: 'REFUNDED',
      }),
    },
  ]);
});

it('dead-letters orders messages that can never apply, and keeps consuming', async () => {
  const notJson = await fromOrders(ORDER_AWAITING_PAYMENT, Buffer.from('{ nope'));
  const badSum = await fromOrders(ORDER_AWAITING_PAYMENT, {
    orderId: newId(),
    userId: newId(),
    amount: 1_000,
    amountsByBrand: { [newId()]: 999 },
  });
  const nothingToRefund = await fromOrders(REFUND_REQUESTED, {
    refundId: newId(),
    orderId: newId(),
    reason: 'no such order',
  });
  const good = await fromOrders(ORDER_AWAITING_PAYMENT, {
    orderId: newId(),
    userId: customer().id,
    amount: 1_000,
    amountsByBrand: { [newId()]: 1_000 },
  });
  await eventually(received(good));
  const deadLetters = `${stack.namespace.rabbitmq}${deadLetterQueueOf(ORDERS_QUEUE)}`;
  await eventually(async () => (await queuedMessages(deadLetters)).length >= 3);
  expect((await queuedMessages(deadLetters)).map((message) => message.messageId).sort()).toEqual(
    [notJson, badSum, nothingToRefund].sort(),
  );
});

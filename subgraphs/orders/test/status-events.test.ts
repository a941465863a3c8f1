import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { eventually, type HeardMessage } from '@radiata/testing';
import { ORDER_STATUS_CHANGED } from '../src/messaging/orders-events.js';
import { ADDRESS, admin, customer, type OrdersStack, type SentCommand, startOrders } from './support.js';

let stack: OrdersStack;
beforeAll(async () => {
  stack = await startOrders();
});
afterAll(() => stack.stop());

const PLACE = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }';

async function place(viewer: Viewer, productId: string): Promise<string> {
  const placed = await stack.client.call<{ placeOrder: { id: string } }>(viewer, PLACE, {
    input: { items: [{ productId, quantity: 2 }], shippingAddress: ADDRESS, idempotencyKey: `key-${newId()}` },
  });
  expect(placed.errors).toBeUndefined();
  return placed.data?.placeOrder.id as string;
}

async function commandFor(orderId: string, routingKey: string): Promise<SentCommand> {
  let found: HeardMessage | undefined;
  await eventually(() => {
    found = stack.published.find((message) => message.routingKey === routingKey && message.payload.orderId === orderId);
    return found !== undefined;
  });
  const message = found as HeardMessage;
  return { routingKey, messageId: String(message.messageId), command: message.payload as never };
}

const statusEvents = (orderId: string) =>
  stack.published.filter(
    (message) => message.routingKey === ORDER_STATUS_CHANGED && message.payload.orderId === orderId,
  );

/** The order's status events, once `count` have reached the broker. */
async function heard(orderId: string, count: number): Promise<HeardMessage[]> {
  await eventually(() => statusEvents(orderId).length >= count);
  return statusEvents(orderId);
}

const rowOf = async (orderId: string) =>
  (
    await stack.sql<{ status: string; version: number }>('SELECT status, version FROM orders WHERE id = $1', orderId)
  )[0];

it('publishes orders.order.status-changed through the outbox at each status change, placing and shipping included', async () => {
  const shopper = customer();
  const productId = newId();
  const sellerId = newId();
  const orderId = await place(shopper, productId);
  expect((await heard(orderId, 1)).map((event) => event.payload)).toEqual([
    { orderId, userId: shopper.id, status: 'PENDING', version: 0, occurredAt: expect.any(String) },
  ]);

  const reserve = await commandFor(orderId, 'orders.saga.catalog.reserve');
  await stack.answer(reserve, 'reserved', 'DONE', {
    items: [{ productId, brandId: newId(), sellerId, price: 10_000, discountAmount: 0, quantity: 2 }],
  });
  await heard(orderId, 2);
  await stack.publish('radiata.payments', 'payments.payment.approved', {
    paymentId: newId(),
    orderId,
    userId: shopper.id,
    amount: 20_000,
    method: 'WALLET',
    approvedAt: new Date().toISOString(),
  });
  await heard(orderId, 3);
  for (const status of ['SHIPPING_PENDING', 'SHIPPING', 'DELIVERED'] as const) {
    await stack.subgraph.services.orders.advanceShipping(admin, orderId, status);
  }

  const events = await heard(orderId, 6);
  expect(events.map((event) => event.payload.status)).toEqual([
    'PENDING',
    'AWAITING_PAYMENT',
    'PAID',
    'SHIPPING_PENDING',
    'SHIPPING',
    'DELIVERED',
  ]);
  // Each carries the shopper, the version the order row had once changed (growing, the last one
  // the row's), and the order as its AMQP correlation id, like every message of its saga.
  const versions = events.map((event) => event.payload.version as number);
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  expect(new Set(versions).size).toBe(versions.length);
  expect(versions.at(-1)).toBe((await rowOf(orderId))?.version);
  expect(events.every((event) => event.payload.userId === shopper.id && event.correlationId === orderId)).toBe(true);
  // Exactly one event per change, written in the change's transaction (the outbox holds them all).
  const [counts] = await stack.sql<{ events: number; transitions: number }>(
    `SELECT (SELECT count(*)::int FROM outbox_messages WHERE routing_key = $2 AND payload->>'orderId' = $1) AS events,
            (SELECT count(*)::int FROM order_transitions WHERE order_id = $1::uuid) AS transitions`,
    orderId,
    ORDER_STATUS_CHANGED,
  );
  expect(counts).toEqual({ events: 6, transitions: 6 });
});

it('announces one status per decision: a refusal that cancels at once ends CANCELLED', async () => {
  const shopper = customer();
  const orderId = await place(shopper, newId());
  const reserve = await commandFor(orderId, 'orders.saga.catalog.reserve');
  await stack.answer(reserve, 'reserved', 'REFUSED', { productId: newId() }, 'OUT_OF_STOCK');
  await eventually(async () => (await rowOf(orderId))?.status === 'CANCELLED');

  const events = await heard(orderId, 2);
  // CANCELLING and CANCELLED were decided together: the history has both, the event the last.
  expect(events.map((event) => [event.payload.status, event.payload.version])).toEqual([
    ['PENDING', 0],
    ['CANCELLED', (await rowOf(orderId))?.version],
  ]);
  expect(await stack.sql('SELECT to_status FROM order_transitions WHERE order_id = $1 ORDER BY id', orderId)).toEqual([
    { to_status: 'PENDING' },
    { to_status: 'CANCELLING' },
    { to_status: 'CANCELLED' },
  ]);
  // Nothing is published for a decision that changes no status (the first command's write).
  expect(statusEvents(orderId)).toHaveLength(2);
});

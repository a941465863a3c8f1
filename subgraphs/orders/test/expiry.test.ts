import { newId } from '@radiata/service-runtime';
import { eventually, testLogger } from '@radiata/testing';
import { ordersSubgraph } from '../src/subgraph.js';
import { ADDRESS, customer, type OrdersStack, type SentCommand, startOrders } from './support.js';

// Unpaid orders expire once, whichever replica's timer sees the deadline first: two replicas of
// orders on one database race for every deadline here.

const ORDERS = 20;
let stack: OrdersStack;
let replica: Awaited<ReturnType<typeof ordersSubgraph.start>>;
beforeAll(async () => {
  const timers = { ORDER_PAYMENT_WINDOW_MS: '1000', SAGA_POLL_INTERVAL_MS: '25' };
  stack = await startOrders({ env: timers });
  replica = await ordersSubgraph.start({ env: stack.env, logger: testLogger('orders-replica') });
});
afterAll(async () => {
  await replica.stop();
  await stack.stop();
});

const PLACE = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }';

it('expires every unpaid order once, with one cancellation and one compensation, never deleting it', async () => {
  const shopper = customer();
  const ids: string[] = [];
  for (let index = 0; index < ORDERS; index++) {
    const placed = await stack.client.call<{ placeOrder: { id: string } }>(shopper, PLACE, {
      input: {
        items: [{ productId: newId(), quantity: 1 }],
        shippingAddress: ADDRESS,
        idempotencyKey: `expiry-${newId()}`,
      },
    });
    ids.push(placed.data?.placeOrder.id as string);
  }
  // Catalog's part: every command answered once, so each order awaits payment, then expires.
  const answered = new Set<string>();
  const answerEach = async (routingKey: string, result: string, data: (command: SentCommand['command']) => object) => {
    for (const message of stack.published.filter((candidate) => candidate.routingKey === routingKey)) {
      if (answered.has(String(message.messageId))) continue;
      answered.add(String(message.messageId));
      const sent: SentCommand = { routingKey, messageId: String(message.messageId), command: message.payload as never };
      await stack.answer(sent, result, 'DONE', data(sent.command));
    }
  };
  const priced = (command: SentCommand['command']) => ({
    items: (command.data.items as { productId: string }[]).map(({ productId }) => ({
      productId,
      brandId: newId(),
      sellerId: newId(),
      price: 1_000,
      discountAmount: 0,
    })),
  });
  await eventually(async () => {
    await answerEach('orders.saga.catalog.reserve', 'reserved', priced);
    await answerEach('orders.saga.catalog.release', 'released', () => ({ released: 1 }));
    const [row] = await stack.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE status = 'CANCELLED' AND id = ANY($1::uuid[])",
      ids,
    );
    return row?.n === ORDERS;
  }, 60_000);

  const transitions = await stack.sql<{ to_status: string; reason: string | null; n: number }>(
    `SELECT to_status::text, reason, count(*)::int AS n FROM order_transitions WHERE order_id = ANY($1::uuid[])
     GROUP BY 1, 2 ORDER BY 1`,
    ids,
  );
  expect(transitions).toEqual([
    { to_status: 'AWAITING_PAYMENT', reason: null, n: ORDERS },
    { to_status: 'CANCELLED', reason: 'EXPIRED', n: ORDERS },
    { to_status: 'CANCELLING', reason: 'EXPIRED', n: ORDERS },
    { to_status: 'PENDING', reason: null, n: ORDERS },
  ]);
  // One cancellation announced to payments and one first release per order: decided once.
  const [outbox] = await stack.sql<{ cancelled: number; releases: number }>(
    `SELECT count(*) FILTER (WHERE routing_key = 'orders.order.cancelled')::int AS cancelled,
            count(*) FILTER (WHERE routing_key = 'orders.saga.catalog.release' AND (payload->>'attempt')::int = 1)::int AS releases
     FROM outbox_messages WHERE payload->>'orderId' = ANY($1::text[])`,
    ids,
  );
  expect(outbox).toEqual({ cancelled: ORDERS, releases: ORDERS });
});

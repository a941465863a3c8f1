import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import { ADDRESS, admin, customer, type OrdersStack, type SentCommand, seller, startOrders } from './support.js';

let stack: OrdersStack;
beforeAll(async () => {
  // Short step deadlines, so the resend is seen here; the timer runs on its own.
  stack = await startOrders({
    env: { SAGA_STEP_TIMEOUT_MS: '400', SAGA_STEP_ATTEMPTS: '2', SAGA_POLL_INTERVAL_MS: '100' },
  });
});
afterAll(() => stack.stop());

const ORDER_FIELDS = `id status cancelReason amountToPay itemsTotal saleDiscount productDiscount couponDiscount pointsUsed
  items { line quantity unitPrice price product { id } brand { id } } history { fromStatus toStatus reason }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;

interface OrderView {
  id: string;
  status: string;
  cancelReason: string | null;
  amountToPay: number | null;
  items: { line: number; unitPrice: number | null }[];
  history: { fromStatus: string | null; toStatus: string; reason: string | null }[];
}

const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

async function place(viewer: Viewer, input: Record<string, unknown>) {
  return stack.client.call<{ placeOrder: OrderView }>(viewer, PLACE, {
    input: { shippingAddress: ADDRESS, idempotencyKey: `key-${newId()}`, ...input },
  });
}

async function orderOf(viewer: Viewer, id: string) {
  const result = await stack.client.call<{ order: OrderView }>(viewer, `{ order(id: "${id}") { ${ORDER_FIELDS} } }`);
  return result;
}

/** The command orders sent for an order (the latest attempt of `routingKey`), once the broker carried it. */
async function commandFor(orderId: string, routingKey: string, attempt = 1): Promise<SentCommand> {
  let found: SentCommand | undefined;
  await eventually(() => {
    const message = stack.published.find(
      (candidate) =>
        candidate.routingKey === routingKey &&
        candidate.payload.orderId === orderId &&
        candidate.payload.attempt === attempt,
    );
    found = message && { routingKey, messageId: String(message.messageId), command: message.payload as never };
    return found !== undefined;
  });
  return found as SentCommand;
}

const statusIs = (viewer: Viewer, id: string, status: string) => async () =>
  (await orderOf(viewer, id)).data?.order.status === status;

it('places an order at once (PENDING), reserves, prices it from the replies and asks payments for the amount', async () => {
  const shopper = customer();
  const productId = newId();
  const brandId = newId();
  const sellerId = newId();
  const placed = await place(shopper, { items: [{ productId, quantity: 3 }] });
  expect(placed.errors).toBeUndefined();
  const order = placed.data?.placeOrder as OrderView;
  expect(order).toEqual(
    expect.objectContaining({
      status: 'PENDING',
      amountToPay: null,
      history: [{ fromStatus: null, toStatus: 'PENDING', reason: null }],
    }),
  );

  const reserve = await commandFor(order.id, 'orders.saga.catalog.reserve');
  expect(reserve.command).toEqual({
    orderId: order.id,
    action: 'reserve',
    attempt: 1,
    issuedAt: expect.any(String),
    data: { items: [{ productId, quantity: 3 }] },
  });
  await stack.answer(reserve, 'reserved', 'DONE', {
    items: [{ productId, brandId, sellerId, price: 12_000, discountAmount: 2_000, quantity: 3 }],
  });
  await eventually(statusIs(shopper, order.id, 'AWAITING_PAYMENT'));
  const awaiting = (await orderOf(shopper, order.id)).data?.order;
  expect(awaiting).toEqual(
    expect.objectContaining({
      amountToPay: 30_000,
      itemsTotal: 36_000,
      productDiscount: 6_000,
      saleDiscount: 0,
      items: [
        { line: 1, quantity: 3, unitPrice: 10_000, price: 12_000, product: { id: productId }, brand: { id: brandId } },
      ],
    }),
  );
  await eventually(() =>
    stack.published.some(
      (message) => message.routingKey === 'orders.order.awaiting-payment' && message.payload.orderId === order.id,
    ),
  );
  // Every message of the saga names its order as its AMQP correlation id.
  const ofOrder = stack.published.filter((message) => message.payload.orderId === order.id);
  expect(ofOrder.map((message) => message.correlationId)).toEqual(ofOrder.map(() => order.id));
  expect(stack.published.find((message) => message.routingKey === 'orders.order.awaiting-payment')?.payload).toEqual({
    orderId: order.id,
    userId: shopper.id,
    amount: 30_000,
    amountsByBrand: { [brandId]: 30_000 },
    occurredAt: expect.any(String),
  });

  // Paid (payments' event) → PAID, and points are earned on what was paid.
  const paymentId = newId();
  await stack.publish('radiata.payments', 'payments.payment.approved', {
    paymentId,
    orderId: order.id,
    userId: shopper.id,
    amount: 30_000,
    method: 'WALLET',
    approvedAt: new Date().toISOString(),
  });
  await eventually(statusIs(shopper, order.id, 'PAID'));
  const earn = await commandFor(order.id, 'orders.saga.users.earn');
  expect(earn.command.data).toEqual({ userId: shopper.id, amountPaid: 30_000 });
  await stack.answer(earn, 'earned', 'DONE', { points: 300, balanceAfter: 300 });
  await eventually(
    async () =>
      (await stack.sql<{ earned_points: number }>('SELECT earned_points FROM orders WHERE id = $1', order.id))[0]
        ?.earned_points === 300,
  );

  // The seller of its items ships it, one step at a time.
  const ship = (viewer: Viewer, status: string) =>
    stack.client.call<{ updateShippingStatus: { status: string } }>(
      viewer,
      `mutation { updateShippingStatus(orderId: "${order.id}", status: ${status}) { status } }`,
    );
  expect(codeOf(await ship(shopper, 'SHIPPING_PENDING'))).toBe('FORBIDDEN');
  expect(codeOf(await ship(seller(), 'SHIPPING_PENDING'))).toBe('NOT_FOUND');
  const theSeller: Viewer = { id: sellerId, role: 'SELLER' };
  expect(codeOf(await ship(theSeller, 'SHIPPING'))).toBe('CONFLICT');
  expect((await ship(theSeller, 'SHIPPING_PENDING')).data?.updateShippingStatus.status).toBe('SHIPPING_PENDING');
  expect((await ship(admin, 'SHIPPING')).data?.updateShippingStatus.status).toBe('SHIPPING');
  const cancel = await stack.client.call(shopper, `mutation { cancelOrder(orderId: "${order.id}") { status } }`);
  expect(codeOf(cancel)).toBe('CONFLICT');
  expect((await ship(theSeller, 'DELIVERED')).data?.updateShippingStatus.status).toBe('DELIVERED');
  expect((await orderOf(shopper, order.id)).data?.order.history.map((change) => change.toStatus)).toEqual([
    'PENDING',
    'AWAITING_PAYMENT',
    'PAID',
    'SHIPPING_PENDING',
    'SHIPPING',
    'DELIVERED',
  ]);
});

it('answers the same order for the same idempotency key, CONFLICT for the key with another request', async () => {
  const shopper = customer();
  const input = { items: [{ productId: newId(), quantity: 1 }], idempotencyKey: `same-${newId()}` };
  const [first, second] = await Promise.all([place(shopper, input), place(shopper, input)]);
  expect(first.data?.placeOrder.id).toBeDefined();
  expect(second.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
  const other = await place(shopper, { ...input, items: [{ productId: newId(), quantity: 2 }] });
  expect(codeOf(other)).toBe('CONFLICT');
  // Another shopper may use the same key for their own order.
  const theirs = await place(customer(), input);
  expect(theirs.data?.placeOrder.id).not.toBe(first.data?.placeOrder.id);
  expect(await stack.sql('SELECT id FROM orders WHERE idempotency_key = $1', input.idempotencyKey)).toHaveLength(2);
});

it('refuses an invalid order with BAD_USER_INPUT and writes nothing', async () => {
  const shopper = customer();
  const before = await stack.sql('SELECT count(*)::int AS n FROM orders');
  const productId = newId();
  const invalid: [string, Record<string, unknown>][] = [
    ['no items', { items: [] }],
    ['zero quantity', { items: [{ productId, quantity: 0 }] }],
    ['a malformed product id', { items: [{ productId: 'p-1', quantity: 1 }] }],
    [
      'the same line twice',
      {
        items: [
          { productId, quantity: 1 },
          { productId, quantity: 1 },
        ],
      },
    ],
    ['negative points', { items: [{ productId, quantity: 1 }], points: -5 }],
    ['a bad phone', { items: [{ productId, quantity: 1 }], shippingAddress: { ...ADDRESS, phone: '123' } }],
    ['a short key', { items: [{ productId, quantity: 1 }], idempotencyKey: 'k' }],
  ];
  for (const [, input] of invalid) expect(codeOf(await place(shopper, input))).toBe('BAD_USER_INPUT');
  expect(codeOf(await place(null as unknown as Viewer, { items: [{ productId, quantity: 1 }] }))).toBe(
    'UNAUTHENTICATED',
  );
  expect(await stack.sql('SELECT count(*)::int AS n FROM orders')).toEqual(before);
});

it('cancels on a refusal with its reason, undoing the steps done in reverse, and a duplicate reply changes nothing', async () => {
  const shopper = customer();
  const productId = newId();
  const timeSaleId = newId();
  const placed = await place(shopper, { items: [{ productId, quantity: 1, timeSaleId }], couponIssueId: newId() });
  const id = placed.data?.placeOrder.id as string;
  const sale = await commandFor(id, 'orders.saga.timesales.reserve');
  const saleReply = { items: [{ timeSaleId, productId, timeSaleProductId: newId(), discountRate: 20, quantity: 1 }] };
  const replyId = await stack.answer(sale, 'reserved', 'DONE', saleReply);
  const stock = await commandFor(id, 'orders.saga.catalog.reserve');
  // The broker delivers the sale reply again (same message id): applied once.
  await stack.publish('radiata.timesales', 'timesales.saga.reserved', sale.command, replyId);
  await stack.answer(stock, 'reserved', 'REFUSED', { productId }, 'OUT_OF_STOCK');
  const release = await commandFor(id, 'orders.saga.timesales.release');
  await stack.answer(release, 'released', 'DONE', { released: 1 });
  await eventually(statusIs(shopper, id, 'CANCELLED'));
  const order = (await orderOf(shopper, id)).data?.order as OrderView;
  expect([order.status, order.cancelReason]).toEqual(['CANCELLED', 'OUT_OF_STOCK']);
  expect(order.history.map((change) => [change.toStatus, change.reason])).toEqual([
    ['PENDING', null],
    ['CANCELLING', 'OUT_OF_STOCK'],
    ['CANCELLED', 'OUT_OF_STOCK'],
  ]);
  // The refused step held nothing: no release to catalog; one stock command, never a coupon one.
  const sent = stack.published
    .filter((message) => message.payload.orderId === id && message.routingKey !== 'orders.order.status-changed')
    .map((message) => message.routingKey);
  expect(sent).toEqual([
    'orders.saga.timesales.reserve',
    'orders.saga.catalog.reserve',
    'orders.saga.timesales.release',
  ]);
});

it('resends a command with no reply (the next attempt), then gives the step up and undoes it: STEP_TIMEOUT', async () => {
  const shopper = customer();
  const placed = await place(shopper, { items: [{ productId: newId(), quantity: 1 }] });
  const id = placed.data?.placeOrder.id as string;
  await commandFor(id, 'orders.saga.catalog.reserve', 1);
  const second = await commandFor(id, 'orders.saga.catalog.reserve', 2);
  expect(second.command.data).toEqual((await commandFor(id, 'orders.saga.catalog.reserve', 1)).command.data);
  const release = await commandFor(id, 'orders.saga.catalog.release', 1);
  await eventually(async () => (await orderOf(shopper, id)).data?.order.status === 'CANCELLING');
  await stack.answer(release, 'released', 'DONE', { released: 0 });
  await eventually(statusIs(shopper, id, 'CANCELLED'));
  expect((await orderOf(shopper, id)).data?.order.cancelReason).toBe('STEP_TIMEOUT');
});

it('shows an order to its shopper, admins and the sellers of its items only; lists them by role', async () => {
  const shopper = customer();
  const productId = newId();
  const sellerId = newId();
  const id = (await place(shopper, { items: [{ productId, quantity: 1 }] })).data?.placeOrder.id as string;
  const reserve = await commandFor(id, 'orders.saga.catalog.reserve');
  await stack.answer(reserve, 'reserved', 'DONE', {
    items: [{ productId, brandId: newId(), sellerId, price: 1_000, discountAmount: 0, quantity: 1 }],
  });
  await eventually(statusIs(shopper, id, 'AWAITING_PAYMENT'));
  const theSeller: Viewer = { id: sellerId, role: 'SELLER' };
  expect((await orderOf(admin, id)).data?.order.id).toBe(id);
  expect((await orderOf(theSeller, id)).data?.order.id).toBe(id);
  expect(codeOf(await orderOf(customer(), id))).toBe('NOT_FOUND');
  expect(codeOf(await orderOf(seller(), id))).toBe('NOT_FOUND');

  const list = (viewer: Viewer, field: string) =>
    stack.client.call<Record<string, { edges: { node: { id: string } }[] }>>(
      viewer,
      `{ ${field} { edges { node { id } } } }`,
    );
  const ids = async (viewer: Viewer, field: string, key = field) =>
    (await list(viewer, field)).data?.[key]?.edges.map((edge) => edge.node.id);
  expect(await ids(shopper, 'myOrders')).toEqual([id]);
  expect(await ids(theSeller, 'sellerOrders')).toEqual([id]);
  expect(codeOf(await list(shopper, 'sellerOrders'))).toBe('FORBIDDEN');
  expect(codeOf(await list(shopper, 'orders'))).toBe('FORBIDDEN');
  expect(await ids(admin, `orders(userId: "${shopper.id}")`, 'orders')).toEqual([id]);

  // A shopper cancels their order awaiting payment: payments is told, the stock given back.
  expect(codeOf(await stack.client.call(customer(), `mutation { cancelOrder(orderId: "${id}") { status } }`))).toBe(
    'NOT_FOUND',
  );
  const cancelled = await stack.client.call<{ cancelOrder: OrderView }>(
    shopper,
    `mutation { cancelOrder(orderId: "${id}") { status cancelReason } }`,
  );
  expect(cancelled.data?.cancelOrder).toEqual({ status: 'CANCELLING', cancelReason: 'CANCELLED_BY_SHOPPER' });
  await eventually(() =>
    stack.published.some(
      (message) => message.routingKey === 'orders.order.cancelled' && message.payload.orderId === id,
    ),
  );
  const release = await commandFor(id, 'orders.saga.catalog.release');
  await stack.answer(release, 'released', 'DONE', { released: 1 });
  await eventually(statusIs(shopper, id, 'CANCELLED'));
});

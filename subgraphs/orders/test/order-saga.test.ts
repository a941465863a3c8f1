import { randomUUID } from 'node:crypto';
import type { SagaReply } from '@radiata/saga';
import {
  type Ignored,
  OrderSaga,
  type SagaDecision,
  type SagaInput,
  SagaRefusal,
} from '../src/domain/saga/order-saga.js';
import type { SagaOrder } from '../src/domain/saga/step.js';
import type { Order, OrderItem } from '../src/generated/prisma/client.js';

const settings = {
  stepTimeoutMs: 1_000,
  stepAttempts: 3,
  retryMaxMs: 8_000,
  paymentWindowMs: 600_000,
  paymentAttempts: 2,
};
const saga = new OrderSaga(settings);
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const userId = randomUUID();
const productA = randomUUID();
const productB = randomUUID();
const brandA = randomUUID();
const brandB = randomUUID();
const seller = randomUUID();
const timeSaleId = randomUUID();
const timeSaleProductId = randomUUID();

function newOrder(options: { sale?: boolean; coupon?: boolean; points?: number } = {}): SagaOrder {
  const id = randomUUID();
  const item = (line: number, productId: string, quantity: number, sale: boolean): OrderItem => ({
    orderId: id,
    line,
    productId,
    quantity,
    timeSaleId: sale ? timeSaleId : null,
    timeSaleProductId: null,
    saleDiscountRate: null,
    brandId: null,
    sellerId: null,
    price: null,
    productDiscount: null,
    unitPrice: null,
  });
  const order: Order = {
    id,
    userId,
    idempotencyKey: 'key-12345',
    requestHash: 'hash',
    status: 'PENDING',
    cancelReason: null,
    couponIssueId: options.coupon ? randomUUID() : null,
    pointsRequested: options.points ?? 0,
    itemsTotal: null,
    productDiscount: null,
    saleDiscount: null,
    couponDiscount: null,
    pointsUsed: null,
    amountToPay: null,
    earnedPoints: null,
    paymentId: null,
    paymentFailures: 0,
    lastPaymentFailure: null,
    recipient: 'Kim',
    phone: '010-1234-5678',
    zipCode: '06236',
    roadAddress: 'Teheran-ro 1',
    detailAddress: '',
    paymentDueAt: null,
    sagaStep: null,
    sagaAction: null,
    sagaAttempt: 0,
    sagaDueAt: null,
    sagaStarted: [],
    version: 0,
    createdAt: T0,
    updatedAt: T0,
    paidAt: null,
    closedAt: null,
  };
  return { ...order, items: [item(1, productA, 2, options.sale ?? false), item(2, productB, 1, false)] };
}

/** Applies a decision the way SagaStore writes it. */
function applied(order: SagaOrder, decision: SagaDecision): SagaOrder {
  return {
    ...order,
    ...decision.patch.order,
    version: order.version + 1,
    items: order.items.map((item) => ({ ...item, ...decision.patch.items.get(item.line) })),
  };
}

function decide(order: SagaOrder, input: SagaInput, now = T0): { order: SagaOrder; decision: SagaDecision } {
  const decision = saga.decide(order, input, now);
  if ('ignored' in decision) throw new Error(`ignored: ${decision.ignored}`);
  return { order: applied(order, decision), decision };
}

const reply = (
  order: SagaOrder,
  action: string,
  outcome: 'DONE' | 'REFUSED',
  data: object = {},
  reason?: string,
): SagaReply<unknown> => ({
  orderId: order.id,
  action,
  attempt: order.sagaAttempt,
  outcome,
  ...(reason ? { reason } : {}),
  data,
  occurredAt: T0.toISOString(),
});

const saleReserved = (order: SagaOrder) =>
  reply(order, 'reserve', 'DONE', {
    items: [{ timeSaleId, productId: productA, timeSaleProductId, discountRate: 30 }],
  });
const stockReserved = (order: SagaOrder) =>
  reply(order, 'reserve', 'DONE', {
    items: [
      { productId: productA, brandId: brandA, sellerId: seller, price: 10_000, discountAmount: 1_000 },
      { productId: productB, brandId: brandB, sellerId: seller, price: 5_000, discountAmount: 0 },
    ],
  });

const commands = (decision: SagaDecision) =>
  decision.messages.map((message) =>
    message.kind === 'command' ? `${message.participant}.${message.action}#${message.attempt}` : message.routingKey,
  );

it('reserves sale, stock, coupon and points in turn, prices from the replies, and asks payments for the amount split by brand', () => {
  let { order, decision } = decide(newOrder({ sale: true, coupon: true, points: 500 }), { kind: 'start' });
  expect(commands(decision)).toEqual(['timesales.reserve#1']);
  expect(decision.messages[0]).toEqual(
    expect.objectContaining({ data: { userId, items: [{ timeSaleId, productId: productA, quantity: 2 }] } }),
  );
  expect(order.sagaDueAt).toEqual(at(1_000));

  ({ order, decision } = decide(order, { kind: 'reply', participant: 'timesales', reply: saleReserved(order) }));
  expect(commands(decision)).toEqual(['catalog.reserve#1']);

  ({ order, decision } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  // Line 1: 10,000 with 1,000 off vs 30 % (3,000): the sale wins → 7,000 × 2. Line 2: 5,000.
  expect(order.items.map((item) => item.unitPrice)).toEqual([7_000, 5_000]);
  expect([order.itemsTotal, order.productDiscount, order.saleDiscount]).toEqual([25_000, 0, 6_000]);
  expect(commands(decision)).toEqual(['coupons.use#1']);
  expect(decision.messages[0]).toEqual(
    expect.objectContaining({ data: expect.objectContaining({ orderAmount: 19_000 }) }),
  );

  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'coupons',
    reply: reply(order, 'use', 'DONE', { issueId: order.couponIssueId, discount: 1_900 }),
  }));
  expect(commands(decision)).toEqual(['users.use#1']);
  expect(decision.messages[0]).toEqual(expect.objectContaining({ data: { userId, points: 500 } }));

  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'users',
    reply: reply(order, 'use', 'DONE', { points: 500, balanceAfter: 0 }),
  }));
  expect(order.status).toBe('AWAITING_PAYMENT');
  expect(order.amountToPay).toBe(19_000 - 1_900 - 500);
  expect(order.paymentDueAt).toEqual(at(600_000));
  expect(decision.messages).toEqual([
    {
      kind: 'event',
      routingKey: 'orders.order.awaiting-payment',
      payload: {
        orderId: order.id,
        userId,
        amount: 16_600,
        // 14,000 : 5,000 of 16,600 → 12,231.57… and 4,368.42…: the leftover won to the larger remainder.
        amountsByBrand: { [brandA]: 12_232, [brandB]: 4_368 },
        occurredAt: T0.toISOString(),
      },
    },
  ]);
  expect(order.sagaStarted).toEqual(['sale', 'stock', 'coupon', 'points']);

  const paymentId = randomUUID();
  ({ order, decision } = decide(order, { kind: 'payment-approved', paymentId }));
  expect([order.status, order.paymentId]).toEqual(['PAID', paymentId]);
  expect(commands(decision)).toEqual(['users.earn#1']);
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'users',
    reply: reply(order, 'earn', 'DONE', { points: 166, balanceAfter: 166 }),
  }));
  expect([order.earnedPoints, order.sagaStep, order.sagaDueAt]).toEqual([166, null, null]);
});

it('skips steps that do not apply: no sale, no coupon, no points', () => {
  let { order, decision } = decide(newOrder(), { kind: 'start' });
  expect(commands(decision)).toEqual(['catalog.reserve#1']);
  ({ order, decision } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  expect(order.status).toBe('AWAITING_PAYMENT');
  expect(order.amountToPay).toBe(9_000 * 2 + 5_000);
  expect(order.sagaStarted).toEqual(['stock']);
});

it('a refusal cancels with its reason and undoes the steps done, newest first, one at a time', () => {
  let { order, decision } = decide(newOrder({ sale: true, coupon: true }), { kind: 'start' });
  ({ order } = decide(order, { kind: 'reply', participant: 'timesales', reply: saleReserved(order) }));
  ({ order } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'coupons',
    reply: reply(order, 'use', 'REFUSED', { refusal: 'EXPIRED' }, 'COUPON_NOT_USABLE'),
  }));
  expect([order.status, order.cancelReason]).toEqual(['CANCELLING', 'COUPON_NOT_USABLE']);
  expect(decision.compensating).toBe(true);
  expect(commands(decision)).toEqual(['catalog.release#1']);
  // A late reply of the step before changes nothing.
  expect(saga.decide(order, { kind: 'reply', participant: 'timesales', reply: saleReserved(order) }, T0)).toEqual({
    ignored: expect.stringContaining('stale reply'),
  });
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'catalog',
    reply: reply(order, 'release', 'DONE'),
  }));
  expect(commands(decision)).toEqual(['timesales.release#1']);
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'timesales',
    reply: reply(order, 'release', 'DONE', { released: 1 }),
  }));
  expect([order.status, order.cancelReason, order.sagaStep, order.closedAt]).toEqual([
    'CANCELLED',
    'COUPON_NOT_USABLE',
    null,
    T0,
  ]);
  expect(decision.changes).toEqual([{ from: 'CANCELLING', to: 'CANCELLED', reason: 'COUPON_NOT_USABLE' }]);
});

it('resends a step with no reply, waiting twice as long each time, then gives it up and undoes it too', () => {
  let { order, decision } = decide(newOrder(), { kind: 'start' });
  expect(saga.decide(order, { kind: 'due' }, at(999))).toEqual({ ignored: 'not due' });
  ({ order, decision } = decide(order, { kind: 'due' }, at(1_000)));
  expect(commands(decision)).toEqual(['catalog.reserve#2']);
  expect(order.sagaDueAt).toEqual(at(3_000));
  ({ order, decision } = decide(order, { kind: 'due' }, at(3_000)));
  expect(commands(decision)).toEqual(['catalog.reserve#3']);
  expect(order.sagaDueAt).toEqual(at(7_000));
  // The third attempt was the last: the step may have happened, so it is undone.
  ({ order, decision } = decide(order, { kind: 'due' }, at(7_000)));
  expect([order.status, order.cancelReason]).toEqual(['CANCELLING', 'STEP_TIMEOUT']);
  expect(commands(decision)).toEqual(['catalog.release#1']);
  // The undo is resent for ever, never longer apart than retryMaxMs.
  let now = 7_000;
  for (const attempt of [2, 3, 4, 5]) {
    now = (order.sagaDueAt as Date).getTime() - T0.getTime();
    ({ order, decision } = decide(order, { kind: 'due' }, at(now)));
    expect(commands(decision)).toEqual([`catalog.release#${attempt}`]);
  }
  expect((order.sagaDueAt as Date).getTime() - T0.getTime() - now).toBe(8_000);
  // A reply to any attempt of the awaited command counts.
  ({ order } = decide(order, {
    kind: 'reply',
    participant: 'catalog',
    reply: { ...reply(order, 'release', 'DONE'), attempt: 2 },
  }));
  expect(order.status).toBe('CANCELLED');
});

it('expires an unpaid order at its deadline, tells payments, and gives everything back', () => {
  let { order, decision } = decide(newOrder(), { kind: 'start' });
  ({ order } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }, at(10)));
  expect(saga.decide(order, { kind: 'due' }, at(600_009))).toEqual({ ignored: 'not due' });
  ({ order, decision } = decide(order, { kind: 'due' }, at(600_010)));
  expect([order.status, order.cancelReason, order.paymentDueAt]).toEqual(['CANCELLING', 'EXPIRED', null]);
  expect(commands(decision)).toEqual(['orders.order.cancelled', 'catalog.release#1']);
  // A payment approved after the expiry is payments' to refund (it learns of the cancellation).
  expect(saga.decide(order, { kind: 'payment-approved', paymentId: randomUUID() }, at(600_011))).toEqual({
    ignored: 'payment approved for a CANCELLING order',
  });
});

it('survives failed payments until the last allowed, then cancels PAYMENT_FAILED', () => {
  let { order } = decide(newOrder(), { kind: 'start' });
  ({ order } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  let decision: SagaDecision;
  ({ order, decision } = decide(order, { kind: 'payment-failed', code: 'REJECT_CARD_PAYMENT' }));
  expect([order.status, order.paymentFailures, decision.messages]).toEqual(['AWAITING_PAYMENT', 1, []]);
  ({ order, decision } = decide(order, { kind: 'payment-failed', code: 'INSUFFICIENT_BALANCE' }));
  expect([order.status, order.cancelReason, order.lastPaymentFailure]).toEqual([
    'CANCELLING',
    'PAYMENT_FAILED',
    'INSUFFICIENT_BALANCE',
  ]);
  expect(commands(decision)).toEqual(['orders.order.cancelled', 'catalog.release#1']);
});

it('refunds a paid order cancelled before shipping, then undoes the steps and takes earned points back', () => {
  let { order } = decide(newOrder({ sale: true }), { kind: 'start' });
  ({ order } = decide(order, { kind: 'reply', participant: 'timesales', reply: saleReserved(order) }));
  ({ order } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  ({ order } = decide(order, { kind: 'payment-approved', paymentId: randomUUID() }));
  let decision: SagaDecision;
  ({ order, decision } = decide(order, { kind: 'cancel', reason: 'CANCELLED_BY_SHOPPER' }));
  expect([order.status, order.sagaStep]).toEqual(['REFUNDING', 'refund']);
  expect(commands(decision)).toEqual(['orders.order.cancelled']);
  // The earn reply arriving now is stale: the points undo takes whatever was earned back.
  expect(
    'ignored' in
      saga.decide(
        order,
        { kind: 'reply', participant: 'users', reply: reply(order, 'earn', 'DONE', { points: 1 }) },
        T0,
      ),
  ).toBe(true);
  ({ order, decision } = decide(order, { kind: 'refund-completed' }));
  expect(commands(decision)).toEqual(['users.refund#1']);
  ({ order } = decide(order, { kind: 'reply', participant: 'users', reply: reply(order, 'refund', 'DONE') }));
  ({ order } = decide(order, { kind: 'reply', participant: 'catalog', reply: reply(order, 'release', 'DONE') }));
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'timesales',
    reply: reply(order, 'release', 'DONE'),
  }));
  expect([order.status, order.cancelReason]).toEqual(['REFUNDED', 'CANCELLED_BY_SHOPPER']);
});

it('cancels a PENDING order by undoing the step in flight too; refuses to cancel a shipped one', () => {
  let { order, decision } = decide(newOrder({ sale: true }), { kind: 'start' });
  ({ order, decision } = decide(order, { kind: 'cancel', reason: 'CANCELLED_BY_SHOPPER' }));
  expect(commands(decision)).toEqual(['timesales.release#1']);
  expect(order.status).toBe('CANCELLING');

  const shipped: SagaOrder = { ...newOrder(), status: 'SHIPPING' };
  expect(() => saga.decide(shipped, { kind: 'cancel', reason: 'CANCELLED_BY_SHOPPER' }, T0)).toThrow(SagaRefusal);
});

it('pays nothing when coupon and points cover it all: PAID at once, nothing for payments, no points earned', () => {
  let { order, decision } = decide(newOrder({ points: 1_000_000 }), { kind: 'start' });
  ({ order, decision } = decide(order, { kind: 'reply', participant: 'catalog', reply: stockReserved(order) }));
  expect(decision.messages[0]).toEqual(expect.objectContaining({ data: { userId, points: 23_000 } }));
  ({ order, decision } = decide(order, {
    kind: 'reply',
    participant: 'users',
    reply: reply(order, 'use', 'DONE', { points: 23_000 }),
  }));
  expect([order.status, order.amountToPay, order.paymentId, order.sagaStep]).toEqual(['PAID', 0, null, null]);
  expect(decision.messages).toEqual([]);
});

it('ignores what does not fit: a second start, a reply from the wrong participant, a premature deadline', () => {
  const { order } = decide(newOrder(), { kind: 'start' });
  const checks: [SagaInput, Ignored['ignored']][] = [
    [{ kind: 'start' }, 'started'],
    [{ kind: 'reply', participant: 'timesales', reply: saleReserved(order) }, expect.stringContaining('stale')],
    [{ kind: 'due' }, 'not due'],
    [{ kind: 'refund-completed' }, expect.stringContaining('refund completed')],
  ];
  for (const [input, why] of checks) expect(saga.decide(order, input, T0)).toEqual({ ignored: why });
});

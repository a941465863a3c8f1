import { countDeadLetters, listDeadLetters } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  commandQueueOf,
  commandRoutingKey,
  SAGA_COMMAND_EXCHANGE,
  type SagaCommand,
  sagaReplySchema,
} from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import { type HeardMessage, overhear, testLogger } from '@radiata/testing';
import { z } from 'zod';
import {
  mergeItems,
  refusalReasonOf,
  type SaleProductCandidate,
  saleProductFor,
} from '../src/domain/stock/order-reservation-rules.js';
import { SAGA_PARTICIPANT } from '../src/messaging/saga-participant.js';
import { TIMESALES_EXCHANGE } from '../src/messaging/timesales-events.js';
import {
  createSale,
  eventually,
  HOUR,
  knownProduct,
  RABBITMQ_URL,
  type SaleView,
  saleProductInput,
  startTimesalesStack,
  type TimesalesStack,
  UPDATE_TIME_SALE_PRODUCT,
} from './support.js';

jest.setTimeout(60_000);

const QUEUE = commandQueueOf(SAGA_PARTICIPANT);

let stack: TimesalesStack;
let broker: Rabbit;
/** Replies the outbox relay published on `radiata.timesales`. */
let published: HeardMessage[] = [];

beforeAll(async () => {
  stack = await startTimesalesStack();
  broker = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'timesales-saga-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
  published = await overhear(broker, TIMESALES_EXCHANGE, 'timesales.saga.*');
});
afterAll(async () => {
  await broker.close();
  await stack.stop();
});
afterEach(() => stack.clock.set(undefined));

interface Offer {
  readonly timeSaleId: string;
  readonly productId: string;
  /** The TimeSaleProduct. */
  readonly id: string;
}

/** A sale of one product per entry of `products` (overrides of its terms), live on the stack clock. */
async function liveSale(products: Record<string, unknown>[]): Promise<{ sale: SaleView; offers: Offer[] }> {
  stack.clock.set(undefined);
  const known = await Promise.all(products.map(() => knownProduct(stack)));
  const sale = await createSale(stack, {
    products: known.map((product, index) => saleProductInput(product, products[index])),
  });
  stack.clock.set(new Date(new Date(sale.startAt).getTime() + 60_000));
  const offers = known.map((product) => {
    const offer = sale.products.find((saleProduct) => saleProduct.product.id === product.productId);
    if (!offer) throw new Error('the sale lacks a product it was created with');
    return { timeSaleId: sale.id, productId: product.productId, id: offer.id };
  });
  return { sale, offers };
}

const item = (offer: Offer, quantity = 1) => ({ timeSaleId: offer.timeSaleId, productId: offer.productId, quantity });
const ref = (offer: Offer) => ({ timeSaleId: offer.timeSaleId, productId: offer.productId });

/** Publishes a command as the orders outbox relay will: a messageId of its own, JSON, on `radiata.orders`. */
async function send(
  orderId: string,
  action: string,
  data: unknown,
  options: { attempt?: number; routingKeyAction?: string } = {},
): Promise<string> {
  const messageId = newId();
  const command: SagaCommand<unknown> = {
    orderId,
    action,
    attempt: options.attempt ?? 1,
    issuedAt: new Date().toISOString(),
    data,
  };
  const routingKey = commandRoutingKey(SAGA_PARTICIPANT, options.routingKeyAction ?? action);
  await broker.publish(SAGA_COMMAND_EXCHANGE, routingKey, command, { messageId });
  return messageId;
}

interface ReplyRow {
  id: string;
  exchange: string;
  routing_key: string;
  payload: Record<string, unknown>;
}

/** The order's replies in the timesales outbox, oldest first. */
const repliesOf = (orderId: string) =>
  stack.sql<ReplyRow>(
    `SELECT id::text, exchange, routing_key, payload FROM outbox_messages
     WHERE routing_key LIKE 'timesales.saga.%' AND payload->>'orderId' = $1 ORDER BY created_at, id`,
    orderId,
  );

/** Waits for the order's `count`-th reply and returns it. */
async function reply(orderId: string, count = 1): Promise<ReplyRow> {
  await eventually(async () => (await repliesOf(orderId)).length >= count);
  const replies = await repliesOf(orderId);
  expect(replies).toHaveLength(count);
  return replies[count - 1] as ReplyRow;
}

/** Sends a command and waits for its reply (the order's `count`-th). */
async function ask(
  orderId: string,
  action: string,
  data: unknown,
  options: { attempt?: number; count?: number } = {},
): Promise<ReplyRow> {
  await send(orderId, action, data, options);
  return reply(orderId, options.count ?? 1);
}

const reserve = (userId: string, items: ReturnType<typeof item>[]) => ({ userId, items });

/** What a sale product holds, in PostgreSQL and in Redis. */
async function held(offer: Offer) {
  const [row] = await stack.sql<{ sold: number; reserved: number }>(
    `SELECT p.sold_quantity AS sold,
            (SELECT coalesce(sum(quantity), 0)::int FROM sale_reservations r
              WHERE r.time_sale_product_id = p.id AND r.status = 'RESERVED') AS reserved
     FROM time_sale_products p WHERE p.id = $1::uuid`,
    offer.id,
  );
  return {
    postgresSold: row?.sold,
    postgresReserved: row?.reserved,
    redisSold: Number(await stack.redis.get(`${stack.prefix}{tsp:${offer.id}}:sold`)),
  };
}

const holding = (quantity: number) => ({ postgresSold: quantity, postgresReserved: quantity, redisSold: quantity });

const reservationsOf = (orderId: string) =>
  stack.sql<{ time_sale_product_id: string; quantity: number; discount_rate: number; status: string }>(
    `SELECT time_sale_product_id::text, quantity, discount_rate, status::text FROM sale_reservations
     WHERE order_id = $1::uuid ORDER BY time_sale_product_id`,
    orderId,
  );

const redisUserHolds = (offer: Offer, userId: string) =>
  stack.redis.hget(`${stack.prefix}{tsp:${offer.id}}:users`, userId);

const doneWith = (orderId: string, data: object, attempt = 1) => ({
  orderId,
  action: 'reserve',
  attempt,
  outcome: 'DONE',
  data,
  occurredAt: expect.any(String),
});

const refusedWith = (orderId: string, reason: string, data: object, attempt = 1) => ({
  orderId,
  action: 'reserve',
  attempt,
  outcome: 'REFUSED',
  reason,
  data,
  occurredAt: expect.any(String),
});

/** What orders reads from a reserve reply. */
const reservedReply = sagaReplySchema(
  z.union([
    z.object({
      items: z.array(
        z.object({
          timeSaleId: z.guid(),
          productId: z.guid(),
          timeSaleProductId: z.guid(),
          quantity: z.number().int(),
          discountRate: z.number().int(),
        }),
      ),
    }),
    z.object({ timeSaleId: z.guid(), productId: z.guid() }),
  ]),
);

describe('reserve', () => {
  it('reserves every item of the order and answers the rates it reserved at, the same to a resend after a rate went up', async () => {
    const { offers } = await liveSale([{ discountRate: 20 }, { discountRate: 35 }]);
    const [first, second] = offers as [Offer, Offer];
    const orderId = newId();
    const userId = newId();
    const command = reserve(userId, [item(first, 2), item(second)]);
    const answered = await ask(orderId, 'reserve', command);

    const items = [
      { ...ref(first), timeSaleProductId: first.id, quantity: 2, discountRate: 20 },
      { ...ref(second), timeSaleProductId: second.id, quantity: 1, discountRate: 35 },
    ];
    expect(answered).toMatchObject({ exchange: TIMESALES_EXCHANGE, routing_key: 'timesales.saga.reserved' });
    expect(answered.payload).toEqual(doneWith(orderId, { items }));
    expect(reservedReply.parse(answered.payload).data).toEqual({ items });
    expect(await held(first)).toEqual(holding(2));
    expect(await held(second)).toEqual(holding(1));
    expect(await redisUserHolds(first, userId)).toBe('2');

    // The relay publishes the reply on radiata.timesales, with the outbox row's id as its messageId.
    await eventually(() => published.some((message) => message.payload.orderId === orderId));
    expect(published.filter((message) => message.payload.orderId === orderId)).toEqual([
      {
        routingKey: 'timesales.saga.reserved',
        messageId: answered.id,
        correlationId: orderId,
        payload: answered.payload,
      },
    ]);

    // The sale's manager raises the first product's rate while the sale runs.
    const raised = await stack.call(stack.admin, UPDATE_TIME_SALE_PRODUCT, {
      id: first.id,
      input: { discountRate: 30 },
    });
    expect(raised.errors).toBeUndefined();

    // Orders resends the command (no reply in time): the same answer, nothing reserved twice.
    const resent = await ask(orderId, 'reserve', command, { attempt: 2, count: 2 });
    expect(resent.payload).toEqual(doneWith(orderId, { items }, 2));
    expect(await held(first)).toEqual(holding(2));
    expect(await held(second)).toEqual(holding(1));
    expect(await reservationsOf(orderId)).toEqual(
      [
        { time_sale_product_id: first.id, quantity: 2, discount_rate: 20, status: 'RESERVED' },
        { time_sale_product_id: second.id, quantity: 1, discount_rate: 35, status: 'RESERVED' },
      ].sort((a, b) => a.time_sale_product_id.localeCompare(b.time_sale_product_id)),
    );

    // A new order gets the new rate.
    const next = newId();
    const nextAnswer = await ask(next, 'reserve', reserve(newId(), [item(first)]));
    expect(nextAnswer.payload).toEqual(
      doneWith(next, { items: [{ ...ref(first), timeSaleProductId: first.id, quantity: 1, discountRate: 30 }] }),
    );
  });

  it('counts lines naming the same sale product as one', async () => {
    const { offers } = await liveSale([{ perUserLimit: 3 }]);
    const [offer] = offers as [Offer];
    const orderId = newId();
    const answered = await ask(orderId, 'reserve', reserve(newId(), [item(offer, 1), item(offer, 2)]));
    expect(answered.payload).toEqual(
      doneWith(orderId, { items: [{ ...ref(offer), timeSaleProductId: offer.id, quantity: 3, discountRate: 20 }] }),
    );
    expect(await held(offer)).toEqual(holding(3));
  });
});

describe('a refused reserve holds nothing', () => {
  it('SALE_SOLD_OUT: gives back the items before the one that failed, in Redis and PostgreSQL, and a resend gets the same answer', async () => {
    const { offers } = await liveSale([{ totalQuantity: 10 }, { totalQuantity: 2 }]);
    const [first, second] = offers as [Offer, Offer];
    const userId = newId();
    const orderId = newId();
    const command = reserve(userId, [item(first, 2), item(second, 3)]);
    const answered = await ask(orderId, 'reserve', command);
    expect(answered.payload).toEqual(refusedWith(orderId, 'SALE_SOLD_OUT', ref(second)));
    expect(await held(first)).toEqual(holding(0));
    expect(await held(second)).toEqual(holding(0));
    expect(await redisUserHolds(first, userId)).toBeNull();
    expect(await reservationsOf(orderId)).toEqual([
      { time_sale_product_id: first.id, quantity: 2, discount_rate: 20, status: 'RELEASED' },
    ]);

    // A resend answers the refusal it got, not ALREADY_RELEASED, and takes nothing.
    const resent = await ask(orderId, 'reserve', command, { attempt: 2, count: 2 });
    expect(resent.payload).toEqual(refusedWith(orderId, 'SALE_SOLD_OUT', ref(second), 2));
    expect(await held(first)).toEqual(holding(0));

    // Orders compensates anyway: nothing is left to give back, and the refusal stays.
    const released = await ask(orderId, 'release', {}, { count: 3 });
    expect(released.payload).toMatchObject({ outcome: 'DONE', data: { released: 1 } });
    expect(await held(first)).toEqual(holding(0));
    const late = await ask(orderId, 'reserve', command, { attempt: 3, count: 4 });
    expect(late.payload).toEqual(refusedWith(orderId, 'SALE_SOLD_OUT', ref(second), 3));

    // The quantity is free for others; a sold-out product refuses the same way.
    const other = newId();
    expect((await ask(other, 'reserve', reserve(newId(), [item(second, 2)]))).payload).toMatchObject({
      outcome: 'DONE',
    });
    const late2 = newId();
    expect((await ask(late2, 'reserve', reserve(newId(), [item(second)]))).payload).toEqual(
      refusedWith(late2, 'SALE_SOLD_OUT', ref(second)),
    );
    expect(await held(second)).toEqual(holding(2));
  });

  it('SALE_NOT_LIVE: a sale that has not started', async () => {
    stack.clock.set(undefined);
    const later = await knownProduct(stack);
    const scheduled = await createSale(stack, {
      startInMs: 5 * HOUR,
      endInMs: 6 * HOUR,
      products: [saleProductInput(later)],
    });
    const notYet: Offer = {
      timeSaleId: scheduled.id,
      productId: later.productId,
      id: scheduled.products[0]?.id as string,
    };
    const { offers } = await liveSale([{}]);
    const [live] = offers as [Offer];
    const orderId = newId();
    const answered = await ask(orderId, 'reserve', reserve(newId(), [item(live), item(notYet)]));
    expect(answered.payload).toEqual(refusedWith(orderId, 'SALE_NOT_LIVE', ref(notYet)));
    expect(await held(live)).toEqual(holding(0));
    expect(await held(notYet)).toEqual(holding(0));
  });

  it('NOT_IN_SALE: an unknown sale, a sale without that product, or one the catalog deleted', async () => {
    const { offers } = await liveSale([{}, {}]);
    const [live, deleted] = offers as [Offer, Offer];
    const elsewhere = await knownProduct(stack);

    const unknownSale = newId();
    const noSuchSale = { timeSaleId: newId(), productId: live.productId };
    expect((await ask(unknownSale, 'reserve', reserve(newId(), [{ ...noSuchSale, quantity: 1 }]))).payload).toEqual(
      refusedWith(unknownSale, 'NOT_IN_SALE', noSuchSale),
    );

    const orderId = newId();
    const notHeld = { timeSaleId: live.timeSaleId, productId: elsewhere.productId };
    const answered = await ask(orderId, 'reserve', reserve(newId(), [item(live, 2), { ...notHeld, quantity: 1 }]));
    expect(answered.payload).toEqual(refusedWith(orderId, 'NOT_IN_SALE', notHeld));
    expect(await held(live)).toEqual(holding(0));
    expect(await reservationsOf(orderId)).toEqual([
      { time_sale_product_id: live.id, quantity: 2, discount_rate: 20, status: 'RELEASED' },
    ]);

    // Deleting a product in the catalog withdraws it from its sale; an order holding it already keeps it.
    const holder = newId();
    const holderCommand = reserve(newId(), [item(deleted)]);
    expect((await ask(holder, 'reserve', holderCommand)).payload).toMatchObject({ outcome: 'DONE' });
    await stack.services.catalogProjection.apply({
      messageId: newId(),
      routingKey: 'catalog.product.deleted',
      payload: { productId: deleted.productId, brandId: newId(), version: 2 },
    });
    const withdrawn = newId();
    expect((await ask(withdrawn, 'reserve', reserve(newId(), [item(deleted)]))).payload).toEqual(
      refusedWith(withdrawn, 'NOT_IN_SALE', ref(deleted)),
    );
    expect((await ask(holder, 'reserve', holderCommand, { attempt: 2, count: 2 })).payload).toMatchObject({
      outcome: 'DONE',
      attempt: 2,
    });
    expect(await held(deleted)).toEqual(holding(1));
  });

  it('PER_USER_LIMIT: the shopper already holds their limit', async () => {
    const { offers } = await liveSale([{ perUserLimit: 2 }, {}]);
    const [limited, free] = offers as [Offer, Offer];
    const userId = newId();
    expect((await ask(newId(), 'reserve', reserve(userId, [item(limited, 2)]))).payload).toMatchObject({
      outcome: 'DONE',
    });
    const orderId = newId();
    const answered = await ask(orderId, 'reserve', reserve(userId, [item(free, 4), item(limited)]));
    expect(answered.payload).toEqual(refusedWith(orderId, 'PER_USER_LIMIT', ref(limited)));
    expect(await held(limited)).toEqual(holding(2));
    expect(await held(free)).toEqual(holding(0));
    expect(await redisUserHolds(limited, userId)).toBe('2');
    expect(await redisUserHolds(free, userId)).toBeNull();
  });
});

describe('release', () => {
  it('gives back what the order holds once, answers the same to a resend, and refuses a late reserve', async () => {
    const { offers } = await liveSale([{}, {}]);
    const [first, second] = offers as [Offer, Offer];
    // Another order holds some of the first product all along.
    expect((await ask(newId(), 'reserve', reserve(newId(), [item(first, 3)]))).payload).toMatchObject({
      outcome: 'DONE',
    });
    const orderId = newId();
    const userId = newId();
    const command = reserve(userId, [item(first, 2), item(second, 1)]);
    expect((await ask(orderId, 'reserve', command)).payload).toMatchObject({ outcome: 'DONE' });
    expect(await held(first)).toEqual(holding(5));

    const released = await ask(orderId, 'release', {}, { count: 2 });
    expect(released.routing_key).toBe('timesales.saga.released');
    expect(released.payload).toEqual({
      orderId,
      action: 'release',
      attempt: 1,
      outcome: 'DONE',
      data: { released: 2 },
      occurredAt: expect.any(String),
    });
    expect(await held(first)).toEqual(holding(3));
    expect(await held(second)).toEqual(holding(0));
    expect(await redisUserHolds(first, userId)).toBeNull();

    const again = await ask(orderId, 'release', {}, { attempt: 2, count: 3 });
    expect(again.payload).toMatchObject({ attempt: 2, outcome: 'DONE', data: { released: 2 } });
    expect(await held(first)).toEqual(holding(3));
    expect(await held(second)).toEqual(holding(0));

    const late = await ask(orderId, 'reserve', command, { attempt: 2, count: 4 });
    expect(late.payload).toEqual(refusedWith(orderId, 'ALREADY_RELEASED', ref(first), 2));
    expect(await held(first)).toEqual(holding(3));
    expect(await held(second)).toEqual(holding(0));
  });

  it('of an order that never reserved: nothing given back, and its reserve arriving later is refused ALREADY_RELEASED', async () => {
    const { offers } = await liveSale([{}, {}]);
    const [first, second] = offers as [Offer, Offer];
    const orderId = newId();
    const released = await ask(orderId, 'release', {});
    expect(released.payload).toMatchObject({ outcome: 'DONE', data: { released: 0 } });

    const late = await ask(orderId, 'reserve', reserve(newId(), [item(first), item(second)]), { count: 2 });
    expect(late.payload).toEqual(refusedWith(orderId, 'ALREADY_RELEASED', ref(first)));
    expect(await held(first)).toEqual(holding(0));
    expect(await held(second)).toEqual(holding(0));
    expect(await reservationsOf(orderId)).toEqual([]);
  });
});

describe('after a crash', () => {
  it('finishes a refusal whose holdings were not given back yet when the command comes again', async () => {
    const { offers } = await liveSale([{}, { totalQuantity: 1 }]);
    const [first, second] = offers as [Offer, Offer];
    const orderId = newId();
    const userId = newId();
    // The first item was reserved and the refusal of the second stored; the process died before giving the first back.
    await stack.services.saleStock.reserve({ orderId, userId, timeSaleProductId: first.id, quantity: 2 });
    await stack.sql(
      `INSERT INTO released_orders (order_id, refusal, refused_time_sale_id, refused_product_id)
       VALUES ($1::uuid, 'SALE_SOLD_OUT', $2::uuid, $3::uuid)`,
      orderId,
      second.timeSaleId,
      second.productId,
    );
    expect(await held(first)).toEqual(holding(2));

    const answered = await ask(orderId, 'reserve', reserve(userId, [item(first, 2), item(second, 2)]), { attempt: 2 });
    expect(answered.payload).toEqual(refusedWith(orderId, 'SALE_SOLD_OUT', ref(second), 2));
    expect(await held(first)).toEqual(holding(0));
    expect(await redisUserHolds(first, userId)).toBeNull();
  });

  it('retries, rather than refuses, a reserve of a live sale product whose Redis state was lost, until it is restored', async () => {
    const { offers } = await liveSale([{}]);
    const [offer] = offers as [Offer];
    const keys = ['meta', 'sold', 'orders', 'users'].map((name) => `${stack.prefix}{tsp:${offer.id}}:${name}`);
    await stack.redis.del(...keys);
    const orderId = newId();
    const userId = newId();
    await expect(stack.services.orderReservations.reserve(orderId, userId, [item(offer)])).rejects.toThrow(
      /Redis has no state for sale product/,
    );
    expect(await stack.sql('SELECT 1 FROM released_orders WHERE order_id = $1::uuid', orderId)).toEqual([]);

    // A replica's start-up reconciliation restores it; the command then succeeds.
    const replica = await stack.startReplica();
    await replica.stop();
    const answered = await ask(orderId, 'reserve', reserve(userId, [item(offer)]));
    expect(answered.payload).toMatchObject({ outcome: 'DONE' });
    expect(await held(offer)).toEqual(holding(1));
  });
});

it('dead-letters commands it cannot read, and goes on answering', async () => {
  const { offers } = await liveSale([{}]);
  const [offer] = offers as [Offer];
  const unreadable = newId();
  const invalid = [
    await send(unreadable, 'reserve', reserve(newId(), [])),
    await send(
      unreadable,
      'reserve',
      reserve(
        newId(),
        Array.from({ length: 51 }, () => item(offer)),
      ),
    ),
    await send(unreadable, 'reserve', reserve(newId(), [item(offer, 0)])),
    await send(unreadable, 'reserve', reserve('not-a-uuid', [item(offer)])),
    await send(unreadable, 'reserve', { items: [item(offer)] }),
    await send(unreadable, 'reserve', reserve(newId(), [{ ...item(offer), timeSaleId: 'sale-1' }])),
    await send(unreadable, 'reserve', reserve(newId(), [item(offer)]), { attempt: 0 }),
    await send(unreadable, 'explode', {}),
    await send(unreadable, 'release', {}, { routingKeyAction: 'reserve' }),
  ];
  const orderId = newId();
  expect((await ask(orderId, 'reserve', reserve(newId(), [item(offer)]))).payload).toMatchObject({ outcome: 'DONE' });

  const target = { url: RABBITMQ_URL, namespace: stack.namespace.rabbitmq };
  await eventually(async () => (await countDeadLetters(target, [QUEUE]))[0]?.depth === invalid.length);
  const { deadLetters } = await listDeadLetters(target, QUEUE);
  expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...invalid].sort());
  expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(invalid.map(() => 'rejected'));
  expect(await repliesOf(unreadable)).toEqual([]);
  expect(await reservationsOf(unreadable)).toEqual([]);
  expect(await held(offer)).toEqual(holding(1));
});

it('sells exactly 100 of 100 to 400 orders sent at once: 100 DONE, 300 SALE_SOLD_OUT, PostgreSQL and Redis agreeing', async () => {
  const { offers } = await liveSale([{ totalQuantity: 100 }]);
  const [offer] = offers as [Offer];
  const orders = Array.from({ length: 400 }, () => ({ orderId: newId(), userId: newId() }));
  await Promise.all(orders.map(({ orderId, userId }) => send(orderId, 'reserve', reserve(userId, [item(offer)]))));

  const orderIds = orders.map((order) => order.orderId);
  const replies = () =>
    stack.sql<{ payload: { orderId: string; outcome: string; reason?: string; data: unknown } }>(
      `SELECT payload FROM outbox_messages
       WHERE routing_key = 'timesales.saga.reserved' AND payload->>'orderId' = ANY($1::text[])`,
      orderIds,
    );
  await eventually(async () => (await replies()).length === orders.length, 150_000);

  const answers = (await replies()).map((row) => row.payload);
  const done = answers.filter((answer) => answer.outcome === 'DONE');
  const refused = answers.filter((answer) => answer.outcome === 'REFUSED');
  expect(new Set(answers.map((answer) => answer.orderId)).size).toBe(400);
  expect(done).toHaveLength(100);
  expect(refused).toHaveLength(300);
  expect(new Set(refused.map((answer) => answer.reason))).toEqual(new Set(['SALE_SOLD_OUT']));
  for (const answer of done) {
    expect(answer.data).toEqual({
      items: [{ ...ref(offer), timeSaleProductId: offer.id, quantity: 1, discountRate: 20 }],
    });
  }
  expect(await held(offer)).toEqual(holding(100));
  const reserved = await stack.sql<{ order_id: string }>(
    `SELECT order_id::text FROM sale_reservations WHERE time_sale_product_id = $1::uuid AND status = 'RESERVED'`,
    offer.id,
  );
  expect(reserved.map((row) => row.order_id).sort()).toEqual(done.map((answer) => answer.orderId).sort());
}, 240_000);

describe('the rules', () => {
  const timeSaleId = newId();
  const productId = newId();
  const now = new Date('2030-01-01T12:00:00Z');
  const candidate = (hours: [number, number], more: Partial<SaleProductCandidate> = {}): SaleProductCandidate => ({
    id: newId(),
    timeSaleId,
    productId,
    window: {
      startAt: new Date(now.getTime() + hours[0] * HOUR),
      endAt: new Date(now.getTime() + hours[1] * HOUR),
    },
    withdrawn: false,
    heldByOrder: false,
    ...more,
  });

  it('picks the sale product the order holds, else the one selling now, never one withdrawn', () => {
    const ended = candidate([-3, -1]);
    const selling = candidate([-1, 1]);
    const next = candidate([1, 2]);
    const item = { timeSaleId, productId };
    expect(saleProductFor(item, [ended, next, selling], now)).toBe(selling);
    expect(saleProductFor(item, [ended, next], now)).toBe(ended);
    expect(saleProductFor(item, [{ ...selling, withdrawn: true }, next], now)).toBe(next);
    expect(saleProductFor(item, [{ ...selling, withdrawn: true }], now)).toBeUndefined();
    const held = { ...ended, heldByOrder: true, withdrawn: true };
    expect(saleProductFor(item, [selling, held], now)).toBe(held);
    expect(saleProductFor({ timeSaleId: newId(), productId }, [selling], now)).toBeUndefined();
  });

  it('adds up lines naming the same sale product, in the order they first appear', () => {
    const [a, b] = [newId(), newId()];
    expect(
      mergeItems([
        { timeSaleId, productId: a, quantity: 1 },
        { timeSaleId, productId: b, quantity: 2 },
        { timeSaleId, productId: a, quantity: 3 },
      ]),
    ).toEqual([
      { timeSaleId, productId: a, quantity: 4 },
      { timeSaleId, productId: b, quantity: 2 },
    ]);
  });

  it.each([
    ['SOLD_OUT', 'SALE_SOLD_OUT'],
    ['INSUFFICIENT_QUANTITY', 'SALE_SOLD_OUT'],
    ['NOT_STARTED', 'SALE_NOT_LIVE'],
    ['ENDED', 'SALE_NOT_LIVE'],
    ['LIMIT_EXCEEDED', 'PER_USER_LIMIT'],
    ['ALREADY_RELEASED', 'ALREADY_RELEASED'],
    ['NOT_FOUND', 'NOT_IN_SALE'],
  ] as const)('answers a sale product %s as %s', (outcome, reason) => {
    expect(refusalReasonOf(outcome)).toBe(reason);
  });
});

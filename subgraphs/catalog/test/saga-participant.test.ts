import { countDeadLetters, listDeadLetters } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  commandQueueOf,
  commandRoutingKey,
  participantExchange,
  SAGA_COMMAND_EXCHANGE,
  type SagaCommand,
  sagaReplySchema,
} from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import { eventually, type HeardMessage, overhear, testLogger } from '@radiata/testing';
import { z } from 'zod';
import { SAGA_PARTICIPANT } from '../src/messaging/saga-participant.js';
import { admin, type CatalogStack, newProduct, startCatalog } from './support.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const QUEUE = commandQueueOf(SAGA_PARTICIPANT);

let catalog: CatalogStack;
/** Plays the orders subgraph: publishes commands, hears the replies the catalog's relay publishes. */
let orders: Rabbit;
let heard: HeardMessage[] = [];

beforeAll(async () => {
  catalog = await startCatalog();
  orders = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'catalog-saga-test',
    logger: testLogger('rabbit'),
    namespace: catalog.namespace.rabbitmq,
  });
  heard = await overhear(orders, participantExchange(SAGA_PARTICIPANT), 'catalog.saga.*');
});
afterAll(async () => {
  await orders.close();
  await catalog.stop();
});

const command = (orderId: string, action: string, data: object, attempt = 1): SagaCommand<object> => ({
  orderId,
  action,
  attempt,
  issuedAt: new Date().toISOString(),
  data,
});

/** Publishes a command as the orders outbox relay will: its own messageId, on `radiata.orders`. */
async function send(
  sent: SagaCommand<object>,
  options: { messageId?: string; routingKeyAction?: string } = {},
): Promise<string> {
  const messageId = options.messageId ?? newId();
  const routingKey = commandRoutingKey(SAGA_PARTICIPANT, options.routingKeyAction ?? sent.action);
  await orders.publish(SAGA_COMMAND_EXCHANGE, routingKey, sent, { messageId });
  return messageId;
}

interface ReplyRow {
  id: string;
  exchange: string;
  routing_key: string;
  payload: Record<string, unknown>;
}

/** The replies the catalog committed to its outbox for an order, by attempt. */
const repliesOf = (orderId: string) =>
  catalog.sql<ReplyRow>(
    `SELECT id::text, exchange, routing_key, payload FROM outbox_messages
      WHERE routing_key LIKE 'catalog.saga.%' AND payload->>'orderId' = $1
      ORDER BY (payload->>'attempt')::int, created_at`,
    orderId,
  );

const replyCount = (orderId: string, count: number) => async () => (await repliesOf(orderId)).length === count;

const handled = (messageId: string) => async () =>
  (await catalog.sql('SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2', QUEUE, messageId))
    .length === 1;

const stockOf = async (productId: string) =>
  catalog.services.db.product.findUniqueOrThrow({ where: { id: productId }, select: { stock: true, status: true } });

const reservationsOf = (orderId: string) =>
  catalog.services.db.stockReservation.findMany({
    where: { orderId },
    select: { productId: true, quantity: true, status: true, price: true, discountAmount: true },
    orderBy: { productId: 'asc' },
  });

const ownerOf = async (brandId: string) =>
  (await catalog.services.db.brand.findUniqueOrThrow({ where: { id: brandId } })).ownerId;

/** What orders will read from a reserve's DONE reply. */
const reservedData = z.object({
  items: z.array(
    z.object({
      productId: z.string(),
      brandId: z.string(),
      sellerId: z.string(),
      price: z.number().int(),
      discountAmount: z.number().int(),
      quantity: z.number().int(),
    }),
  ),
});

const outcomes = (rows: readonly ReplyRow[]) =>
  rows.map((row) => [row.routing_key, row.payload.attempt, row.payload.outcome, row.payload.reason, row.payload.data]);

it('reserves an order with the prices of the moment, and answers a resend from what it stored', async () => {
  const shoe = await newProduct(catalog.services, 10, { price: 89_000, discountAmount: 9_000 });
  const cap = await newProduct(catalog.services, 5, { price: 25_000 });
  const orderId = newId();
  const reserve = command(orderId, 'reserve', {
    items: [
      { productId: shoe.id, quantity: 1 },
      { productId: cap.id, quantity: 2 },
      { productId: shoe.id, quantity: 1 },
    ],
  });
  const first = await send(reserve);
  await eventually(replyCount(orderId, 1));

  const items = [
    {
      productId: shoe.id,
      brandId: shoe.brandId,
      sellerId: await ownerOf(shoe.brandId),
      price: 89_000,
      discountAmount: 9_000,
      quantity: 2,
    },
    {
      productId: cap.id,
      brandId: cap.brandId,
      sellerId: await ownerOf(cap.brandId),
      price: 25_000,
      discountAmount: 0,
      quantity: 2,
    },
  ];
  const [reply] = await repliesOf(orderId);
  expect(reply).toEqual({
    id: expect.any(String),
    exchange: 'radiata.catalog',
    routing_key: 'catalog.saga.reserved',
    payload: {
      orderId,
      action: 'reserve',
      attempt: 1,
      outcome: 'DONE',
      data: { items },
      occurredAt: expect.any(String),
    },
  });
  expect(sagaReplySchema(reservedData).parse(reply?.payload).data.items).toEqual(items);
  expect(await stockOf(shoe.id)).toEqual({ stock: 8, status: 'ON_SALE' });
  expect(await stockOf(cap.id)).toEqual({ stock: 3, status: 'ON_SALE' });

  // The relay publishes the reply to radiata.catalog, under its outbox row's id.
  await eventually(() => heard.some((message) => message.payload.orderId === orderId));
  expect(heard.filter((message) => message.payload.orderId === orderId)).toEqual([
    { routingKey: 'catalog.saga.reserved', messageId: reply?.id, correlationId: orderId, payload: reply?.payload },
  ]);

  // The price changes, and the broker redelivers the command: the inbox skips it.
  await catalog.services.products.update(admin, shoe.id, { price: 99_000, discountAmount: 0 });
  await send(reserve, { messageId: first });
  // Orders resends it (no reply in time): a new message, the next attempt, the same answer.
  const resent = await send({ ...reserve, attempt: 2 });
  await eventually(handled(resent));
  const replies = await repliesOf(orderId);
  expect(outcomes(replies)).toEqual([
    ['catalog.saga.reserved', 1, 'DONE', undefined, { items }],
    ['catalog.saga.reserved', 2, 'DONE', undefined, { items }],
  ]);
  expect((await stockOf(shoe.id)).stock).toBe(8);
  expect((await stockOf(cap.id)).stock).toBe(3);
  const reservations = await reservationsOf(orderId);
  expect(reservations).toHaveLength(2);
  expect(reservations).toEqual(
    expect.arrayContaining([
      { productId: shoe.id, quantity: 2, status: 'RESERVED', price: 89_000, discountAmount: 9_000 },
      { productId: cap.id, quantity: 2, status: 'RESERVED', price: 25_000, discountAmount: 0 },
    ]),
  );
});

it('refuses an order with an item out of stock, says which, and holds nothing of the others', async () => {
  // Product ids sort by creation: the plentiful product is taken first, then the scarce one fails.
  const plenty = await newProduct(catalog.services, 10);
  const scarce = await newProduct(catalog.services, 1);
  expect(plenty.id < scarce.id).toBe(true);
  const orderId = newId();
  const reserve = command(orderId, 'reserve', {
    items: [
      { productId: plenty.id, quantity: 3 },
      { productId: scarce.id, quantity: 2 },
    ],
  });
  await send(reserve);
  await eventually(replyCount(orderId, 1));
  const [reply] = await repliesOf(orderId);
  expect(reply?.routing_key).toBe('catalog.saga.reserved');
  expect(reply?.payload).toEqual({
    orderId,
    action: 'reserve',
    attempt: 1,
    outcome: 'REFUSED',
    reason: 'OUT_OF_STOCK',
    data: { productId: scarce.id },
    occurredAt: expect.any(String),
  });
  expect(sagaReplySchema(z.object({ productId: z.string() })).parse(reply?.payload).reason).toBe('OUT_OF_STOCK');
  expect(await stockOf(plenty.id)).toEqual({ stock: 10, status: 'ON_SALE' });
  expect(await stockOf(scarce.id)).toEqual({ stock: 1, status: 'ON_SALE' });
  expect(await reservationsOf(orderId)).toEqual([]);
  // Nothing was announced either: the item taken first was rolled back with its event.
  const events = await catalog.sql(
    `SELECT 1 FROM outbox_messages WHERE routing_key = 'catalog.product.stock-changed' AND payload->>'orderId' = $1`,
    orderId,
  );
  expect(events).toEqual([]);

  // Stock comes back, then orders resends: the order was refused, and stays refused.
  await catalog.services.products.adjustStock(admin, scarce.id, 5);
  await send({ ...reserve, attempt: 2 });
  await eventually(replyCount(orderId, 2));
  expect(outcomes(await repliesOf(orderId))).toEqual([
    ['catalog.saga.reserved', 1, 'REFUSED', 'OUT_OF_STOCK', { productId: scarce.id }],
    ['catalog.saga.reserved', 2, 'REFUSED', 'OUT_OF_STOCK', { productId: scarce.id }],
  ]);
  expect((await stockOf(plenty.id)).stock).toBe(10);
  expect((await stockOf(scarce.id)).stock).toBe(6);
  expect(await reservationsOf(orderId)).toEqual([]);
});

it('refuses unknown, deleted and hidden products as PRODUCT_NOT_FOUND and changes nothing', async () => {
  const available = await newProduct(catalog.services, 4);
  const hidden = await newProduct(catalog.services, 4);
  await catalog.services.products.update(admin, hidden.id, { status: 'HIDDEN' });
  const deleted = await newProduct(catalog.services, 4);
  await catalog.services.products.delete(admin, deleted.id);
  const unknown = newId();

  const orders = [unknown, hidden.id, deleted.id].map((productId) => ({ orderId: newId(), productId }));
  for (const { orderId, productId } of orders) {
    await send(
      command(orderId, 'reserve', {
        items: [
          { productId: available.id, quantity: 1 },
          { productId, quantity: 1 },
        ],
      }),
    );
  }
  for (const { orderId, productId } of orders) {
    await eventually(replyCount(orderId, 1));
    expect(outcomes(await repliesOf(orderId))).toEqual([
      ['catalog.saga.reserved', 1, 'REFUSED', 'PRODUCT_NOT_FOUND', { productId }],
    ]);
    expect(await reservationsOf(orderId)).toEqual([]);
  }
  expect(await stockOf(available.id)).toEqual({ stock: 4, status: 'ON_SALE' });
  expect(await stockOf(hidden.id)).toEqual({ stock: 4, status: 'HIDDEN' });
});

it('gives an order its stock back once, however often the release comes, and refuses a late reserve', async () => {
  const product = await newProduct(catalog.services, 2);
  const orderId = newId();
  const reserve = command(orderId, 'reserve', { items: [{ productId: product.id, quantity: 2 }] });
  await send(reserve);
  await eventually(replyCount(orderId, 1));
  expect(await stockOf(product.id)).toEqual({ stock: 0, status: 'SOLD_OUT' });

  const release = command(orderId, 'release', {});
  const first = await send(release);
  await eventually(replyCount(orderId, 2));
  await send(release, { messageId: first }); // redelivered: skipped
  await send({ ...release, attempt: 2 }); // resent: answered again, the same
  await eventually(replyCount(orderId, 3));
  // A copy of the reserve command still in retry arrives after the compensation.
  const late = await send({ ...reserve, attempt: 2 });
  await eventually(handled(late));

  const replies = await repliesOf(orderId);
  expect(replies.map((row) => row.exchange)).toEqual(replies.map(() => 'radiata.catalog'));
  expect(outcomes(replies)).toEqual([
    ['catalog.saga.reserved', 1, 'DONE', undefined, expect.objectContaining({ items: expect.any(Array) })],
    ['catalog.saga.released', 1, 'DONE', undefined, { released: 1 }],
    ['catalog.saga.released', 2, 'DONE', undefined, { released: 1 }],
    ['catalog.saga.reserved', 2, 'REFUSED', 'ALREADY_RELEASED', {}],
  ]);
  expect(await stockOf(product.id)).toEqual({ stock: 2, status: 'ON_SALE' });
  expect(await reservationsOf(orderId)).toEqual([
    { productId: product.id, quantity: 2, status: 'RELEASED', price: 129_000, discountAmount: 0 },
  ]);
});

it('releases an order it never reserved for, and then refuses that order ALREADY_RELEASED', async () => {
  const product = await newProduct(catalog.services, 3);
  const orderId = newId();
  // The compensation overtakes the reserve command (orders timed the step out).
  await send(command(orderId, 'release', {}));
  await eventually(replyCount(orderId, 1));
  await send(command(orderId, 'reserve', { items: [{ productId: product.id, quantity: 1 }] }));
  await eventually(replyCount(orderId, 2));

  expect(outcomes(await repliesOf(orderId))).toEqual([
    ['catalog.saga.released', 1, 'DONE', undefined, { released: 0 }],
    ['catalog.saga.reserved', 1, 'REFUSED', 'ALREADY_RELEASED', {}],
  ]);
  expect(await stockOf(product.id)).toEqual({ stock: 3, status: 'ON_SALE' });
  expect(await reservationsOf(orderId)).toEqual([]);
});

it('dead-letters commands it cannot read, and goes on answering', async () => {
  const product = await newProduct(catalog.services, 5);
  const item = { productId: product.id, quantity: 1 };
  const unreadable = newId();
  const invalid = [
    await send(command(unreadable, 'reserve', { items: [{ ...item, quantity: 0 }] })),
    await send(command(unreadable, 'reserve', { items: [{ ...item, productId: 'not-a-uuid' }] })),
    await send(command(unreadable, 'reserve', { items: [{ ...item, quantity: 1.5 }] })),
    await send(command(unreadable, 'reserve', { items: [] })),
    await send(command(unreadable, 'reserve', { items: Array.from({ length: 51 }, () => item) })),
    await send(command(unreadable, 'reserve', {})),
    await send({ ...command(unreadable, 'reserve', { items: [item] }), orderId: 'not-a-uuid' }),
    await send(command(unreadable, 'restock', {})),
    await send(command(unreadable, 'release', {}), { routingKeyAction: 'reserve' }),
  ];
  const orderId = newId();
  await send(command(orderId, 'reserve', { items: [item] }));
  await eventually(replyCount(orderId, 1));

  const broker = { url: RABBITMQ_URL, namespace: catalog.namespace.rabbitmq };
  await eventually(async () => (await countDeadLetters(broker, [QUEUE]))[0]?.depth === invalid.length);
  const { deadLetters } = await listDeadLetters(broker, QUEUE);
  expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...invalid].sort());
  expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(invalid.map(() => 'rejected'));
  // None of them did anything or answered.
  expect(await repliesOf(unreadable)).toEqual([]);
  expect(await reservationsOf(unreadable)).toEqual([]);
  expect(await catalog.services.db.releasedOrder.findUnique({ where: { orderId: unreadable } })).toBeNull();
  expect((await stockOf(product.id)).stock).toBe(4);
});

it('lets exactly 100 of 300 orders sent at once reserve a stock of 100', async () => {
  const product = await newProduct(catalog.services, 100);
  const orderIds = Array.from({ length: 300 }, () => newId());
  await Promise.all(
    orderIds.map((orderId) => send(command(orderId, 'reserve', { items: [{ productId: product.id, quantity: 1 }] }))),
  );
  const replies = async () =>
    catalog.sql<{ outcome: string; reason: string | null }>(
      `SELECT payload->>'outcome' AS outcome, payload->>'reason' AS reason FROM outbox_messages
        WHERE routing_key = 'catalog.saga.reserved' AND payload->>'orderId' = ANY($1::text[])`,
      orderIds,
    );
  await eventually(async () => (await replies()).length === 300, 120_000);

  const answered = await replies();
  expect(answered.filter((reply) => reply.outcome === 'DONE')).toHaveLength(100);
  expect(answered.filter((reply) => reply.outcome === 'REFUSED' && reply.reason === 'OUT_OF_STOCK')).toHaveLength(200);
  expect(await stockOf(product.id)).toEqual({ stock: 0, status: 'SOLD_OUT' });
  expect(
    await catalog.services.db.stockReservation.count({ where: { productId: product.id, status: 'RESERVED' } }),
  ).toBe(100);
  expect(await catalog.services.db.stockRefusal.count({ where: { orderId: { in: orderIds } } })).toBe(200);
}, 180_000);

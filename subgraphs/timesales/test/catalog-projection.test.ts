import { deadLetterQueueOf, INBOX_RETENTION_MS, pruneExpiredInbox } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { type QueuedMessage, queuedMessages, testLogger } from '@radiata/testing';
import type { ProjectionOutcome } from '../src/domain/catalog/projection.js';
import { CATALOG_EXCHANGE, CATALOG_PRODUCTS_QUEUE } from '../src/messaging/catalog-events.js';
import {
  at,
  CREATE_TIME_SALE,
  eventually,
  HOUR,
  RABBITMQ_URL,
  saleProductInput,
  seller,
  startTimesalesStack,
  type TimesalesStack,
} from './support.js';

let stack: TimesalesStack;
let publisher: Rabbit;
beforeAll(async () => {
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
  // The catalog's exchange in this run's namespace, as the catalog's outbox relay publishes to it.
  publisher = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'timesales-catalog-test-publisher',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

interface Product {
  readonly productId: string;
  readonly brandId: string;
  readonly ownerId: string;
}

const newProduct = (): Product => ({ productId: newId(), brandId: newId(), ownerId: newId() });

const payloads = {
  created: (product: Product, version: number, extra: Record<string, unknown> = {}) => ({
    productId: product.productId,
    brandId: product.brandId,
    ownerId: product.ownerId,
    version,
    occurredAt: new Date().toISOString(),
    categoryId: newId(),
    name: 'Linen shirt',
    price: 59_000,
    discountAmount: 9_000,
    salePrice: 50_000,
    stock: 30,
    status: 'ON_SALE',
    ...extra,
  }),
  priceChanged: (product: Product, version: number, price: number, discountAmount = 0) => ({
    productId: product.productId,
    brandId: product.brandId,
    ownerId: product.ownerId,
    version,
    occurredAt: new Date().toISOString(),
    price,
    discountAmount,
    salePrice: price - discountAmount,
  }),
  stockChanged: (product: Product, version: number, stock: number, status: string) => ({
    productId: product.productId,
    brandId: product.brandId,
    version,
    occurredAt: new Date().toISOString(),
    stock,
    delta: 0,
    status,
    previousStatus: 'ON_SALE',
  }),
};

/** Publishes to the catalog's exchange as the catalog's outbox relay does; returns the messageId. */
async function publish(routingKey: string, payload: object | Buffer, messageId = newId()): Promise<string> {
  await publisher.publish(CATALOG_EXCHANGE, routingKey, payload, { messageId });
  return messageId;
}

const applied = (messageId: string) => async () =>
  (
    await stack.sql(
      'SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2',
      CATALOG_PRODUCTS_QUEUE,
      messageId,
    )
  ).length === 1;

/** Every outcome of the projection for a message id, as the consumer applied it (in order). */
const outcomes = new Map<string, ProjectionOutcome[]>();
beforeAll(() => {
  const projection = stack.services.catalogProjection;
  const apply = projection.apply.bind(projection);
  jest.spyOn(projection, 'apply').mockImplementation(async (message) => {
    const outcome = await apply(message);
    outcomes.set(message.messageId, [...(outcomes.get(message.messageId) ?? []), outcome]);
    return outcome;
  });
});

/** The messages in the consumer's dead-letter queue, read from the broker and left there. */
const deadLetters = () => queuedMessages(`${stack.namespace.rabbitmq}${deadLetterQueueOf(CATALOG_PRODUCTS_QUEUE)}`);

const projected = async (productId: string) =>
  (
    await stack.sql<Record<string, unknown>>(
      `SELECT brand_id::text, owner_id::text, price, discount_amount, price_version, status, stock,
              availability_version, deleted, version
       FROM products WHERE id = $1::uuid`,
      productId,
    )
  )[0];

describe('through RabbitMQ', () => {
  it('projects every kind of product event', async () => {
    const product = newProduct();
    await eventually(applied(await publish('catalog.product.created', payloads.created(product, 1))));
    expect(await projected(product.productId)).toEqual({
      brand_id: product.brandId,
      owner_id: product.ownerId,
      price: 59_000,
      discount_amount: 9_000,
      price_version: 1,
      status: 'ON_SALE',
      stock: 30,
      availability_version: 1,
      deleted: false,
      version: 1,
    });
    await eventually(
      applied(await publish('catalog.product.price-changed', payloads.priceChanged(product, 2, 49_000))),
    );
    await eventually(
      applied(await publish('catalog.product.stock-changed', payloads.stockChanged(product, 3, 0, 'SOLD_OUT'))),
    );
    await eventually(
      applied(await publish('catalog.product.status-changed', { ...payloads.stockChanged(product, 4, 0, 'HIDDEN') })),
    );
    expect(await projected(product.productId)).toMatchObject({
      price: 49_000,
      discount_amount: 0,
      price_version: 2,
      status: 'HIDDEN',
      stock: 0,
      availability_version: 4,
      version: 4,
    });
    await eventually(
      applied(
        await publish('catalog.product.deleted', {
          productId: product.productId,
          brandId: product.brandId,
          version: 5,
          occurredAt: new Date().toISOString(),
        }),
      ),
    );
    expect(await projected(product.productId)).toMatchObject({ deleted: true, version: 5 });
  });

  it('applies a redelivered message once (deduplicated by message id)', async () => {
    const product = newProduct();
    const messageId = await publish('catalog.product.created', payloads.created(product, 1));
    await eventually(applied(messageId));
    // the same message again; its content differs here only to show it is not looked at
    await publish('catalog.product.created', payloads.created(product, 7, { price: 1 }), messageId);
    await eventually(() => outcomes.get(messageId)?.at(-1) === 'duplicate');
    expect(outcomes.get(messageId)).toEqual(['applied', 'duplicate']);
    expect(await projected(product.productId)).toMatchObject({ price: 59_000, version: 1 });
    expect(await stack.sql('SELECT 1 FROM inbox_messages WHERE message_id = $1', messageId)).toHaveLength(1);
  });

  it('ignores an older version arriving after a newer one', async () => {
    const product = newProduct();
    await eventually(applied(await publish('catalog.product.created', payloads.created(product, 1))));
    await eventually(
      applied(await publish('catalog.product.price-changed', payloads.priceChanged(product, 5, 90_000))),
    );
    await eventually(
      applied(await publish('catalog.product.price-changed', payloads.priceChanged(product, 3, 80_000))),
    );
    expect(await projected(product.productId)).toMatchObject({ price: 90_000, price_version: 5, version: 5 });
  });

  it('dead-letters messages it cannot read and keeps consuming', async () => {
    const product = newProduct();
    const notJson = await publish('catalog.product.created', Buffer.from('{ not json'));
    const incomplete = await publish('catalog.product.created', { productId: product.productId, version: 1 }); // fields missing
    await eventually(applied(await publish('catalog.product.created', payloads.created(product, 1))));
    let dead: QueuedMessage[] = [];
    await eventually(async () => {
      dead = await deadLetters();
      return dead.length >= 2;
    });
    expect(dead.map((message) => message.messageId).sort()).toEqual([notJson, incomplete].sort());
    expect(dead.find((message) => message.messageId === notJson)).toEqual({
      messageId: notJson,
      routingKey: 'catalog.product.created',
      deathReason: 'rejected',
      body: '{ not json',
    });
    expect(await projected(product.productId)).toMatchObject({ price: 59_000, version: 1 });
    expect(await stack.sql('SELECT 1 FROM inbox_messages WHERE message_id = ANY($1)', [notJson, incomplete])).toEqual(
      [],
    );
  });
});

describe('the projection', () => {
  const apply = (routingKey: string, payload: object, messageId = newId()) =>
    stack.services.catalogProjection.apply({ messageId, routingKey, payload });

  it('tells what it did with each message', async () => {
    const product = newProduct();
    const messageId = newId();
    expect(await apply('catalog.product.created', payloads.created(product, 2), messageId)).toBe('applied');
    expect(await apply('catalog.product.created', payloads.created(product, 2), messageId)).toBe('duplicate');
    expect(await apply('catalog.product.price-changed', payloads.priceChanged(product, 1, 10_000))).toBe('stale');
    expect(await apply('catalog.product.price-changed', payloads.priceChanged(product, 3, 10_000))).toBe('applied');
    await expect(apply('catalog.product.renamed', payloads.created(product, 4))).rejects.toThrow(
      /unexpected routing key/,
    );
  });

  it('keeps each group of fields at its own newest version, whatever order events arrive in', async () => {
    const product = newProduct();
    // one catalog update changing price and status publishes both with the same version
    expect(await apply('catalog.product.price-changed', payloads.priceChanged(product, 4, 70_000))).toBe('applied');
    expect(await apply('catalog.product.status-changed', payloads.stockChanged(product, 4, 30, 'HIDDEN'))).toBe(
      'applied',
    );
    // the product's creation arrives last: nothing of it is newer
    expect(await apply('catalog.product.created', payloads.created(product, 1))).toBe('stale');
    expect(await projected(product.productId)).toMatchObject({
      owner_id: product.ownerId,
      price: 70_000,
      price_version: 4,
      status: 'HIDDEN',
      availability_version: 4,
      version: 4,
    });
    // a stock change heard before the price (the product is known but cannot go on sale yet)
    const early = newProduct();
    await apply('catalog.product.stock-changed', payloads.stockChanged(early, 3, 5, 'ON_SALE'));
    expect(await projected(early.productId)).toMatchObject({ price: null, status: 'ON_SALE', owner_id: null });
    const refused = await stack.call(stack.admin, CREATE_TIME_SALE, {
      input: {
        title: 'Too early',
        startAt: at(stack, HOUR),
        endAt: at(stack, 2 * HOUR),
        products: [saleProductInput({ ...early, ownerId: null })],
      },
    });
    expect(refused.errors?.[0]?.extensions?.problems?.map((problem) => problem.field)).toEqual([
      'input.products.0.productId',
    ]);
  });

  it('learns the owner from the first event that carries it; until then only admins may sell the product', async () => {
    const owner = seller();
    const product = { ...newProduct(), ownerId: owner.id };
    const { ownerId: _unknown, ...withoutOwner } = payloads.created(product, 1);
    await apply('catalog.product.created', withoutOwner);
    const create = () =>
      stack.call(owner, CREATE_TIME_SALE, {
        input: {
          title: 'Owner sale',
          startAt: at(stack, HOUR),
          endAt: at(stack, 2 * HOUR),
          products: [saleProductInput({ ...product })],
        },
      });
    expect((await create()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await apply('catalog.product.price-changed', payloads.priceChanged(product, 2, 55_000));
    expect((await create()).errors).toBeUndefined();
  });
});

describe('the inbox', () => {
  afterEach(() => stack.clock.set(undefined));

  it('forgets messages received more than the retention ago (the hourly prune)', async () => {
    const now = new Date();
    stack.clock.set(now);
    const received = (ago: number) => new Date(now.getTime() - ago).toISOString();
    const old = newId();
    const recent = newId();
    await stack.sql(
      'INSERT INTO inbox_messages (consumer, message_id, received_at) VALUES ($1, $2, $3), ($1, $4, $5)',
      CATALOG_PRODUCTS_QUEUE,
      old,
      received(INBOX_RETENTION_MS + 1_000),
      recent,
      received(INBOX_RETENTION_MS - 60_000),
    );
    expect(
      await pruneExpiredInbox((sql, values) => stack.services.db.$executeRawUnsafe(sql, ...values), stack.clock.now()),
    ).toBeGreaterThanOrEqual(1);
    const kept = await stack.sql<{ message_id: string }>(
      'SELECT message_id FROM inbox_messages WHERE message_id = ANY($1)',
      [old, recent],
    );
    expect(kept).toEqual([{ message_id: recent }]);
  });
});

import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { testLogger } from '@radiata/testing';
import { CATALOG_EXCHANGE } from '../src/domain/catalog-consumer.js';
import {
  at,
  CREATE_TIME_SALE,
  eventually,
  HOUR,
  saleProductInput,
  seller,
  startTimesalesStack,
  type TimesalesStack,
} from './support.js';

let stack: TimesalesStack;
let publisher: Rabbit;
beforeAll(async () => {
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
  publisher = await connectRabbit({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'timesales-catalog-test-publisher',
    logger: testLogger('rabbit'),
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
  (await stack.sql('SELECT 1 FROM inbox_messages WHERE message_id = $1', messageId)).length === 1;

const projected = async (productId: string) =>
  (
    await stack.sql<Record<string, unknown>>(
      `SELECT brand_id::text, owner_id::text, price, discount_amount, price_version, status, stock,
              availability_version, deleted, version
       FROM products WHERE id = $1::uuid`,
      productId,
    )
  )[0];

/** Time for a message that should change nothing to have been consumed. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

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
    await settle();
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

  it('drops messages it cannot read and keeps consuming', async () => {
    const product = newProduct();
    await publish('catalog.product.created', Buffer.from('{ not json'));
    await publish('catalog.product.created', { productId: product.productId, version: 1 }); // fields missing
    await eventually(applied(await publish('catalog.product.created', payloads.created(product, 1))));
    await settle();
    expect(await projected(product.productId)).toMatchObject({ price: 59_000, version: 1 });
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

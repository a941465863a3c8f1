import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId, systemClock } from '@radiata/service-runtime';
import { eventually, startTcpProxy, type TcpProxy, testLogger } from '@radiata/testing';
import { republishProducts } from '../src/domain/republish.js';
import { CATALOG_EXCHANGE, recordEvents } from '../src/messaging/catalog-events.js';
import { type CatalogStack, newProduct, startCatalog } from './support.js';

const RABBITMQ = { host: '127.0.0.1', port: 5672 };

interface Received {
  readonly messageId: string;
  readonly routingKey: string;
  readonly payload: Record<string, unknown>;
}

let catalog: CatalogStack;
let proxy: TcpProxy;
let observer: Rabbit;
const received: Received[] = [];

beforeAll(async () => {
  // The subgraph (and so its outbox relay) reaches the broker through the proxy, which the test cuts and restores.
  proxy = await startTcpProxy(RABBITMQ);
  catalog = await startCatalog({ env: { RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${proxy.port}` } });
  // The observer listens on the broker itself, in the run's namespace, where the relay publishes.
  observer = await connectRabbit({
    url: `amqp://guest:guest@${RABBITMQ.host}:${RABBITMQ.port}`,
    name: 'catalog-events-test-observer',
    logger: testLogger('catalog-events'),
    namespace: catalog.namespace.rabbitmq,
  });
  const queue = `catalog-events-test-${newId()}`;
  await observer.onConnected(async (channel) => {
    const exchange = observer.name(CATALOG_EXCHANGE, 'exchange');
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(observer.name(queue, 'queue'), { exclusive: true, autoDelete: true });
    await channel.bindQueue(observer.name(queue, 'queue'), exchange, 'catalog.product.#');
  });
  await observer.consume(queue, async (message) => {
    received.push({
      messageId: String(message.properties.messageId),
      routingKey: message.fields.routingKey,
      payload: JSON.parse(message.content.toString()) as Record<string, unknown>,
    });
  });
});

afterAll(async () => {
  await observer.close();
  await catalog.stop();
  await proxy.stop();
});

// Product events only: creating the product's brand records a catalog.brand.changed of its own.
const outboxRows = () =>
  catalog.services.db.$queryRaw<{ id: string; routing_key: string; published_at: Date | null }[]>`
    SELECT id::text, routing_key, published_at FROM outbox_messages
    WHERE routing_key LIKE 'catalog.product.%' ORDER BY created_at, id`;

it('publishes exactly one event per committed change, even when the broker is unreachable at commit time', async () => {
  const { db, products, stock } = catalog.services;
  const product = await newProduct(catalog.services, 3);
  const owner = {
    id: (await db.brand.findUniqueOrThrow({ where: { id: product.brandId } })).ownerId,
    role: 'SELLER' as const,
  };
  await eventually(() => received.some((event) => event.payload.productId === product.id));

  await proxy.stop();
  const orderId = newId();
  await products.update(owner, product.id, { price: 119_000 });
  await products.update(owner, product.id, { name: 'Renamed only' }); // no price or status change: no event
  await products.adjustStock(owner, product.id, 2);
  await expect(products.adjustStock(owner, product.id, -100)).rejects.toThrow(); // rolled back: no event
  await stock.reserve(orderId, [{ productId: product.id, quantity: 5 }]);
  await stock.release(orderId);
  await stock.release(orderId); // a redelivered release: no change, no event
  await products.update(owner, product.id, { status: 'HIDDEN' });
  await products.delete(owner, product.id);

  const expected = [
    'catalog.product.created',
    'catalog.product.price-changed',
    'catalog.product.stock-changed',
    'catalog.product.stock-changed',
    'catalog.product.stock-changed',
    'catalog.product.status-changed',
    'catalog.product.deleted',
  ];
  const rows = await outboxRows();
  expect(rows.map((row) => row.routing_key)).toEqual(expected);
  // while the broker is away the changes wait in the outbox
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await outboxRows()).filter((row) => row.published_at === null)).toHaveLength(expected.length - 1);
  expect(received.filter((event) => event.payload.productId === product.id)).toHaveLength(1);

  await proxy.start();
  const { relay } = catalog.subgraph.events;
  await eventually(async () => (await relay.pending()) === 0 && received.length >= expected.length);
  await new Promise((resolve) => setTimeout(resolve, 300)); // any duplicate would arrive by now

  const events = received.filter((event) => event.payload.productId === product.id);
  expect(events.map((event) => event.messageId).sort()).toEqual(rows.map((row) => row.id).sort());
  expect(new Set(events.map((event) => event.messageId)).size).toBe(events.length);
  const byVersion = [...events].sort((a, b) => Number(a.payload.version) - Number(b.payload.version));
  expect(byVersion.map((event) => event.routingKey)).toEqual(expected);
  expect(byVersion[0]?.payload).toMatchObject({ ownerId: owner.id, stock: 3, status: 'ON_SALE' });
  expect(byVersion[1]?.payload).toMatchObject({
    price: 119_000,
    discountAmount: 0,
    salePrice: 119_000,
    ownerId: owner.id,
  });
  expect(
    byVersion.slice(2, 5).map((event) => [event.payload.delta, event.payload.stock, event.payload.status]),
  ).toEqual([
    [2, 5, 'ON_SALE'],
    [-5, 0, 'SOLD_OUT'],
    [5, 5, 'ON_SALE'],
  ]);
});

it('republishes a snapshot of every live product, owner included, for consumers that joined late', async () => {
  const { db } = catalog.services;
  const product = await newProduct(catalog.services, 7);
  const owner = (await db.brand.findUniqueOrThrow({ where: { id: product.brandId } })).ownerId;
  const gone = await newProduct(catalog.services, 1);
  await db.product.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
  const live = await db.product.count({ where: { deletedAt: null } });

  expect(await republishProducts(db, recordEvents, systemClock)).toBe(live);
  await eventually(
    () =>
      received.filter(
        (event) => event.routingKey === 'catalog.product.created' && event.payload.productId === product.id,
      ).length === 2,
  );
  const snapshot = received.filter((event) => event.payload.productId === product.id).at(-1);
  expect(snapshot?.payload).toMatchObject({ ownerId: owner, stock: 7, status: 'ON_SALE', version: product.version });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(
    received.filter((event) => event.payload.productId === gone.id && event.routingKey === 'catalog.product.created'),
  ).toHaveLength(1);
});

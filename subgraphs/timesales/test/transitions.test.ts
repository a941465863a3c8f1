import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { testLogger } from '@radiata/testing';
import { Redis } from 'ioredis';
import type { TransitionAnnouncement } from '../src/domain/schedule/announcements.js';
import { TIMESALES_EXCHANGE } from '../src/messaging/timesales-events.js';
import {
  at,
  createSale,
  createSaleSoon,
  DELETE_TIME_SALE,
  eventually,
  HOUR,
  knownProduct,
  RABBITMQ_URL,
  type RunningTimesales,
  type SaleView,
  saleProductInput,
  startTimesalesStack,
  TIME_SALE,
  type TimesalesStack,
  UPDATE_TIME_SALE,
} from './support.js';

jest.setTimeout(30_000);

// The stack's own process runs no scheduler, so the clock-jumping tests decide when passes run;
// replicas started with SALE_SCHEDULER=true stand for the scheduling processes.
let stack: TimesalesStack;
let subscriber: Redis;
let rabbit: Rabbit;
const announced: TransitionAnnouncement[] = [];
const published: { routingKey: string; messageId: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
  subscriber = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  subscriber.on('message', (_channel: string, message: string) => {
    announced.push(JSON.parse(message) as TransitionAnnouncement);
  });
  await subscriber.subscribe(stack.services.keyspace.transitionsChannel);
  // In this run's namespace, where the subgraph's relay publishes.
  rabbit = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'timesales-transitions-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
  const queue = `timesales-transitions-test-${newId()}`;
  await rabbit.onConnected(async (channel) => {
    const exchange = rabbit.name(TIMESALES_EXCHANGE, 'exchange');
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(rabbit.name(queue, 'queue'), { exclusive: true, autoDelete: true });
    await channel.bindQueue(rabbit.name(queue, 'queue'), exchange, 'timesales.sale.#');
  });
  await rabbit.consume(queue, async (message) => {
    published.push({
      routingKey: message.fields.routingKey,
      messageId: String(message.properties.messageId),
      payload: JSON.parse(message.content.toString()) as Record<string, unknown>,
    });
  });
});
afterAll(async () => {
  await rabbit.close();
  await subscriber.quit();
  await stack.stop();
});
afterEach(() => stack.clock.set(undefined));

const replicas: RunningTimesales[] = [];
// No poll within a test: what fires, fires on the scheduler's timer or on a change's announcement.
const startScheduler = async () => {
  const replica = await stack.startReplica({ SALE_SCHEDULER: 'true', SALE_SCHEDULER_POLL_MS: String(HOUR) });
  replicas.push(replica);
  return replica;
};
afterEach(async () => {
  for (const replica of replicas.splice(0)) await replica.stop();
});

async function transitionsOf(saleId: string) {
  return stack.sql<{ kind: string; fired_at: Date }>(
    // ordered by the enum (STARTED, ENDED, SOLD_OUT), not its text
    'SELECT t.kind::text AS kind, t.fired_at FROM time_sale_transitions t WHERE t.time_sale_id = $1::uuid ORDER BY t.fired_at, t.kind',
    saleId,
  );
}

async function eventsOf(saleId: string) {
  return stack.sql<{ routing_key: string; payload: Record<string, unknown> }>(
    `SELECT routing_key, payload FROM outbox_messages WHERE payload->>'timeSaleId' = $1 ORDER BY created_at, id`,
    saleId,
  );
}

const statusOf = async (saleId: string) =>
  (await stack.call<{ timeSale: SaleView | null }>(null, TIME_SALE, { id: saleId })).data?.timeSale?.status;

const instant = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

it('derives the status from the clock exactly at the start and the end, and fires each transition there once', async () => {
  stack.clock.set(new Date());
  const product = await knownProduct(stack);
  const sale = await createSale(stack, { products: [saleProductInput(product, { totalQuantity: 1 })] });
  const transitions = stack.services.transitions;

  stack.clock.set(instant(sale.startAt, -1));
  expect(await statusOf(sale.id)).toBe('SCHEDULED');
  expect(await transitions.fireDue()).toBe(0);
  expect(await transitionsOf(sale.id)).toEqual([]);

  stack.clock.set(instant(sale.startAt));
  expect(await statusOf(sale.id)).toBe('LIVE');
  expect(await transitions.fireDue()).toBe(1);
  expect(await transitions.fireDue()).toBe(0);
  expect(await transitionsOf(sale.id)).toEqual([{ kind: 'STARTED', fired_at: instant(sale.startAt) }]);

  stack.clock.set(instant(sale.endAt, -1));
  expect(await statusOf(sale.id)).toBe('LIVE');
  await stack.services.saleStock.reserve({
    orderId: newId(),
    userId: newId(),
    timeSaleProductId: sale.products[0]?.id as string,
    quantity: 1,
  });
  expect(await statusOf(sale.id)).toBe('SOLD_OUT');

  stack.clock.set(instant(sale.endAt));
  expect(await statusOf(sale.id)).toBe('ENDED');
  expect(await transitions.fireDue()).toBe(1);
  expect((await transitionsOf(sale.id)).map((row) => [row.kind, row.fired_at])).toEqual([
    ['STARTED', instant(sale.startAt)],
    ['SOLD_OUT', instant(sale.endAt, -1)],
    ['ENDED', instant(sale.endAt)],
  ]);
  const events = await eventsOf(sale.id);
  expect(events.map((event) => event.routing_key)).toEqual([
    'timesales.sale.started',
    'timesales.sale.sold-out',
    'timesales.sale.ended',
  ]);
  expect(events[0]?.payload).toEqual({
    timeSaleId: sale.id,
    title: sale.title,
    startAt: sale.startAt,
    endAt: sale.endAt,
    occurredAt: sale.startAt,
    products: [
      {
        timeSaleProductId: sale.products[0]?.id,
        productId: product.productId,
        discountRate: 20,
        totalQuantity: 1,
        startAt: sale.startAt,
        endAt: sale.endAt,
      },
    ],
  });
});

it('fires on its timer at the start and the end, announces on pub/sub and publishes to RabbitMQ', async () => {
  await startScheduler();
  const sale = await createSaleSoon(stack, new Date(), { startInMs: 800, endInMs: 1_600 });
  expect(sale.status).toBe('SCHEDULED');
  // The scheduler does not poll: after the sale's announcement armed it, only its timer can fire.
  await eventually(async () => (await transitionsOf(sale.id)).length === 2);

  const fired = await transitionsOf(sale.id);
  expect(fired.map((row) => row.kind)).toEqual(['STARTED', 'ENDED']);
  const lateness = fired.map(
    (row, index) => row.fired_at.getTime() - instant(index === 0 ? sale.startAt : sale.endAt).getTime(),
  );
  // Never early; how late is up to how busy the machine is.
  for (const late of lateness) expect(late).toBeGreaterThanOrEqual(0);
  expect(await statusOf(sale.id)).toBe('ENDED');
  await eventually(() => published.filter((event) => event.payload.timeSaleId === sale.id).length === 2);
  expect(published.filter((event) => event.payload.timeSaleId === sale.id).map((event) => event.routingKey)).toEqual([
    'timesales.sale.started',
    'timesales.sale.ended',
  ]);
  expect(announced.filter((message) => message.key === sale.id)).toEqual([
    { key: sale.id, kind: 'STARTED', occurredAt: sale.startAt },
    { key: sale.id, kind: 'ENDED', occurredAt: sale.endAt },
  ]);
});

it('re-arms when a sale moves, earlier or later', async () => {
  await startScheduler();
  // The clock (the scheduler's too) holds still while the sales are created and moved: nothing
  // becomes due meanwhile, however long the requests take.
  const now = new Date();
  stack.clock.set(now);
  const sooner = await createSale(stack, { startInMs: HOUR, endInMs: 2 * HOUR });
  const later = await createSale(stack, { startInMs: 600, endInMs: HOUR });
  const move = (id: string, startInMs: number) =>
    stack.call(stack.admin, UPDATE_TIME_SALE, { id, input: { startAt: at(stack, startInMs) } });
  expect((await move(sooner.id, 500)).errors).toBeUndefined();
  expect((await move(later.id, 2_000)).errors).toBeUndefined();
  const moved = (await stack.call<{ timeSale: SaleView }>(null, TIME_SALE, { id: later.id })).data?.timeSale;
  stack.clock.set(undefined);

  await eventually(async () => (await transitionsOf(sooner.id)).length === 1);
  const [soonerStarted] = await transitionsOf(sooner.id);
  expect(soonerStarted?.fired_at.getTime()).toBeGreaterThanOrEqual(now.getTime() + 500); // its new start
  // its old start passed without firing: nothing of it fired before its new start
  const movedStart = new Date(moved?.startAt ?? 0).getTime();
  for (const row of await transitionsOf(later.id)) expect(row.fired_at.getTime()).toBeGreaterThanOrEqual(movedStart);
  await eventually(async () => (await transitionsOf(later.id)).length === 1);
  const [started] = await transitionsOf(later.id);
  expect(started?.fired_at.getTime()).toBeGreaterThanOrEqual(movedStart);
});

it('starts, on boot, a sale whose start passed while no scheduler ran, once', async () => {
  stack.clock.set(new Date());
  const sale = await createSale(stack, { startInMs: HOUR, endInMs: 2 * HOUR });
  stack.clock.set(instant(sale.startAt, 5 * 60_000)); // "the process was down" across the start

  const first = await startScheduler();
  expect(await transitionsOf(sale.id)).toEqual([{ kind: 'STARTED', fired_at: instant(sale.startAt, 5 * 60_000) }]);
  const second = await startScheduler();
  await first.scheduler?.wake();
  await second.scheduler?.wake();
  expect((await transitionsOf(sale.id)).map((row) => row.kind)).toEqual(['STARTED']);
  expect((await eventsOf(sale.id)).map((event) => event.routing_key)).toEqual(['timesales.sale.started']);
});

it('fires each transition once across replicas racing for it', async () => {
  const replicasRacing = await Promise.all([startScheduler(), startScheduler(), startScheduler()]);
  const sale = await createSaleSoon(stack, new Date(), { startInMs: 700, endInMs: HOUR });
  await eventually(async () => (await transitionsOf(sale.id)).length === 1);

  // and when every replica's pass runs at the same instant on a due sale, many times over
  stack.clock.set(instant(sale.endAt));
  await Promise.all(
    replicasRacing.flatMap((replica) => Array.from({ length: 5 }, () => replica.services.transitions.fireDue())),
  );
  expect((await transitionsOf(sale.id)).map((row) => row.kind)).toEqual(['STARTED', 'ENDED']);
  expect((await eventsOf(sale.id)).map((event) => event.routing_key)).toEqual([
    'timesales.sale.started',
    'timesales.sale.ended',
  ]);
});

it('never fires a deleted sale', async () => {
  stack.clock.set(new Date());
  const sale = await createSale(stack, { startInMs: HOUR, endInMs: 2 * HOUR });
  expect((await stack.call(stack.admin, DELETE_TIME_SALE, { id: sale.id })).errors).toBeUndefined();
  stack.clock.set(instant(sale.endAt, 1));
  await stack.services.transitions.fireDue();
  expect(await transitionsOf(sale.id)).toEqual([]);
});

it('catches up a sold-out transition a crash left unfired', async () => {
  stack.clock.set(new Date());
  const product = await knownProduct(stack);
  const sale = await createSale(stack, { products: [saleProductInput(product, { totalQuantity: 4 })] });
  stack.clock.set(instant(sale.startAt, 1));
  // the reservations committed; the process died before it checked for a sold-out sale
  await stack.sql(
    'UPDATE time_sale_products SET sold_quantity = total_quantity WHERE time_sale_id = $1::uuid',
    sale.id,
  );
  await stack.services.transitions.fireDue();
  expect((await transitionsOf(sale.id)).map((row) => row.kind)).toEqual(['STARTED', 'SOLD_OUT']);
});

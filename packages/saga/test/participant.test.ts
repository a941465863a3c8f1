import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { countDeadLetters, DEAD_LETTER_GAUGE, inboxMigrationPath, listDeadLetters } from '@radiata/inbox';
import { declareTopicExchange, outboxMigrationPath, startOutboxRelay } from '@radiata/outbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  capturingLogger,
  createTestDatabase,
  deleteBrokerNames,
  eventually,
  type TestDatabase,
  testLogger,
  testNamespace,
  testSqlPool,
} from '@radiata/testing';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { z } from 'zod';
import {
  commandQueueOf,
  commandRoutingKey,
  participantExchange,
  replyRoutingKey,
  SAGA_COMMAND_EXCHANGE,
  type SagaCommand,
  sagaReplySchema,
} from '../src/index.js';
import { startWarehouse, WAREHOUSE_SCHEMA, type Warehouse } from './warehouse.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const QUEUE = commandQueueOf('warehouse');

let migrations: string;
let database: TestDatabase;
let pool: pg.Pool;
const rabbits: Rabbit[] = [];
let rabbit: Rabbit;
let warehouse: Warehouse;
const namespace = testNamespace();
const registry = new Registry();
const { logger, lines } = capturingLogger('debug');

const connect = async (rabbitNamespace: string) => {
  const connection = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'saga-test',
    logger: testLogger('saga'),
    namespace: rabbitNamespace,
  });
  rabbits.push(connection);
  return connection;
};

beforeAll(async () => {
  // A participant's database: the outbox and inbox migrations, as each subgraph copies them.
  migrations = mkdtempSync(join(tmpdir(), 'radiata-saga-migrations-'));
  for (const file of [outboxMigrationPath, inboxMigrationPath]) copyFileSync(file, join(migrations, basename(file)));
  database = await createTestDatabase('saga', migrations);
  pool = testSqlPool(database.url, 8);
  await pool.query(WAREHOUSE_SCHEMA);
  rabbit = await connect(namespace.rabbitmq);
  warehouse = await startWarehouse({ rabbit, pool, logger, registry, lookup: true });
});

afterAll(async () => {
  const names = { exchanges: [] as string[], queues: [] as string[] };
  for (const connection of rabbits) {
    names.exchanges.push(...connection.named().exchanges);
    names.queues.push(...connection.named().queues);
    await connection.close();
  }
  await deleteBrokerNames(names);
  await pool.end();
  await database.drop();
  rmSync(migrations, { recursive: true, force: true });
});

let skus = 0;
const newSku = async (quantity: number) => {
  const sku = `sku-${skus++}`;
  await pool.query('INSERT INTO stock (sku, quantity) VALUES ($1, $2)', [sku, quantity]);
  return sku;
};

/** Publishes a command as the orders outbox relay will: its own messageId, JSON, on `radiata.orders`. */
async function send(
  command: SagaCommand<unknown>,
  options: { messageId?: string; routingKeyAction?: string; through?: Rabbit } = {},
): Promise<string> {
  const messageId = options.messageId ?? randomUUID();
  const routingKey = commandRoutingKey('warehouse', options.routingKeyAction ?? command.action);
  await (options.through ?? rabbit).publish(SAGA_COMMAND_EXCHANGE, routingKey, command, { messageId });
  return messageId;
}

const command = (orderId: string, action: string, data: object, attempt = 1): SagaCommand<object> => ({
  orderId,
  action,
  attempt,
  issuedAt: new Date().toISOString(),
  data,
});

interface ReplyRow {
  exchange: string;
  routing_key: string;
  payload: Record<string, unknown>;
}

const repliesOf = async (orderId: string): Promise<ReplyRow[]> =>
  (
    await pool.query<ReplyRow>(
      `SELECT exchange, routing_key, payload FROM outbox_messages WHERE payload->>'orderId' = $1
        ORDER BY (payload->>'attempt')::int, created_at`,
      [orderId],
    )
  ).rows;

const stockOf = async (sku: string) =>
  (await pool.query<{ quantity: number }>('SELECT quantity FROM stock WHERE sku = $1', [sku])).rows[0]?.quantity;

const reservationsOf = async (orderId: string) =>
  (await pool.query('SELECT status, quantity FROM reservations WHERE order_id = $1', [orderId])).rows;

const callsFor = (orderId: string) => warehouse.calls.filter((call) => call.orderId === orderId);

const logged = (messageId: string, message: string) => () =>
  lines.some((line) => line.messageId === messageId && line.msg === message);

/** Every line the participant wrote names the order (and the command) it is about. */
const expectEveryLineNamesItsOrder = () => {
  const sagaLines = lines.filter((line) => line.component === 'saga-participant');
  expect(sagaLines.length).toBeGreaterThan(0);
  for (const line of sagaLines) {
    expect(line).toEqual(expect.objectContaining({ orderId: expect.any(String), messageId: expect.any(String) }));
  }
};

it('reserves once per order and replies through its outbox, however often the command comes', async () => {
  const sku = await newSku(5);
  const orderId = randomUUID();
  const reserve = command(orderId, 'reserve', { sku, quantity: 2 });
  const first = await send(reserve);
  await eventually(async () => (await repliesOf(orderId)).length === 1);

  const [reply] = await repliesOf(orderId);
  expect(reply).toEqual({
    exchange: 'radiata.warehouse',
    routing_key: 'warehouse.saga.reserved',
    payload: {
      orderId,
      action: 'reserve',
      attempt: 1,
      outcome: 'DONE',
      data: { sku, quantity: 2 },
      occurredAt: expect.any(String),
    },
  });
  // What orders will read.
  const read = sagaReplySchema(z.object({ sku: z.string(), quantity: z.number() })).parse(reply?.payload);
  expect(read.data).toEqual({ sku, quantity: 2 });
  expect(await stockOf(sku)).toBe(3);
  expect(await reservationsOf(orderId)).toEqual([{ status: 'RESERVED', quantity: 2 }]);

  // The same message again (the broker redelivers it): answered already, skipped before the handler.
  await send(reserve, { messageId: first });
  await eventually(logged(first, 'saga command already answered: skipped'));
  expect(callsFor(orderId)).toHaveLength(1);
  expect(await repliesOf(orderId)).toHaveLength(1);

  // Orders resends the command that got no reply in time: a new message, attempt 2, the same answer.
  await send({ ...reserve, attempt: 2 });
  await eventually(async () => (await repliesOf(orderId)).length === 2);
  const [, again] = await repliesOf(orderId);
  expect(again?.routing_key).toBe('warehouse.saga.reserved');
  expect(again?.payload).toEqual({ ...reply?.payload, attempt: 2, occurredAt: expect.any(String) });
  expect(await stockOf(sku)).toBe(3);
  expect(await reservationsOf(orderId)).toEqual([{ status: 'RESERVED', quantity: 2 }]);

  // The compensation, then a late copy of the reserve command: released stays released.
  await send(command(orderId, 'release', {}));
  await eventually(async () => (await repliesOf(orderId)).length === 3);
  await send({ ...reserve, attempt: 3 });
  await eventually(async () => (await repliesOf(orderId)).length === 4);
  const replies = await repliesOf(orderId);
  expect(replies.map((row) => [row.routing_key, row.payload.outcome, row.payload.reason, row.payload.data])).toEqual([
    ['warehouse.saga.reserved', 'DONE', undefined, { sku, quantity: 2 }],
    ['warehouse.saga.released', 'DONE', undefined, { released: 2 }],
    ['warehouse.saga.reserved', 'DONE', undefined, { sku, quantity: 2 }],
    ['warehouse.saga.reserved', 'REFUSED', 'ALREADY_RELEASED', {}],
  ]);
  expect(await stockOf(sku)).toBe(5);
  expect(await reservationsOf(orderId)).toEqual([{ status: 'RELEASED', quantity: 2 }]);
  expectEveryLineNamesItsOrder();
});

it('refuses a reservation it cannot make, with the reason, and changes nothing', async () => {
  const sku = await newSku(1);
  const orderId = randomUUID();
  await send(command(orderId, 'reserve', { sku, quantity: 3 }));
  await eventually(async () => (await repliesOf(orderId)).length === 1);
  const [reply] = await repliesOf(orderId);
  expect(reply?.routing_key).toBe('warehouse.saga.reserved');
  expect(reply?.payload).toEqual({
    orderId,
    action: 'reserve',
    attempt: 1,
    outcome: 'REFUSED',
    reason: 'OUT_OF_STOCK',
    data: {},
    occurredAt: expect.any(String),
  });
  expect(await stockOf(sku)).toBe(1);
  expect(await reservationsOf(orderId)).toEqual([]);
});

it('dead-letters commands it cannot read, and goes on answering', async () => {
  const sku = await newSku(5);
  const unreadable = { orderId: randomUUID(), sku };
  const invalid = [
    // An action the participant does not have.
    await send(command(unreadable.orderId, 'explode', {})),
    // A malformed envelope: attempts start at 1.
    await send(command(randomUUID(), 'reserve', { sku, quantity: 1 }, 0)),
    // Data the action refuses.
    await send(command(randomUUID(), 'reserve', { sku, quantity: -1 })),
    // An envelope for another action than its routing key's.
    await send(command(randomUUID(), 'release', {}), { routingKeyAction: 'reserve' }),
  ];
  const orderId = randomUUID();
  await send(command(orderId, 'reserve', { sku, quantity: 1 }));
  await eventually(async () => (await repliesOf(orderId)).length === 1);

  const broker = { url: RABBITMQ_URL, namespace: namespace.rabbitmq };
  await eventually(async () => (await countDeadLetters(broker, [QUEUE]))[0]?.depth === invalid.length);
  const { deadLetters } = await listDeadLetters(broker, QUEUE);
  expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...invalid].sort());
  expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(invalid.map(() => 'rejected'));
  expect(deadLetters.map((deadLetter) => deadLetter.routingKey).sort()).toEqual([
    'orders.saga.warehouse.explode',
    'orders.saga.warehouse.reserve',
    'orders.saga.warehouse.reserve',
    'orders.saga.warehouse.reserve',
  ]);
  expect(await registry.getSingleMetric(DEAD_LETTER_GAUGE)?.get()).toEqual(
    expect.objectContaining({ values: [expect.objectContaining({ labels: { queue: QUEUE }, value: 4 })] }),
  );
  // None of them reached the handler or replied.
  expect(warehouse.calls.filter((call) => call.orderId === unreadable.orderId)).toEqual([]);
  expect(await repliesOf(unreadable.orderId)).toEqual([]);
  expect(await stockOf(sku)).toBe(4);
  for (const messageId of invalid) {
    expect(lines).toContainEqual(
      expect.objectContaining({
        messageId,
        orderId: expect.any(String),
        msg: 'saga command refused for good: dead-lettered',
      }),
    );
  }
  expectEveryLineNamesItsOrder();
});

it('retries a command whose handler failed after its effect: one effect, one reply', async () => {
  const sku = await newSku(5);
  const orderId = randomUUID();
  warehouse.faults.crashAfterEffect.add(orderId);
  const messageId = await send(command(orderId, 'reserve', { sku, quantity: 2 }));
  await eventually(async () => (await repliesOf(orderId)).length === 1);
  expect(callsFor(orderId)).toHaveLength(2);
  expect((await repliesOf(orderId))[0]?.payload).toEqual(expect.objectContaining({ outcome: 'DONE', attempt: 1 }));
  expect(await stockOf(sku)).toBe(3);
  expect(await reservationsOf(orderId)).toEqual([{ status: 'RESERVED', quantity: 2 }]);
  expect(lines).toContainEqual(
    expect.objectContaining({ orderId, messageId, attempt: 1, msg: 'saga command failed: it will be retried' }),
  );
});

it('retries a command whose reply did not commit: the inbox row and the reply roll back together', async () => {
  const sku = await newSku(5);
  const orderId = randomUUID();
  warehouse.faults.commitFailures = 1;
  const messageId = await send(command(orderId, 'reserve', { sku, quantity: 1 }));
  await eventually(async () => (await repliesOf(orderId)).length === 1);
  expect(warehouse.faults.commitFailures).toBe(0);
  expect(callsFor(orderId)).toHaveLength(2);
  const inbox = await pool.query('SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2', [
    QUEUE,
    messageId,
  ]);
  expect(inbox.rowCount).toBe(1);
  expect(await stockOf(sku)).toBe(4);
});

it('publishes its replies to radiata.<participant> through the outbox relay', async () => {
  const heard: { routingKey: string; messageId: unknown; payload: Record<string, unknown> }[] = [];
  const listener = `saga-test.replies-${randomUUID()}`;
  await declareTopicExchange(rabbit, participantExchange('warehouse'));
  await rabbit.onConnected(async (channel) => {
    await channel.assertQueue(rabbit.name(listener, 'queue'), { exclusive: true, autoDelete: true });
    await channel.bindQueue(
      rabbit.name(listener, 'queue'),
      rabbit.name(participantExchange('warehouse'), 'exchange'),
      replyRoutingKey('warehouse', '*'),
    );
  });
  await rabbit.consume(listener, async (message) => {
    heard.push({
      routingKey: message.fields.routingKey,
      messageId: message.properties.messageId,
      payload: JSON.parse(message.content.toString('utf8')),
    });
  });
  const relay = await startOutboxRelay({ pool, rabbit, logger: testLogger('saga'), pollIntervalMs: 200 });
  try {
    const orderId = randomUUID();
    await send(command(orderId, 'reserve', { sku: await newSku(5), quantity: 1 }));
    await eventually(() => heard.some((message) => message.payload.orderId === orderId));
    const row = await pool.query<{ id: string; payload: object }>(
      `SELECT id, payload FROM outbox_messages WHERE payload->>'orderId' = $1`,
      [orderId],
    );
    expect(heard.filter((message) => message.payload.orderId === orderId)).toEqual([
      { routingKey: 'warehouse.saga.reserved', messageId: row.rows[0]?.id, payload: row.rows[0]?.payload },
    ]);
  } finally {
    await relay.stop();
  }
});

describe('without the read-only inbox check', () => {
  let other: Rabbit;
  let plain: Warehouse;

  beforeAll(async () => {
    // A namespace of its own, so this warehouse does not share the command queue of the one above.
    other = await connect(testNamespace().rabbitmq);
    plain = await startWarehouse({ rabbit: other, pool, logger, lookup: false });
  });

  it('runs the idempotent handler again on a redelivery, and sends no second reply', async () => {
    const sku = await newSku(5);
    const orderId = randomUUID();
    const reserve = command(orderId, 'reserve', { sku, quantity: 2 });
    const messageId = await send(reserve, { through: other });
    await eventually(async () => (await repliesOf(orderId)).length === 1);
    await send(reserve, { messageId, through: other });
    await eventually(logged(messageId, 'saga command already answered: its reply is not sent again'));
    expect(plain.calls.filter((call) => call.orderId === orderId)).toHaveLength(2);
    expect(await repliesOf(orderId)).toHaveLength(1);
    expect(await stockOf(sku)).toBe(3);
    expect(await reservationsOf(orderId)).toEqual([{ status: 'RESERVED', quantity: 2 }]);
  });
});

import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  createTestDatabase,
  deleteBrokerNames,
  eventually,
  type QueuedMessage,
  queuedMessages,
  type TestDatabase,
  testLogger,
  testNamespace,
  testSqlPool,
} from '@radiata/testing';
import type pg from 'pg';
import { z } from 'zod';
import { deadLetterQueueOf, inboxMigrationsDir, pruneInbox, readEvent, startEventConsumer } from '../src/index.js';
import { applyOnce, EFFECTS_TABLE, effectsOf } from './effects.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EXCHANGE = 'radiata.inbox-test';

let database: TestDatabase;
let pool: pg.Pool;
let rabbit: Rabbit;
const namespace = testNamespace();

beforeAll(async () => {
  database = await createTestDatabase('inbox', inboxMigrationsDir);
  pool = testSqlPool(database.url, 5);
  await pool.query(EFFECTS_TABLE);
  rabbit = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'inbox-test',
    logger: testLogger('inbox'),
    namespace: namespace.rabbitmq,
  });
});

afterAll(async () => {
  const names = rabbit.named();
  await rabbit.close();
  await deleteBrokerNames(names);
  await pool.end();
  await database.drop();
});

/** Messages waiting in one of this run's queues, read from the broker and left there. */
const peekQueue = (queue: string) => queuedMessages(`${namespace.rabbitmq}${queue}`);

let queueSerial = 0;
const newQueue = () => `inbox-test.q${queueSerial++}`;
const publish = (routingKey: string, body: object | Buffer, messageId?: string) =>
  rabbit.publish(EXCHANGE, routingKey, body, { messageId: messageId ?? '' } as { messageId: string });

it('applies each message once per consumer, however often it is delivered', async () => {
  const queues = [newQueue(), newQueue()];
  const calls: string[] = [];
  for (const queue of queues) {
    await startEventConsumer({
      rabbit,
      queue,
      logger: testLogger('inbox'),
      bindings: [{ exchange: EXCHANGE, routingKeys: ['once.#'] }],
      handle: async (event) => {
        await applyOnce(pool, queue, event);
        calls.push(event.messageId);
      },
    });
  }
  for (let i = 0; i < 3; i++) await publish('once.thing', { n: i }, 'message-a');
  await publish('once.thing', { n: 9 }, 'message-b');
  await eventually(async () => calls.length === 8);
  for (const queue of queues) {
    expect(await effectsOf(pool, 'message-a', queue)).toBe(1);
    expect(await effectsOf(pool, 'message-b', queue)).toBe(1);
  }
});

it('dead-letters what cannot be read or is refused for good, at once', async () => {
  const queue = newQueue();
  const calls: string[] = [];
  await startEventConsumer({
    rabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys: ['bad.#'] }],
    isPermanent: (error) => error instanceof RangeError,
    handle: async (event) => {
      calls.push(event.messageId);
      throw new RangeError('refused for good');
    },
  });
  await publish('bad.json', Buffer.from('{not json'), 'not-json');
  await publish('bad.refused', { fine: true }, 'refused');
  await rabbit.onConnected(async (channel) => {
    // No messageId at all: publish bypassing the wrapper's check.
    channel.publish(rabbit.name(EXCHANGE, 'exchange'), 'bad.anonymous', Buffer.from('{}'));
  });
  let dead: QueuedMessage[] = [];
  await eventually(async () => {
    dead = await peekQueue(deadLetterQueueOf(queue));
    return dead.length === 3;
  });
  expect(dead.map((message) => message.messageId).sort()).toEqual([undefined, 'not-json', 'refused'].sort());
  expect(calls).toEqual(['refused']);
});

it('dead-letters a MalformedEvent at once, without isPermanent', async () => {
  const queue = newQueue();
  const calls: string[] = [];
  const schemas = { 'typed.thing': z.object({ n: z.number().int() }) };
  await startEventConsumer({
    rabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys: ['typed.#'] }],
    handle: async (event) => {
      calls.push(event.messageId);
      readEvent(schemas, event.routingKey, event.payload);
      await applyOnce(pool, queue, event);
    },
  });
  await publish('typed.thing', { n: 'one' }, 'malformed-payload');
  await publish('typed.other', { n: 1 }, 'unexpected-key');
  await publish('typed.thing', { n: 1 }, 'well-formed');
  let dead: QueuedMessage[] = [];
  await eventually(async () => {
    dead = await peekQueue(deadLetterQueueOf(queue));
    return dead.length === 2 && (await effectsOf(pool, 'well-formed', queue)) === 1;
  });
  expect(dead.map((message) => [message.messageId, message.deathReason]).sort()).toEqual([
    ['malformed-payload', 'rejected'],
    ['unexpected-key', 'rejected'],
  ]);
  // Rejected on their first delivery: never retried.
  expect([...calls].sort()).toEqual(['malformed-payload', 'unexpected-key', 'well-formed']);
});

it('retries a failing message with a delay, and applies it once it succeeds', async () => {
  const queue = newQueue();
  let failuresLeft = 2;
  const calls: number[] = [];
  await startEventConsumer({
    rabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys: ['flaky.#'] }],
    retry: { initialDelayMs: 10, maxDelayMs: 20 },
    handle: async (event) => {
      calls.push(Date.now());
      if (failuresLeft-- > 0) throw new Error('database unavailable');
      await applyOnce(pool, queue, event);
    },
  });
  await publish('flaky.thing', { n: 1 }, 'flaky-1');
  await eventually(async () => (await effectsOf(pool, 'flaky-1', queue)) === 1);
  expect(calls).toHaveLength(3);
  expect(await peekQueue(deadLetterQueueOf(queue))).toEqual([]);
});

it('dead-letters a message that keeps failing after the delivery limit', async () => {
  const queue = newQueue();
  let calls = 0;
  await startEventConsumer({
    rabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys: ['poison.#'] }],
    deliveryLimit: 2,
    retry: { initialDelayMs: 10, maxDelayMs: 20 },
    handle: async () => {
      calls += 1;
      throw new Error('always fails');
    },
  });
  await publish('poison.thing', { n: 1 }, 'poison-1');
  let dead: QueuedMessage[] = [];
  await eventually(async () => {
    dead = await peekQueue(deadLetterQueueOf(queue));
    return dead.length === 1;
  });
  expect(dead[0]?.messageId).toBe('poison-1');
  // The first delivery and the `deliveryLimit` redeliveries.
  expect(calls).toBe(3);
});

it('prunes inbox rows older than the retention', async () => {
  await pool.query(
    `INSERT INTO inbox_messages (consumer, message_id, received_at)
     SELECT 'prune-test', 'old-' || i, now() - interval '8 days' FROM generate_series(1, 25) AS i`,
  );
  await pool.query(`INSERT INTO inbox_messages (consumer, message_id) VALUES ('prune-test', 'recent')`);
  const execute = async (sql: string, values: unknown[]) => (await pool.query(sql, values)).rowCount ?? 0;
  expect(await pruneInbox(execute, new Date(Date.now() - 7 * 86_400_000), 10)).toBe(25);
  const left = await pool.query(`SELECT message_id FROM inbox_messages WHERE consumer = 'prune-test'`);
  expect(left.rows).toEqual([{ message_id: 'recent' }]);
});

import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  createTestDatabase,
  deleteBrokerNames,
  eventually,
  type TestDatabase,
  testLogger,
  testNamespace,
  testSqlPool,
} from '@radiata/testing';
import type pg from 'pg';
import { Gauge, Registry } from 'prom-client';
import {
  countDeadLetters,
  DEAD_LETTER_GAUGE,
  type DeadLetter,
  inboxMigrationsDir,
  listDeadLetters,
  registerDeadLetterGauge,
  replayDeadLetters,
  startEventConsumer,
} from '../src/index.js';
import { applyOnce, EFFECTS_TABLE, effectsOf } from './effects.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EXCHANGE = 'radiata.dead-letters-test';

let database: TestDatabase;
let pool: pg.Pool;
let rabbit: Rabbit;
const namespace = testNamespace();
const broker = { url: RABBITMQ_URL, namespace: namespace.rabbitmq };
const brokerNames: { exchanges: string[]; queues: string[] } = { exchanges: [], queues: [] };

const connect = () =>
  connectRabbit({
    url: RABBITMQ_URL,
    name: 'dead-letters-test',
    logger: testLogger('inbox'),
    namespace: namespace.rabbitmq,
  });

beforeAll(async () => {
  database = await createTestDatabase('inbox', inboxMigrationsDir);
  pool = testSqlPool(database.url, 5);
  await pool.query(EFFECTS_TABLE);
  rabbit = await connect();
});

afterAll(async () => {
  const names = rabbit.named();
  await rabbit.close();
  await deleteBrokerNames({
    exchanges: [...names.exchanges, ...brokerNames.exchanges],
    queues: [...names.queues, ...brokerNames.queues],
  });
  await pool.end();
  await database.drop();
});

let queueSerial = 0;
const newQueue = () => `dead-letters-test.q${queueSerial++}`;
const publish = (routingKey: string, body: object, messageId: string) =>
  rabbit.publish(EXCHANGE, routingKey, body, { messageId });
const depthOf = async (queue: string) => (await countDeadLetters(broker, [queue]))[0]?.depth;

class Refused extends Error {}

/**
 * A consumer that refuses every event for good while `refusing` holds (dead-lettered at once),
 * then applies them once; `seen` records each handled event.
 */
async function startRefusingConsumer(queue: string, routingKeys: string[], consumerRabbit = rabbit) {
  const state = { refusing: true, seen: [] as { messageId: string; routingKey: string }[] };
  await startEventConsumer({
    rabbit: consumerRabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys }],
    isPermanent: (error) => error instanceof Refused,
    handle: async (event) => {
      if (state.refusing) throw new Refused('refused for good');
      await applyOnce(pool, queue, event);
      state.seen.push({ messageId: event.messageId, routingKey: event.routingKey });
    },
  });
  return state;
}

it('lists dead letters with why and where from, and leaves them in place', async () => {
  const queue = newQueue();
  await startRefusingConsumer(queue, ['listed.#']);
  const before = Date.now();
  await publish('listed.first', { n: 1 }, 'listed-1');
  await publish('listed.second', { n: 2, text: 'x'.repeat(50) }, 'listed-2');
  await eventually(async () => (await depthOf(queue)) === 2);

  const listing = await listDeadLetters(broker, queue);
  expect(listing.depth).toBe(2);
  const byId = new Map(listing.deadLetters.map((deadLetter) => [deadLetter.messageId, deadLetter]));
  expect(byId.get('listed-1')).toEqual({
    messageId: 'listed-1',
    exchange: `${namespace.rabbitmq}${EXCHANGE}`,
    routingKey: 'listed.first',
    reason: 'rejected',
    deaths: 1,
    replays: 0,
    firstDeathAt: expect.any(Date),
    body: '{"n":1}',
    bodyBytes: 7,
  });
  // AMQP timestamps are whole seconds.
  const firstDeathAt = byId.get('listed-1')?.firstDeathAt?.getTime() ?? 0;
  expect(firstDeathAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  expect(firstDeathAt).toBeLessThanOrEqual(Date.now());
  expect(byId.get('listed-2')?.routingKey).toBe('listed.second');

  // Listed again: the same messages in the same order, still there.
  expect(await listDeadLetters(broker, queue)).toEqual(listing);
  expect(await depthOf(queue)).toBe(2);

  const short = await listDeadLetters(broker, queue, { limit: 1, bodyChars: 5 });
  expect(short.depth).toBe(2);
  expect(short.deadLetters).toHaveLength(1);
  expect(short.deadLetters[0]?.messageId).toBe(listing.deadLetters[0]?.messageId);
  expect(short.deadLetters[0]?.body).toMatch(/^.{5}…$/);
  expect(await listDeadLetters(broker, queue)).toEqual(listing);
});

it('replays chosen dead letters into the consumer queue, which applies each once', async () => {
  const queue = newQueue();
  const consumer = await startRefusingConsumer(queue, ['replayed.#']);
  await publish('replayed.first', { n: 1 }, 'replayed-1');
  await publish('replayed.second', { n: 2 }, 'replayed-2');
  await eventually(async () => (await depthOf(queue)) === 2);
  const [first] = (await listDeadLetters(broker, queue)).deadLetters.filter((dead) => dead.messageId === 'replayed-1');

  // Replayed too early, it is refused again: it still tells where it came from, and since when.
  expect(await replayDeadLetters(broker, queue, { messageIds: ['replayed-1'] })).toEqual({
    replayed: 1,
    skipped: 0,
    notFound: [],
  });
  let again: DeadLetter | undefined;
  await eventually(async () => {
    const { deadLetters } = await listDeadLetters(broker, queue);
    again = deadLetters.find((dead) => dead.messageId === 'replayed-1');
    return again?.replays === 1;
  });
  expect(again).toEqual({ ...first, replays: 1 });

  // The cause is fixed: replay one by id, then the rest.
  consumer.refusing = false;
  expect(await replayDeadLetters(broker, queue, { messageIds: ['replayed-1', 'no-such-id'] })).toEqual({
    replayed: 1,
    skipped: 0,
    notFound: ['no-such-id'],
  });
  await eventually(async () => (await effectsOf(pool, 'replayed-1', queue)) === 1);
  // The handler sees the event's own routing key, not the queue name the replay was sent with.
  expect(consumer.seen).toEqual([{ messageId: 'replayed-1', routingKey: 'replayed.first' }]);
  expect((await listDeadLetters(broker, queue)).deadLetters.map((deadLetter) => deadLetter.messageId)).toEqual([
    'replayed-2',
  ]);

  expect(await replayDeadLetters(broker, queue, { all: true })).toEqual({ replayed: 1, skipped: 0, notFound: [] });
  await eventually(async () => (await effectsOf(pool, 'replayed-2', queue)) === 1);
  expect(await depthOf(queue)).toBe(0);
  expect(await effectsOf(pool, 'replayed-1', queue)).toBe(1);
});

it('replaying an event already applied changes nothing', async () => {
  const queue = newQueue();
  const consumer = await startRefusingConsumer(queue, ['again.#']);
  consumer.refusing = false;
  await publish('again.thing', { n: 1 }, 'again-1');
  await eventually(async () => (await effectsOf(pool, 'again-1', queue)) === 1);

  // The outbox publishes it again (a relay that crashed before its confirm) while the handler refuses.
  consumer.refusing = true;
  await publish('again.thing', { n: 1 }, 'again-1');
  await eventually(async () => (await depthOf(queue)) === 1);
  consumer.refusing = false;
  expect(await replayDeadLetters(broker, queue, { all: true })).toEqual({ replayed: 1, skipped: 0, notFound: [] });
  await eventually(() => consumer.seen.length === 2);
  expect(consumer.seen.map((event) => event.messageId)).toEqual(['again-1', 'again-1']);
  expect(await effectsOf(pool, 'again-1', queue)).toBe(1);
  expect(await depthOf(queue)).toBe(0);
});

it('shows a message that failed on every delivery, and never replays one without a messageId', async () => {
  const queue = newQueue();
  let failing = true;
  await startEventConsumer({
    rabbit,
    queue,
    logger: testLogger('inbox'),
    bindings: [{ exchange: EXCHANGE, routingKeys: ['limit.#'] }],
    deliveryLimit: 1,
    retry: { initialDelayMs: 10, maxDelayMs: 20 },
    handle: async (event) => {
      if (failing) throw new Error('database unavailable');
      await applyOnce(pool, queue, event);
    },
  });
  await publish('limit.thing', { n: 1 }, 'limit-1');
  await rabbit.onConnected(async (channel) => {
    // No messageId at all: publish bypassing the wrapper's check.
    channel.publish(rabbit.name(EXCHANGE, 'exchange'), 'limit.anonymous', Buffer.from('{}'));
  });
  await eventually(async () => (await depthOf(queue)) === 2);
  const { deadLetters } = await listDeadLetters(broker, queue);
  expect(deadLetters.map(({ messageId, routingKey, reason }) => ({ messageId, routingKey, reason }))).toEqual(
    expect.arrayContaining([
      { messageId: 'limit-1', routingKey: 'limit.thing', reason: 'delivery_limit' },
      { messageId: undefined, routingKey: 'limit.anonymous', reason: 'rejected' },
    ]),
  );

  failing = false;
  expect(await replayDeadLetters(broker, queue, { all: true })).toEqual({ replayed: 1, skipped: 1, notFound: [] });
  await eventually(async () => (await effectsOf(pool, 'limit-1', queue)) === 1);
  const left = await listDeadLetters(broker, queue);
  expect(left.deadLetters.map((deadLetter) => deadLetter.messageId)).toEqual([undefined]);
});

it('counts the dead letters of every queue asked for, and says which queue has none declared', async () => {
  const queue = newQueue();
  await startRefusingConsumer(queue, ['counted.#']);
  await publish('counted.thing', { n: 1 }, 'counted-1');
  await eventually(async () => (await depthOf(queue)) === 1);
  expect(await countDeadLetters(broker, [queue, 'dead-letters-test.never-started'])).toEqual([
    { queue, depth: 1 },
    { queue: 'dead-letters-test.never-started', depth: undefined },
  ]);
  await expect(listDeadLetters(broker, 'dead-letters-test.never-started')).rejects.toThrow(
    /no queue .*dead-letters-test\.never-started\.dead-letter/,
  );
});

it('reports the depth of each dead-letter queue in one gauge, keeping the last value when the broker is gone', async () => {
  const registry = new Registry();
  const own = await connect();
  const [refusing, quiet] = [newQueue(), newQueue()];
  await startEventConsumer({
    rabbit: own,
    queue: refusing,
    logger: testLogger('inbox'),
    registry,
    bindings: [{ exchange: EXCHANGE, routingKeys: ['gauge.#'] }],
    isPermanent: () => true,
    handle: async () => {
      throw new Refused('refused for good');
    },
  });
  await startEventConsumer({
    rabbit: own,
    queue: quiet,
    logger: testLogger('inbox'),
    registry,
    bindings: [{ exchange: EXCHANGE, routingKeys: ['gauge-quiet.#'] }],
    handle: async () => {},
  });
  const sample = (queue: string, value: number) => `${DEAD_LETTER_GAUGE}{queue="${queue}"} ${value}`;

  await publish('gauge.thing', { n: 1 }, 'gauge-1');
  await publish('gauge.thing', { n: 2 }, 'gauge-2');
  let text = '';
  await eventually(async () => {
    text = await registry.metrics();
    return text.includes(sample(refusing, 2));
  });
  expect(text).toContain(sample(quiet, 0));
  expect(text.match(new RegExp(`^# HELP ${DEAD_LETTER_GAUGE} `, 'gm'))).toHaveLength(1);

  // Its connection closed, a scrape neither fails nor forgets the depths.
  const names = own.named();
  brokerNames.exchanges.push(...names.exchanges);
  brokerNames.queues.push(...names.queues);
  await own.close();
  text = await registry.metrics();
  expect(text).toContain(sample(refusing, 2));
  expect(text).toContain(sample(quiet, 0));
});

it('will not take over a metric of the same name it did not create', async () => {
  const registry = new Registry();
  new Gauge({ name: DEAD_LETTER_GAUGE, help: 'something else', registers: [registry] });
  await expect(registerDeadLetterGauge(registry, rabbit, ['any'])).rejects.toThrow(/already registered/);
});

import { listDeadLetters } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { commandQueueOf, commandRoutingKey, SAGA_COMMAND_EXCHANGE, type SagaCommand } from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import { eventually, startTestSubgraph, type TestSubgraph, testLogger } from '@radiata/testing';
import { SAGA_PARTICIPANT } from '../src/messaging/saga-participant.js';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Not the default (1), so the tests prove the configuration is used. */
const EARN_RATE_PERCENT = 5;
const QUEUE = commandQueueOf(SAGA_PARTICIPANT);

let stack: TestSubgraph<Running>;
let orders: Rabbit;
beforeAll(async () => {
  stack = await startTestSubgraph(usersSubgraph, { env: { POINTS_EARN_RATE_PERCENT: String(EARN_RATE_PERCENT) } });
  // Publishes as the orders subgraph's outbox relay will, in the stack's RabbitMQ namespace.
  orders = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'users-saga-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await orders.close();
  await stack.stop();
});

type Action = 'use' | 'refund' | 'earn';

async function send(
  orderId: string,
  action: Action | 'explode',
  data: object,
  options: { attempt?: number; messageId?: string } = {},
): Promise<string> {
  const messageId = options.messageId ?? newId();
  const command: SagaCommand<object> = {
    orderId,
    action,
    attempt: options.attempt ?? 1,
    issuedAt: new Date().toISOString(),
    data,
  };
  await orders.publish(SAGA_COMMAND_EXCHANGE, commandRoutingKey(SAGA_PARTICIPANT, action), command, { messageId });
  return messageId;
}

interface Reply {
  readonly routingKey: string;
  readonly attempt: number;
  readonly outcome: string;
  readonly reason?: string;
  readonly data: Record<string, unknown>;
}

/** The order's replies in the users outbox, in the order they were committed. */
async function repliesOf(orderId: string): Promise<Reply[]> {
  const rows = await stack.sql<{ exchange: string; routing_key: string; payload: Record<string, unknown> }>(
    `SELECT exchange, routing_key, payload FROM outbox_messages
     WHERE routing_key LIKE 'users.saga.%' AND payload->>'orderId' = $1 ORDER BY created_at, id`,
    orderId,
  );
  return rows.map(({ exchange, routing_key, payload }) => {
    expect(exchange).toBe('radiata.users');
    expect(payload).toEqual(
      expect.objectContaining({ orderId, action: expect.any(String), occurredAt: expect.any(String) }),
    );
    const { attempt, outcome, reason, data } = payload as Omit<Reply, 'routingKey'>;
    return { routingKey: routing_key, attempt, outcome, ...(reason === undefined ? {} : { reason }), data };
  });
}

/** Sends a command and waits for the reply it adds (the order's replies so far + 1); that reply. */
async function command(
  orderId: string,
  action: Action,
  data: object,
  options: { attempt?: number } = {},
): Promise<Reply> {
  const before = (await repliesOf(orderId)).length;
  await send(orderId, action, data, options);
  await eventually(async () => (await repliesOf(orderId)).length === before + 1);
  return (await repliesOf(orderId))[before] as Reply;
}

let users = 0;
/** A customer holding `points`, given by an ADMIN adjustment (an entry without an order). */
async function customerWith(points: number): Promise<string> {
  const user = await stack.subgraph.services.accounts.signUp({
    email: `saga${process.pid}.${users++}@example.com`,
    password: 'password 123',
    name: 'Shopper',
  });
  if (points > 0) {
    await stack.subgraph.services.points.apply({ userId: user.id, type: 'ADJUST', amount: points, reason: 'welcome' });
  }
  return user.id;
}

async function balanceOf(userId: string): Promise<number> {
  const [row] = await stack.sql<{ balance: number }>('SELECT balance FROM point_accounts WHERE user_id = $1', userId);
  return row?.balance as number;
}

/** The order's ledger entries: [type, amount, balanceAfter], oldest first. */
async function entriesOf(userId: string, orderId: string): Promise<[string, number, number][]> {
  const rows = await stack.sql<{ type: string; amount: number; balance_after: number }>(
    'SELECT type, amount, balance_after FROM point_entries WHERE user_id = $1 AND order_id = $2 ORDER BY created_at, id',
    userId,
    orderId,
  );
  return rows.map((row) => [row.type, row.amount, row.balance_after]);
}

/** The whole ledger of a user must explain the balance. */
async function ledgerSum(userId: string): Promise<number> {
  const [row] = await stack.sql<{ sum: number }>(
    'SELECT COALESCE(SUM(amount), 0)::int AS sum FROM point_entries WHERE user_id = $1',
    userId,
  );
  return row?.sum as number;
}

describe('use', () => {
  it('spends the points once and answers a resent command the same, whatever the balance is now', async () => {
    const userId = await customerWith(1_000);
    const orderId = newId();
    const messageId = await send(orderId, 'use', { userId, points: 300 });
    await eventually(async () => (await repliesOf(orderId)).length === 1);
    const [first] = await repliesOf(orderId);
    expect(first).toEqual({
      routingKey: 'users.saga.used',
      attempt: 1,
      outcome: 'DONE',
      data: { points: 300, balanceAfter: 700 },
    });

    // Another order spends meanwhile; orders resends this one (no reply in time): the same answer.
    await command(newId(), 'use', { userId, points: 650 });
    const resent = await command(orderId, 'use', { userId, points: 300 }, { attempt: 2 });
    expect(resent).toEqual({ ...first, attempt: 2 });
    expect(await entriesOf(userId, orderId)).toEqual([['USE', -300, 700]]);
    expect(await balanceOf(userId)).toBe(50);
    // The inbox has the command (its redelivery is skipped, @radiata/saga's tests show how).
    expect(
      await stack.sql('SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2', QUEUE, messageId),
    ).toHaveLength(1);
    expect(await ledgerSum(userId)).toBe(50);
  });

  it('refuses more points than the balance with INSUFFICIENT_POINTS and the balance, changing nothing', async () => {
    const userId = await customerWith(100);
    const orderId = newId();
    expect(await command(orderId, 'use', { userId, points: 101 })).toEqual({
      routingKey: 'users.saga.used',
      attempt: 1,
      outcome: 'REFUSED',
      reason: 'INSUFFICIENT_POINTS',
      data: { balance: 100 },
    });
    expect(await entriesOf(userId, orderId)).toEqual([]);
    expect(await balanceOf(userId)).toBe(100);
    // Not a tombstone: the order may still use what the balance holds.
    expect((await command(orderId, 'use', { userId, points: 100 }, { attempt: 2 })).data).toEqual({
      points: 100,
      balanceAfter: 0,
    });
  });
});

describe('refund', () => {
  it('gives the used points back once, and answers a resent refund the same', async () => {
    const userId = await customerWith(1_000);
    const orderId = newId();
    await command(orderId, 'use', { userId, points: 400 });
    const refunded = await command(orderId, 'refund', { userId });
    expect(refunded).toEqual({
      routingKey: 'users.saga.refunded',
      attempt: 1,
      outcome: 'DONE',
      data: { refunded: 400, revoked: 0 },
    });
    expect(await command(orderId, 'refund', { userId }, { attempt: 2 })).toEqual({ ...refunded, attempt: 2 });
    expect(await entriesOf(userId, orderId)).toEqual([
      ['USE', -400, 600],
      ['REFUND', 400, 1_000],
    ]);
    expect(await balanceOf(userId)).toBe(1_000);
    expect(await ledgerSum(userId)).toBe(1_000);
  });

  it('takes back the points the order earned, after giving back what it used', async () => {
    const userId = await customerWith(1_000);
    const orderId = newId();
    await command(orderId, 'use', { userId, points: 200 });
    expect((await command(orderId, 'earn', { userId, amountPaid: 10_000 })).data).toEqual({
      points: 500,
      balanceAfter: 1_300,
    });
    expect((await command(orderId, 'refund', { userId })).data).toEqual({ refunded: 200, revoked: 500 });
    expect(await entriesOf(userId, orderId)).toEqual([
      ['USE', -200, 800],
      ['EARN', 500, 1_300],
      ['REFUND', 200, 1_500],
      ['EXPIRE', -500, 1_000],
    ]);
    expect(await balanceOf(userId)).toBe(1_000);
    expect(await ledgerSum(userId)).toBe(1_000);
  });

  it('takes back at most the balance when the earned points were spent: it never goes negative', async () => {
    const userId = await customerWith(0);
    const paid = newId();
    expect((await command(paid, 'earn', { userId, amountPaid: 20_000 })).data).toEqual({
      points: 1_000,
      balanceAfter: 1_000,
    });
    await command(newId(), 'use', { userId, points: 700 });
    expect((await command(paid, 'refund', { userId })).data).toEqual({ refunded: 0, revoked: 300 });
    expect(await entriesOf(userId, paid)).toEqual([
      ['EARN', 1_000, 1_000],
      ['EXPIRE', -300, 0],
    ]);
    expect(await balanceOf(userId)).toBe(0);
    expect(await ledgerSum(userId)).toBe(0);
    // Nothing is left to take back: a resent refund answers the same and writes nothing.
    expect((await command(paid, 'refund', { userId }, { attempt: 2 })).data).toEqual({ refunded: 0, revoked: 300 });
    expect(await entriesOf(userId, paid)).toHaveLength(2);
  });

  it('refunds an order that used nothing with zeros, and refuses its late use and earn as ALREADY_RELEASED', async () => {
    const userId = await customerWith(1_000);
    const orderId = newId();
    expect(await command(orderId, 'refund', { userId })).toEqual({
      routingKey: 'users.saga.refunded',
      attempt: 1,
      outcome: 'DONE',
      data: { refunded: 0, revoked: 0 },
    });
    // The use that timed out arrives after its compensation: never applied late.
    expect(await command(orderId, 'use', { userId, points: 300 })).toEqual({
      routingKey: 'users.saga.used',
      attempt: 1,
      outcome: 'REFUSED',
      reason: 'ALREADY_RELEASED',
      data: {},
    });
    expect(await command(orderId, 'earn', { userId, amountPaid: 50_000 })).toEqual({
      routingKey: 'users.saga.earned',
      attempt: 1,
      outcome: 'REFUSED',
      reason: 'ALREADY_RELEASED',
      data: {},
    });
    expect(await entriesOf(userId, orderId)).toEqual([]);
    expect(await balanceOf(userId)).toBe(1_000);
  });

  it('refuses an earn after the refund of an order that used and earned', async () => {
    const userId = await customerWith(1_000);
    const orderId = newId();
    await command(orderId, 'use', { userId, points: 100 });
    await command(orderId, 'refund', { userId });
    expect(await command(orderId, 'earn', { userId, amountPaid: 10_000 })).toEqual(
      expect.objectContaining({ outcome: 'REFUSED', reason: 'ALREADY_RELEASED' }),
    );
    expect(await command(orderId, 'use', { userId, points: 100 }, { attempt: 2 })).toEqual(
      expect.objectContaining({ outcome: 'REFUSED', reason: 'ALREADY_RELEASED' }),
    );
    expect(await entriesOf(userId, orderId)).toEqual([
      ['USE', -100, 900],
      ['REFUND', 100, 1_000],
    ]);
  });
});

describe('earn', () => {
  it(`earns floor(amountPaid × ${EARN_RATE_PERCENT} / 100) points once per order`, async () => {
    const userId = await customerWith(10);
    const orderId = newId();
    const earned = await command(orderId, 'earn', { userId, amountPaid: 12_345 });
    expect(earned).toEqual({
      routingKey: 'users.saga.earned',
      attempt: 1,
      outcome: 'DONE',
      data: { points: 617, balanceAfter: 627 },
    });
    expect(await command(orderId, 'earn', { userId, amountPaid: 12_345 }, { attempt: 2 })).toEqual({
      ...earned,
      attempt: 2,
    });
    expect(await entriesOf(userId, orderId)).toEqual([['EARN', 617, 627]]);
    expect(await balanceOf(userId)).toBe(627);
  });

  it('reads the rate from POINTS_EARN_RATE_PERCENT: a whole percent from 0 to 100, 1 by default', () => {
    const { POINTS_EARN_RATE_PERCENT: _configured, ...env } = stack.env;
    const rateOf = (more: Record<string, string>) =>
      usersSubgraph.loadConfig({ ...env, ...more }).POINTS_EARN_RATE_PERCENT;
    expect(rateOf({})).toBe(1);
    expect(rateOf({ POINTS_EARN_RATE_PERCENT: '0' })).toBe(0);
    expect(rateOf({ POINTS_EARN_RATE_PERCENT: '100' })).toBe(100);
    for (const wrong of ['-1', '101', '2.5', 'many']) {
      expect(() => rateOf({ POINTS_EARN_RATE_PERCENT: wrong })).toThrow(/POINTS_EARN_RATE_PERCENT is malformed/);
    }
  });

  it('answers DONE with 0 points and writes no entry when the payment earns nothing', async () => {
    const userId = await customerWith(10);
    const orderId = newId();
    // 19 won × 5 % = 0.95 points, rounded down.
    expect(await command(orderId, 'earn', { userId, amountPaid: 19 })).toEqual({
      routingKey: 'users.saga.earned',
      attempt: 1,
      outcome: 'DONE',
      data: { points: 0 },
    });
    expect(await entriesOf(userId, orderId)).toEqual([]);
    expect(await balanceOf(userId)).toBe(10);
  });
});

it('dead-letters commands it cannot apply, and goes on answering', async () => {
  const userId = await customerWith(100);
  const unknownUser = newId();
  const invalid: [Action | 'explode', object][] = [
    ['use', { userId, points: 0 }],
    ['use', { userId, points: 1.5 }],
    ['use', { userId: 'not-a-uuid', points: 10 }],
    ['use', { points: 10 }],
    ['earn', { userId, amountPaid: -1 }],
    ['earn', { userId, amountPaid: '1000' }],
    ['refund', {}],
    ['explode', { userId }],
    // Well-formed, but the user has no point account: no retry can apply them.
    ['use', { userId: unknownUser, points: 10 }],
    ['earn', { userId: unknownUser, amountPaid: 1_000 }],
  ];
  const orderIds = invalid.map(() => newId());
  const messageIds: string[] = [];
  for (const [index, [action, data]] of invalid.entries())
    messageIds.push(await send(orderIds[index] as string, action, data));
  const orderId = newId();
  expect((await command(orderId, 'use', { userId, points: 10 })).outcome).toBe('DONE');

  const broker = { url: RABBITMQ_URL, namespace: stack.namespace.rabbitmq };
  await eventually(async () => (await listDeadLetters(broker, QUEUE)).depth === invalid.length);
  const { deadLetters } = await listDeadLetters(broker, QUEUE);
  expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...messageIds].sort());
  expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(invalid.map(() => 'rejected'));
  // None of them replied or changed a balance.
  for (const invalidOrder of orderIds) expect(await repliesOf(invalidOrder)).toEqual([]);
  expect(await balanceOf(userId)).toBe(90);
  expect(await stack.sql('SELECT 1 FROM point_accounts WHERE user_id = $1', unknownUser)).toEqual([]);
});

it('lets exactly as many of 100 concurrent orders use points as the balance covers', async () => {
  // A second replica consumes the same queue: the orders race across processes' pools too.
  const replica = await usersSubgraph.start({ env: stack.env, logger: testLogger('users') });
  try {
    const userId = await customerWith(1_000);
    const orderIds = Array.from({ length: 100 }, () => newId());
    await Promise.all(orderIds.map((orderId) => send(orderId, 'use', { userId, points: 30 })));
    const answered = async () =>
      stack.sql<{ outcome: string; reason: string | null; balance_after: number | null; balance: number | null }>(
        `SELECT payload->>'outcome' AS outcome, payload->>'reason' AS reason,
                (payload->'data'->>'balanceAfter')::int AS balance_after, (payload->'data'->>'balance')::int AS balance
         FROM outbox_messages WHERE routing_key = 'users.saga.used' AND payload->>'orderId' = ANY($1::text[])`,
        orderIds,
      );
    await eventually(async () => (await answered()).length === orderIds.length, 60_000);

    const replies = await answered();
    const done = replies.filter((reply) => reply.outcome === 'DONE');
    const refused = replies.filter((reply) => reply.outcome === 'REFUSED');
    expect(done).toHaveLength(33);
    expect(refused).toHaveLength(67);
    // Each use saw the one before it: the balances after are 970, 940, … 10, each once.
    expect(done.map((reply) => reply.balance_after).sort((a, b) => (b ?? 0) - (a ?? 0))).toEqual(
      Array.from({ length: 33 }, (_, index) => 1_000 - 30 * (index + 1)),
    );
    for (const reply of refused) {
      expect(reply.reason).toBe('INSUFFICIENT_POINTS');
      expect(reply.balance).toBeLessThan(30);
    }
    expect(await balanceOf(userId)).toBe(10);
    expect(await ledgerSum(userId)).toBe(10);
    const [uses] = await stack.sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM point_entries WHERE user_id = $1 AND type = 'USE'`,
      userId,
    );
    expect(uses?.count).toBe(33);
  } finally {
    await replica.stop();
  }
});

it('never applies a use its concurrent refund missed: each order ends refunded in full or refused', async () => {
  const userId = await customerWith(10_000);
  const orderIds = Array.from({ length: 40 }, () => newId());
  // The use and its compensation of each order, sent at once (orders compensates a use that timed out).
  await Promise.all(
    orderIds.flatMap((orderId) => [send(orderId, 'use', { userId, points: 100 }), send(orderId, 'refund', { userId })]),
  );
  await eventually(async () => {
    const counts = await Promise.all(orderIds.map(async (orderId) => (await repliesOf(orderId)).length));
    return counts.every((count) => count === 2);
  }, 60_000);

  for (const orderId of orderIds) {
    const replies = await repliesOf(orderId);
    const used = replies.find((reply) => reply.routingKey === 'users.saga.used');
    const refunded = replies.find((reply) => reply.routingKey === 'users.saga.refunded');
    if (used?.outcome === 'DONE') {
      // The use came first: the refund gave it back.
      expect(refunded?.data).toEqual({ refunded: 100, revoked: 0 });
      expect((await entriesOf(userId, orderId)).map(([type, amount]) => [type, amount])).toEqual([
        ['USE', -100],
        ['REFUND', 100],
      ]);
    } else {
      // The refund came first: its tombstone refused the late use.
      expect(used).toEqual(expect.objectContaining({ outcome: 'REFUSED', reason: 'ALREADY_RELEASED' }));
      expect(refunded?.data).toEqual({ refunded: 0, revoked: 0 });
      expect(await entriesOf(userId, orderId)).toEqual([]);
    }
  }
  expect(await balanceOf(userId)).toBe(10_000);
  expect(await ledgerSum(userId)).toBe(10_000);
});

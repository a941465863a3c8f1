import { listDeadLetters, MalformedEvent } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, startTestSubgraph, type TestSubgraph, testLogger } from '@radiata/testing';
import {
  ACCOUNT_HOLDS_QUEUE,
  ORDER_STATUS_CHANGED,
  ORDERS_EXCHANGE,
  PAYMENTS_EXCHANGE,
  parseHoldEvent,
  WALLET_BALANCE_CHANGED,
} from '../src/messaging/account-holds-consumer.js';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

let users: TestSubgraph<Running>;
let producers: Rabbit;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph);
  producers = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'users-holds-test',
    logger: testLogger('rabbit'),
    namespace: users.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await producers.close();
  await users.stop();
});

const holds = () => users.subgraph.services.accountHolds;

const applied = (messageId: string) => async () =>
  (
    await users.sql(
      'SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2',
      ACCOUNT_HOLDS_QUEUE,
      messageId,
    )
  ).length === 1;

const order = (userId: string, orderId: string, status: string, version: number) => ({
  orderId,
  userId,
  status,
  version,
  occurredAt: new Date().toISOString(),
});

it('keeps the newest status of each order whatever order the events arrive in', async () => {
  const userId = newId();
  const orderId = newId();
  // The relays do not promise order: DELIVERED (version 8) arrives before what led to it.
  const ids = [newId(), newId(), newId(), newId()];
  const events = [
    order(userId, orderId, 'DELIVERED', 8),
    order(userId, orderId, 'PENDING', 0),
    order(userId, orderId, 'SHIPPING', 7),
    order(userId, orderId, 'PAID', 3),
  ];
  for (const [index, event] of events.entries()) {
    await producers.publish(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, event, { messageId: ids[index] as string });
  }
  for (const id of ids) await eventually(applied(id));
  expect(await users.sql('SELECT user_id, status, version FROM shopper_orders WHERE order_id = $1', orderId)).toEqual([
    { user_id: userId, status: 'DELIVERED', version: 8 },
  ]);
  expect(await holds().of(users.subgraph.services.db, userId)).toEqual({ ordersInFlight: 0, walletBalance: 0 });

  // Another order of the same shopper, still in flight, whose older event comes last.
  const second = newId();
  const [newer, older] = [newId(), newId()];
  await producers.publish(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, order(userId, second, 'REFUNDING', 5), {
    messageId: newer,
  });
  await producers.publish(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, order(userId, second, 'REFUNDED', 4), {
    messageId: older,
  });
  await eventually(applied(newer));
  await eventually(applied(older));
  expect(await holds().of(users.subgraph.services.db, userId)).toEqual({ ordersInFlight: 1, walletBalance: 0 });
});

it('keeps the newest wallet balance whatever order the events arrive in', async () => {
  const userId = newId();
  const ids = [newId(), newId(), newId()];
  const balances = [
    { userId, balance: 0, version: 3, occurredAt: new Date().toISOString() },
    { userId, balance: 50_000, version: 1, occurredAt: new Date().toISOString() },
    { userId, balance: 18_000, version: 2, occurredAt: new Date().toISOString() },
  ];
  for (const [index, balance] of balances.entries()) {
    await producers.publish(PAYMENTS_EXCHANGE, WALLET_BALANCE_CHANGED, balance, { messageId: ids[index] as string });
  }
  for (const id of ids) await eventually(applied(id));
  expect(await users.sql('SELECT balance, version FROM shopper_wallets WHERE user_id = $1', userId)).toEqual([
    { balance: 0, version: 3 },
  ]);
  expect(await holds().of(users.subgraph.services.db, userId)).toEqual({ ordersInFlight: 0, walletBalance: 0 });
});

it('applies each message once: a duplicate, even one newer than the row, changes nothing', async () => {
  const userId = newId();
  const messageId = newId();
  const wallet = { kind: 'wallet' as const, userId, balance: 3_000, version: 1 };
  expect(await holds().apply(ACCOUNT_HOLDS_QUEUE, messageId, wallet)).toBe('applied');
  // The same message again (a redelivery): nothing, whatever it says.
  expect(await holds().apply(ACCOUNT_HOLDS_QUEUE, messageId, { ...wallet, balance: 9_000, version: 2 })).toBe(
    'duplicate',
  );
  // Another message with an older or equal version: stale.
  expect(await holds().apply(ACCOUNT_HOLDS_QUEUE, newId(), { ...wallet, balance: 0, version: 1 })).toBe('stale');
  expect(await holds().of(users.subgraph.services.db, userId)).toEqual({ ordersInFlight: 0, walletBalance: 3_000 });

  // Through the broker: the same message delivered twice leaves one inbox row and one effect.
  const orderId = newId();
  const twice = newId();
  await producers.publish(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, order(userId, orderId, 'AWAITING_PAYMENT', 2), {
    messageId: twice,
  });
  await producers.publish(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, order(userId, orderId, 'AWAITING_PAYMENT', 2), {
    messageId: twice,
  });
  // A later message proves both copies were consumed (one queue, in order).
  const after = newId();
  await producers.publish(
    PAYMENTS_EXCHANGE,
    WALLET_BALANCE_CHANGED,
    { userId, balance: 3_000, version: 5 },
    {
      messageId: after,
    },
  );
  await eventually(applied(after));
  expect(await users.sql('SELECT count(*)::int AS n FROM inbox_messages WHERE message_id = $1', twice)).toEqual([
    { n: 1 },
  ]);
  expect(await holds().of(users.subgraph.services.db, userId)).toEqual({ ordersInFlight: 1, walletBalance: 3_000 });
});

it('dead-letters an event it cannot read, at once', async () => {
  expect(() =>
    parseHoldEvent(ORDER_STATUS_CHANGED, { orderId: 'x', userId: newId(), status: 'PAID', version: 1 }),
  ).toThrow(MalformedEvent);
  expect(() => parseHoldEvent(WALLET_BALANCE_CHANGED, { userId: newId(), balance: -1, version: 1 })).toThrow(
    MalformedEvent,
  );
  expect(() => parseHoldEvent('orders.order.cancelled', { orderId: newId() })).toThrow(MalformedEvent);

  const messageId = newId();
  await producers.publish(
    PAYMENTS_EXCHANGE,
    WALLET_BALANCE_CHANGED,
    { userId: newId(), balance: 'lots' },
    { messageId },
  );
  const broker = { url: RABBITMQ_URL, namespace: users.namespace.rabbitmq };
  await eventually(async () =>
    (await listDeadLetters(broker, ACCOUNT_HOLDS_QUEUE)).deadLetters.some((letter) => letter.messageId === messageId),
  );
  expect(await applied(messageId)()).toBe(false);
});

import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, type HeardMessage, overhear, testLogger } from '@radiata/testing';
import { PAYMENTS_EXCHANGE, WALLET_BALANCE_CHANGED } from '../src/messaging/payments-events.js';
import { USER_DELETED, USERS_EXCHANGE, USERS_QUEUE } from '../src/messaging/users-consumer.js';
import {
  admin,
  awaitingOrder,
  codeOf,
  customer,
  type PaymentsStack,
  PIN,
  startPayments,
  topUp,
  walletWith,
} from './support.js';

let stack: PaymentsStack;
let broker: Rabbit;
let published: HeardMessage[] = [];
beforeAll(async () => {
  stack = await startPayments();
  broker = await connectRabbit({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'payments-wallet-events-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
  published = await overhear(broker, PAYMENTS_EXCHANGE, WALLET_BALANCE_CHANGED);
});
afterAll(async () => {
  await broker.close();
  await stack.stop();
});

const services = () => stack.services;

/** The wallet's balance events in the outbox, in the order they were written. */
const outboxOf = async (userId: string) =>
  (
    await stack.sql<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox_messages WHERE routing_key = $1 AND payload->>'userId' = $2 ORDER BY created_at, id",
      WALLET_BALANCE_CHANGED,
      userId,
    )
  ).map(({ payload }) => [payload.balance, payload.version]);

it('publishes payments.wallet.balance-changed with a growing version at every move of the balance, and only then', async () => {
  const shopper = customer();
  await services().wallets.create(shopper, { pin: PIN });
  expect(await outboxOf(shopper.id)).toEqual([]);

  await topUp(stack, shopper, 50_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 32_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(paid.status).toBe('APPROVED');
  // Not enough money: a FAILED payment, the balance unmoved, no event.
  const { orderId: tooDear } = await awaitingOrder(services(), shopper.id, 90_000);
  const failed = await services().orderPayments.pay(shopper, { orderId: tooDear, method: 'WALLET', pin: PIN });
  expect(failed.status).toBe('FAILED');
  await services().refunds.refundPayment(admin, {
    refundId: newId(),
    paymentId: paid.id,
    amount: 2_000,
    reason: 'one item returned',
  });

  expect(await outboxOf(shopper.id)).toEqual([
    [50_000, 1],
    [18_000, 2],
    [20_000, 3],
  ]);
  expect(await stack.sql('SELECT balance, version FROM wallets WHERE user_id = $1', shopper.id)).toEqual([
    { balance: 20_000, version: 3 },
  ]);
  // On the broker, as the users subgraph hears them.
  await eventually(() => published.filter((event) => event.payload.userId === shopper.id).length === 3);
  expect(published.filter((event) => event.payload.userId === shopper.id).map((event) => event.payload)).toEqual(
    expect.arrayContaining([{ userId: shopper.id, balance: 20_000, version: 3, occurredAt: expect.any(String) }]),
  );
});

describe('users.user.deleted', () => {
  const deleteAccount = async (userId: string, messageId = newId()) => {
    await broker.publish(
      USERS_EXCHANGE,
      USER_DELETED,
      { userId, deletedAt: new Date().toISOString(), erased: true },
      { messageId },
    );
    await eventually(
      async () =>
        (
          await stack.sql(
            'SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2',
            USERS_QUEUE,
            messageId,
          )
        ).length === 1,
    );
  };

  /** The gauge as Prometheus scrapes it. */
  const owed = async () => {
    const metrics = await (await fetch(stack.subgraph.metricsUrl)).text();
    return Number(/^radiata_closed_wallets_balance_won\{[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
  };

  it('closes the wallet: no more top-ups, the ledger kept, and what it holds reported as owed', async () => {
    const empty = await walletWith(stack, 0);
    const holding = await walletWith(stack, 7_000);
    const owedBefore = await owed();
    await deleteAccount(empty.id);
    await deleteAccount(holding.id);
    // A deletion of someone who never opened a wallet changes nothing.
    await deleteAccount(customer().id);

    const closed = await stack.sql<{ user_id: string; balance: number; closed: boolean }>(
      'SELECT user_id, balance, closed_at IS NOT NULL AS closed FROM wallets WHERE user_id = ANY($1::uuid[]) ORDER BY balance',
      [empty.id, holding.id],
    );
    expect(closed).toEqual([
      { user_id: empty.id, balance: 0, closed: true },
      { user_id: holding.id, balance: 7_000, closed: true },
    ]);
    expect(await owed()).toBe(owedBefore + 7_000);
    await expect(topUp(stack, holding, 1_000)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(codeOf(await topUp(stack, empty, 1_000).catch((error: unknown) => error))).toBe('NOT_FOUND');
    expect(
      await stack.sql('SELECT count(*)::int AS entries FROM wallet_entries WHERE user_id = $1', holding.id),
    ).toEqual([{ entries: 1 }]);
  });

  it('applies a deletion once, and keeps the first closing time', async () => {
    const leaver = await walletWith(stack, 0);
    const messageId = newId();
    await deleteAccount(leaver.id, messageId);
    const [first] = await stack.sql<{ closed_at: Date }>('SELECT closed_at FROM wallets WHERE user_id = $1', leaver.id);
    await deleteAccount(leaver.id, messageId);
    await deleteAccount(leaver.id);
    expect(await stack.sql('SELECT closed_at FROM wallets WHERE user_id = $1', leaver.id)).toEqual([first]);
  });
});

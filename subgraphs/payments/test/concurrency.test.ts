import { newId } from '@radiata/service-runtime';
import { ORDERS_QUEUE } from '../src/messaging/orders-consumer.js';
import { admin, awaitingOrder, type PaymentsStack, PIN, startPayments, walletTotals, walletWith } from './support.js';

// Races for real: hundreds of concurrent requests on one wallet or one order, then counting rows.
jest.setTimeout(180_000);

let stack: PaymentsStack;
beforeAll(async () => {
  stack = await startPayments({ env: { DATABASE_POOL_SIZE: '20', WALLET_MAX_BALANCE: '10000000' } });
});
afterAll(() => stack.stop());

const services = () => stack.services;
const CHARGES = Number(process.env.PAYMENTS_RACE_CHARGES ?? 500);

it(`${CHARGES} concurrent PIN payments of distinct orders on one wallet never overdraw it; the ledger sums to the balance`, async () => {
  const price = 3_000;
  const affordable = Math.floor((CHARGES * 2) / 3);
  const balance = affordable * price + price / 2;
  const shopper = await walletWith(stack, balance);
  const orders = await Promise.all(Array.from({ length: CHARGES }, () => awaitingOrder(services(), shopper.id, price)));

  const outcomes = await Promise.all(
    orders.map(({ orderId }) =>
      services()
        .orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })
        .then((payment) => payment.status),
    ),
  );

  expect(outcomes.filter((status) => status === 'APPROVED')).toHaveLength(affordable);
  expect(outcomes.filter((status) => status === 'FAILED')).toHaveLength(CHARGES - affordable);
  const left = balance - affordable * price;
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: left, ledger: left, entries: affordable + 1 });
  const [counts] = await stack.sql<{ approved: number; charges: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE status = 'FAILED' AND failure_code = 'INSUFFICIENT_BALANCE')::int AS failed,
            (SELECT count(*)::int FROM wallet_entries WHERE user_id = $1 AND type = 'CHARGE') AS charges
     FROM payments WHERE user_id = $1 AND purpose = 'ORDER'`,
    shopper.id,
  );
  expect(counts).toEqual({ approved: affordable, charges: affordable, failed: CHARGES - affordable });
});

it('100 concurrent payments of one order approve exactly one; the others are refused and move nothing', async () => {
  const shopper = await walletWith(stack, 100_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 9_000);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 100 }, () => services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })),
  );
  const approved = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.status === 'APPROVED');
  const conflicts = outcomes.filter(
    (outcome) =>
      outcome.status === 'rejected' &&
      (outcome.reason as { extensions?: { code?: string } }).extensions?.code === 'CONFLICT',
  );
  expect(approved).toHaveLength(1);
  expect(conflicts).toHaveLength(99);
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 91_000, ledger: 91_000, entries: 2 });
});

it('applies duplicate deliveries of one refund command once, concurrent or not', async () => {
  const shopper = await walletWith(stack, 50_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 40_000);
  await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  const command = { kind: 'refund-requested' as const, refundId: newId(), orderId, amount: 10_000, reason: 'returned' };
  const messageId = newId();
  // The same message redelivered, and the same command sent again as new messages, all at once.
  await Promise.all([
    ...Array.from({ length: 10 }, () => services().payableOrders.apply(ORDERS_QUEUE, messageId, command)),
    ...Array.from({ length: 10 }, () => services().payableOrders.apply(ORDERS_QUEUE, newId(), command)),
  ]);
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 20_000, ledger: 20_000, entries: 3 });
  expect(await stack.sql('SELECT count(*)::int AS n FROM refunds WHERE request_key = $1', command.refundId)).toEqual([
    { n: 1 },
  ]);
});

it('200 concurrent refunds of one payment never give back more than was paid', async () => {
  const shopper = await walletWith(stack, 30_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 25_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, () =>
      services().refunds.refundPayment(admin, { refundId: newId(), paymentId: paid.id, amount: 1_000, reason: 'race' }),
    ),
  );
  expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(25);
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 30_000, ledger: 30_000, entries: 27 });
  expect(await stack.sql('SELECT status, refunded_amount FROM payments WHERE id = $1', paid.id)).toEqual([
    { status: 'REFUNDED', refunded_amount: 25_000 },
  ]);
});

it('keeps the balance equal to its ledger for every wallet the suite touched', async () => {
  const drift = await stack.sql(
    `SELECT w.user_id FROM wallets w LEFT JOIN wallet_entries e ON e.user_id = w.user_id
     GROUP BY w.user_id, w.balance HAVING w.balance <> COALESCE(SUM(e.amount), 0)`,
  );
  expect(drift).toEqual([]);
});

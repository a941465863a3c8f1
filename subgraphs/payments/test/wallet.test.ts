import { newId } from '@radiata/service-runtime';
import { TestClock } from '@radiata/testing';
import { ORDERS_QUEUE } from '../src/messaging/orders-consumer.js';
import {
  admin,
  awaitingOrder,
  codeOf,
  customer,
  type PaymentsStack,
  PIN,
  startPayments,
  topUp,
  walletTotals,
  walletWith,
} from './support.js';

const clock = new TestClock();
let stack: PaymentsStack;
beforeAll(async () => {
  stack = await startPayments({ clock, env: { PIN_MAX_ATTEMPTS: '5', PIN_LOCK_MS: String(30 * 60_000) } });
});
afterAll(() => stack.stop());

const services = () => stack.services;

it('opens a wallet, tops it up through the provider, pays an order with the PIN, and the ledger explains the balance', async () => {
  const shopper = customer();
  const wallet = await services().wallets.create(shopper, { pin: PIN });
  expect(wallet.balance).toBe(0);
  expect(await stack.sql('SELECT pin_hash FROM wallets WHERE user_id = $1', shopper.id)).toEqual([
    { pin_hash: expect.stringMatching(/^\$argon2id\$/) },
  ]);

  const topped = await topUp(stack, shopper, 50_000);
  expect(topped).toMatchObject({ status: 'APPROVED', purpose: 'TOP_UP', amount: 50_000 });
  const charged = (await stack.provider.ledger()).payments[topped.paymentKey as string];
  expect(charged).toMatchObject({ confirms: 1, chargedAmount: 50_000 });

  const { orderId } = await awaitingOrder(services(), shopper.id, 32_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(paid).toMatchObject({ status: 'APPROVED', method: 'WALLET', amount: 32_000, orderId });

  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 18_000, ledger: 18_000, entries: 2 });
  const events = await stack.sql<{ routing_key: string; payload: Record<string, unknown> }>(
    'SELECT routing_key, payload FROM outbox_messages ORDER BY created_at',
  );
  expect(events.filter((event) => event.payload.orderId === orderId)).toEqual([
    {
      routing_key: 'payments.payment.approved',
      payload: expect.objectContaining({
        paymentId: paid.id,
        orderId,
        userId: shopper.id,
        amount: 32_000,
        method: 'WALLET',
      }),
    },
  ]);
});

it('pays an order whose announcement arrives just after the shopper asks (they see AWAITING_PAYMENT first)', async () => {
  const shopper = await walletWith(stack, 10_000);
  const orderId = newId();
  const paying = services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await services().payableOrders.apply(ORDERS_QUEUE, newId(), {
    kind: 'awaiting-payment',
    orderId,
    userId: shopper.id,
    amount: 4_000,
    amountsByBrand: { [newId()]: 4_000 },
  });
  expect(await paying).toMatchObject({ status: 'APPROVED', amount: 4_000 });
  // An order never announced is NOT_FOUND once the wait is over.
  await expect(
    services().orderPayments.pay(shopper, { orderId: newId(), method: 'WALLET', pin: PIN }),
  ).rejects.toMatchObject({
    extensions: { code: 'NOT_FOUND' },
  });
});

it('records a FAILED payment, moves nothing and lets the shopper pay again after topping up', async () => {
  const shopper = await walletWith(stack, 10_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 15_000);

  const short = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(short).toMatchObject({ status: 'FAILED', failureCode: 'INSUFFICIENT_BALANCE' });
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 10_000, ledger: 10_000, entries: 1 });

  await topUp(stack, shopper, 5_000);
  const paid = await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(paid.status).toBe('APPROVED');
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 0, ledger: 0, entries: 3 });

  await expect(services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'CONFLICT' },
  });
});

it('locks the wallet after 5 wrong PINs in a row for 30 minutes, says until when, and unlocks after', async () => {
  const shopper = await walletWith(stack, 10_000);
  const { orderId } = await awaitingOrder(services(), shopper.id, 1_000);
  const pay = (pin: string) => services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin });
  const start = new Date(Date.now() + 60_000);
  clock.set(start);

  for (const attemptsLeft of [4, 3, 2, 1]) {
    await expect(pay('000000')).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft },
    });
  }
  const lockedUntil = new Date(start.getTime() + 30 * 60_000).toISOString();
  await expect(pay('000000')).rejects.toMatchObject({
    extensions: { code: 'FORBIDDEN', reason: 'WALLET_LOCKED', lockedUntil },
  });
  // Even the right PIN is refused while locked, and nothing moved.
  await expect(pay(PIN)).rejects.toMatchObject({
    extensions: { code: 'FORBIDDEN', reason: 'WALLET_LOCKED', lockedUntil },
  });
  expect(await walletTotals(stack, shopper.id)).toEqual({ balance: 10_000, ledger: 10_000, entries: 1 });
  expect(await stack.sql('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', orderId)).toEqual([{ n: 0 }]);

  clock.set(new Date(start.getTime() + 30 * 60_000 - 1));
  await expect(pay(PIN)).rejects.toMatchObject({ extensions: { reason: 'WALLET_LOCKED' } });
  clock.set(new Date(start.getTime() + 30 * 60_000));
  try {
    expect((await pay(PIN)).status).toBe('APPROVED');
  } finally {
    clock.set(undefined);
  }
});

it('resets the count on a right PIN: only wrong PINs in a row lock', async () => {
  const shopper = await walletWith(stack, 10_000);
  const pay = async (pin: string) => {
    const { orderId } = await awaitingOrder(services(), shopper.id, 100);
    return services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin });
  };
  for (let round = 0; round < 3; round += 1) {
    for (let wrong = 0; wrong < 4; wrong += 1)
      await expect(pay('111111')).rejects.toMatchObject({ extensions: { reason: 'WRONG_PIN' } });
    expect((await pay(PIN)).status).toBe('APPROVED');
  }
});

it('lets no more than 5 of 50 parallel wrong guesses be checked', async () => {
  const shopper = await walletWith(stack, 0);
  const guesses = await Promise.allSettled(
    Array.from({ length: 50 }, (_, index) =>
      services().wallets.changePin(shopper, { currentPin: String(100_000 + index), newPin: '999999' }),
    ),
  );
  const reasons = guesses.map((guess) =>
    guess.status === 'rejected' ? (guess.reason as { extensions: { reason?: string; code: string } }).extensions : null,
  );
  expect(reasons.every((reason) => reason !== null)).toBe(true);
  const checked = await stack.sql<{ n: number }>(
    'SELECT count(*)::int AS n FROM pin_checks WHERE user_id = $1',
    shopper.id,
  );
  expect(checked).toEqual([{ n: 5 }]);
  expect(reasons.filter((reason) => reason?.reason === 'WRONG_PIN')).toHaveLength(4);
  expect(reasons.filter((reason) => reason?.reason === 'WALLET_LOCKED')).toHaveLength(46);
});

it('answers a PIN check for a missing wallet with NOT_FOUND after the same work', async () => {
  const nobody = customer();
  const { orderId } = await awaitingOrder(services(), nobody.id, 1_000);
  await expect(services().orderPayments.pay(nobody, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { code: 'NOT_FOUND' },
  });
});

it('changes the PIN: the old one stops working', async () => {
  const shopper = await walletWith(stack, 5_000);
  await services().wallets.changePin(shopper, { currentPin: PIN, newPin: '135790' });
  const { orderId } = await awaitingOrder(services(), shopper.id, 1_000);
  await expect(services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN })).rejects.toMatchObject({
    extensions: { reason: 'WRONG_PIN' },
  });
  expect((await services().orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: '135790' })).status).toBe(
    'APPROVED',
  );
});

it('refuses bad input with BAD_USER_INPUT naming the field, and changes nothing', async () => {
  const shopper = await walletWith(stack, 1_000);
  const before = await walletTotals(stack, shopper.id);
  const cases: [string, () => Promise<unknown>][] = [
    ['input.pin', () => services().wallets.create(customer(), { pin: '12345' })],
    ['input.pin', () => services().wallets.create(customer(), { pin: '12345a' })],
    [
      'input.amount',
      () => services().wallets.topUp(shopper, { amount: 0, paymentKey: 'tfake_x', providerOrderId: 'topup-1' }),
    ],
    [
      'input.amount',
      () => services().wallets.topUp(shopper, { amount: -5, paymentKey: 'tfake_x', providerOrderId: 'topup-1' }),
    ],
    [
      'input.amount',
      () => services().wallets.topUp(shopper, { amount: 10.5, paymentKey: 'tfake_x', providerOrderId: 'topup-1' }),
    ],
    [
      'input.amount',
      () =>
        services().wallets.topUp(shopper, { amount: 10_000_001, paymentKey: 'tfake_x', providerOrderId: 'topup-1' }),
    ],
    [
      'input.amount',
      () => services().wallets.topUp(shopper, { amount: 2_000_000, paymentKey: 'tfake_x', providerOrderId: 'topup-1' }),
    ],
    ['input.pin', () => services().orderPayments.pay(shopper, { orderId: admin.id, method: 'WALLET', pin: '1234567' })],
    ['input.pin', () => services().orderPayments.pay(shopper, { orderId: admin.id, method: 'WALLET' })],
    ['input.paymentKey', () => services().orderPayments.pay(shopper, { orderId: admin.id, method: 'CARD' })],
    ['input.orderId', () => services().orderPayments.pay(shopper, { orderId: 'order-1', method: 'WALLET', pin: PIN })],
  ];
  for (const [field, attempt] of cases) {
    const error = await attempt().then(
      () => undefined,
      (refused: unknown) => refused,
    );
    expect({ field, code: codeOf(error) }).toEqual({ field, code: 'BAD_USER_INPUT' });
    expect(
      (error as { extensions: { problems: { field: string }[] } }).extensions.problems.map((p) => p.field),
    ).toContain(field);
  }
  expect(await walletTotals(stack, shopper.id)).toEqual(before);
  expect((await stack.provider.ledger()).entries.filter((entry) => entry.paymentKey === 'tfake_x')).toEqual([]);
});

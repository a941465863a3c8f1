import { randomUUID } from 'node:crypto';
import { type GraphQLResponse, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import {
  CHANGE_PIN,
  CREATE_WALLET,
  fundedWallet,
  gatewayOk,
  moneySnapshot,
  PAY_ORDER,
  PAYMENT_FIELDS,
  type PaymentsGraph,
  type PaymentView,
  REFUND,
  startPaymentsGraph,
  TOP_UP,
  topUpCheckout,
  WALLET_FIELDS,
  walletTotals,
} from './support/payments.js';

// Radiata Pay through the gateway, with real tokens: the provider fake runs as a process of its
// own, and orders awaiting payment are announced on RabbitMQ as the orders subgraph will.

const PIN = '246810';
const LOCK_MS = 30 * 60_000;
const WALLET_MAX_BALANCE = 2_000_000;

let payments: PaymentsGraph;
let admin: SignedIn;
beforeAll(async () => {
  payments = await startPaymentsGraph();
  admin = await signUp(payments.graph, 'ADMIN');
});
afterAll(() => payments.stop());

const call = <T = Record<string, unknown>>(
  as: SignedIn | null,
  query: string,
  variables: Record<string, unknown> = {},
) => graphql<T>(payments.graph.gateway.url, query, { variables, ...(as ? { token: as.accessToken } : {}) });
const ok = <T>(as: SignedIn, query: string, variables: Record<string, unknown> = {}) =>
  gatewayOk<T>(payments.graph, as, query, variables);

interface Entry {
  type: string;
  amount: number;
  balanceAfter: number;
  paymentId: string;
  refundId: string | null;
}
interface WalletView {
  balance: number;
  lockedUntil: string | null;
  pinAttemptsLeft: number;
  entries: { edges: { node: Entry }[] };
}

const myWallet = async (as: SignedIn) =>
  (await ok<{ me: { wallet: WalletView | null } }>(as, `{ me { wallet { ${WALLET_FIELDS} } } }`)).me.wallet;

const pay = (as: SignedIn, input: Record<string, unknown>) => call<{ payOrder: PaymentView }>(as, PAY_ORDER, { input });
const refund = (input: Record<string, unknown>) =>
  call<{ refundPayment: { id: string; amount: number; status: string } }>(admin, REFUND, {
    input: { refundId: randomUUID(), reason: 'Returned by the shopper', ...input },
  });

/** A client-facing error: its code, its public details and nothing of the server's insides. */
function expectPublicError(response: GraphQLResponse, code: string, field?: string) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors ?? [];
  expect(error?.extensions?.code).toBe(code);
  if (field) expect(error?.extensions?.problems).toEqual([expect.objectContaining({ field })]);
  for (const key of Object.keys(error?.extensions ?? {})) {
    expect(['code', 'problems', 'reason', 'attemptsLeft', 'lockedUntil']).toContain(key);
  }
  expect(JSON.stringify(response.errors)).not.toMatch(
    /stack|exception|prisma|postgres|sql|relation |select |insert into|node_modules|\.ts:\d|internal/i,
  );
}

describe('the Radiata Pay journey (through the gateway)', () => {
  it('tops up, pays orders by wallet and by card, takes admin refunds, and me shows a ledger that explains the balance', async () => {
    const shopper = await signUp(payments.graph);
    expect(await ok(shopper, CREATE_WALLET, { input: { pin: PIN } })).toEqual({ createWallet: { balance: 0 } });

    // The browser widget opens a checkout at the provider; the app sends what it returned.
    const checkout = await topUpCheckout(payments.provider, 300_000);
    const topUp = (await ok<{ topUpWallet: PaymentView }>(shopper, TOP_UP, { input: checkout })).topUpWallet;
    expect(topUp).toMatchObject({
      purpose: 'TOP_UP',
      method: 'CARD',
      amount: 300_000,
      status: 'APPROVED',
      orderId: null,
      user: { id: shopper.id },
    });
    expect((await payments.provider.ledger()).payments[checkout.paymentKey]).toMatchObject({
      confirms: 1,
      chargedAmount: 300_000,
    });
    expect(await myWallet(shopper)).toMatchObject({
      balance: 300_000,
      lockedUntil: null,
      pinAttemptsLeft: 5,
      entries: { edges: [{ node: { type: 'TOP_UP', amount: 300_000, balanceAfter: 300_000, paymentId: topUp.id } }] },
    });

    const first = await payments.orders.announce(shopper.id, 120_000);
    const byWallet = await pay(shopper, { orderId: first.orderId, method: 'WALLET', pin: PIN });
    expect(byWallet.errors).toBeUndefined();
    expect(byWallet.data?.payOrder).toMatchObject({
      purpose: 'ORDER',
      orderId: first.orderId,
      method: 'WALLET',
      amount: 120_000,
      status: 'APPROVED',
      refundedAmount: 0,
    });
    const walletPayment = byWallet.data?.payOrder as PaymentView;

    const second = await payments.orders.announce(shopper.id, 45_000);
    const cardCheckout = await payments.provider.openCheckout(second.orderId, 45_000);
    const byCard = await pay(shopper, { orderId: second.orderId, method: 'CARD', paymentKey: cardCheckout.paymentKey });
    expect(byCard.errors).toBeUndefined();
    expect(byCard.data?.payOrder).toMatchObject({ method: 'CARD', amount: 45_000, status: 'APPROVED' });
    const cardPayment = byCard.data?.payOrder as PaymentView;
    expect((await payments.provider.ledger()).entries.filter((e) => e.paymentKey === cardCheckout.paymentKey)).toEqual([
      expect.objectContaining({
        kind: 'CONFIRM',
        orderId: second.orderId,
        amount: 45_000,
        idempotencyKey: `radiata-payment-${cardPayment.id}`,
      }),
    ]);
    expect((await myWallet(shopper))?.balance).toBe(180_000);

    // Part of the wallet payment back to the wallet; the same refundId again is the same refund.
    const walletRefundId = randomUUID();
    const partial = await refund({ refundId: walletRefundId, paymentId: walletPayment.id, amount: 20_000 });
    expect(partial.data?.refundPayment).toMatchObject({ amount: 20_000, status: 'DONE' });
    const again = await refund({ refundId: walletRefundId, paymentId: walletPayment.id, amount: 20_000 });
    expect(again.data?.refundPayment.id).toBe(partial.data?.refundPayment.id);
    expect((await myWallet(shopper))?.balance).toBe(200_000);

    // The card payment back to the card in two parts: a partial one, then all that is left.
    expect((await refund({ paymentId: cardPayment.id, amount: 15_000 })).data?.refundPayment).toMatchObject({
      amount: 15_000,
      status: 'DONE',
    });
    expect((await refund({ paymentId: cardPayment.id })).data?.refundPayment).toMatchObject({
      amount: 30_000,
      status: 'DONE',
    });
    expectPublicError(await refund({ paymentId: cardPayment.id }), 'CONFLICT');
    const cardLedger = await payments.provider.ledger();
    expect(cardLedger.payments[cardCheckout.paymentKey]).toMatchObject({
      confirms: 1,
      cancels: 2,
      chargedAmount: 45_000,
      canceledAmount: 45_000,
      balanceAmount: 0,
    });
    expect(
      cardLedger.entries
        .filter((e) => e.paymentKey === cardCheckout.paymentKey && e.kind === 'CANCEL')
        .map((e) => e.amount),
    ).toEqual([15_000, 30_000]);
    expect((await myWallet(shopper))?.balance).toBe(200_000);

    const me = await ok<{ me: { wallet: WalletView; payments: { edges: { node: PaymentView }[] } } }>(
      shopper,
      `{ me { wallet { ${WALLET_FIELDS} } payments { edges { node { ${PAYMENT_FIELDS} } } } } }`,
    );
    expect(me.me.payments.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        id: cardPayment.id,
        status: 'REFUNDED',
        amount: 45_000,
        refundedAmount: 45_000,
        refunds: [
          { amount: 15_000, status: 'DONE' },
          { amount: 30_000, status: 'DONE' },
        ],
      }),
      expect.objectContaining({
        id: walletPayment.id,
        status: 'PARTIALLY_REFUNDED',
        amount: 120_000,
        refundedAmount: 20_000,
        refunds: [{ amount: 20_000, status: 'DONE' }],
      }),
      expect.objectContaining({ id: topUp.id, purpose: 'TOP_UP', status: 'APPROVED', amount: 300_000, refunds: [] }),
    ]);
    const entries = me.me.wallet.entries.edges.map((edge) => edge.node);
    expect(entries).toEqual([
      expect.objectContaining({ type: 'REFUND', amount: 20_000, balanceAfter: 200_000, paymentId: walletPayment.id }),
      expect.objectContaining({ type: 'CHARGE', amount: -120_000, balanceAfter: 180_000, paymentId: walletPayment.id }),
      expect.objectContaining({ type: 'TOP_UP', amount: 300_000, balanceAfter: 300_000, paymentId: topUp.id }),
    ]);
    expect(entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(me.me.wallet.balance);
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 200_000, ledger: 200_000, entries: 3 });

    const rows = await payments.graph.payments.sql<{
      id: string;
      status: string;
      refunded_amount: number;
      refunds: number;
    }>(
      `SELECT p.id, p.status, p.refunded_amount,
              (SELECT COALESCE(SUM(r.amount), 0)::int FROM refunds r WHERE r.payment_id = p.id AND r.status = 'DONE') AS refunds
       FROM payments p WHERE p.user_id = $1 ORDER BY p.id`,
      shopper.id,
    );
    expect(rows).toEqual([
      { id: topUp.id, status: 'APPROVED', refunded_amount: 0, refunds: 0 },
      { id: walletPayment.id, status: 'PARTIALLY_REFUNDED', refunded_amount: 20_000, refunds: 20_000 },
      { id: cardPayment.id, status: 'REFUNDED', refunded_amount: 45_000, refunds: 45_000 },
    ]);

    const onlyOrders = await ok<{ me: { payments: { edges: { node: { id: string } }[] } } }>(
      shopper,
      '{ me { payments(purpose: ORDER) { edges { node { id } } } } }',
    );
    expect(onlyOrders.me.payments.edges.map((edge) => edge.node.id)).toEqual([cardPayment.id, walletPayment.id]);
  });

  it('records not enough money as a FAILED payment that moves nothing, and the shopper pays after topping up', async () => {
    const shopper = await signUp(payments.graph);
    await fundedWallet(payments, shopper, PIN, 5_000);
    const order = await payments.orders.announce(shopper.id, 8_000);
    const short = await pay(shopper, { orderId: order.orderId, method: 'WALLET', pin: PIN });
    expect(short.data?.payOrder).toMatchObject({
      status: 'FAILED',
      failureCode: 'INSUFFICIENT_BALANCE',
      amount: 8_000,
    });
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 5_000, ledger: 5_000, entries: 1 });

    await ok(shopper, TOP_UP, { input: await topUpCheckout(payments.provider, 3_000) });
    const paid = await pay(shopper, { orderId: order.orderId, method: 'WALLET', pin: PIN });
    expect(paid.data?.payOrder.status).toBe('APPROVED');
    expectPublicError(await pay(shopper, { orderId: order.orderId, method: 'WALLET', pin: PIN }), 'CONFLICT');
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 0, ledger: 0, entries: 3 });
  });
});

describe('the wallet limit (through the gateway)', () => {
  it('never lets top-ups sent at once take a wallet past WALLET_MAX_BALANCE; refused ones charge nothing', async () => {
    const shopper = await signUp(payments.graph);
    await ok(shopper, CREATE_WALLET, { input: { pin: PIN } });
    const inputs = await Promise.all([1, 2, 3].map(() => topUpCheckout(payments.provider, 1_500_000)));
    const answers = await Promise.all(
      inputs.map((input) => call<{ topUpWallet: PaymentView }>(shopper, TOP_UP, { input })),
    );

    for (const answer of answers) {
      if (answer.errors) expectPublicError(answer, 'BAD_USER_INPUT', 'input.amount');
      else expect(answer.data?.topUpWallet.status).toBe('APPROVED');
    }
    const ledger = await payments.provider.ledger();
    const charged = inputs.reduce((sum, input) => sum + (ledger.payments[input.paymentKey]?.chargedAmount ?? 0), 0);
    const totals = await walletTotals(payments, shopper.id);
    expect(totals?.balance).toBeLessThanOrEqual(WALLET_MAX_BALANCE);
    expect(totals?.balance).toBe(charged);
    expect(totals?.ledger).toBe(charged);
  });
});

describe('bad input (through the gateway)', () => {
  let shopper: SignedIn;
  let noWallet: SignedIn;
  let orderId: string;
  let paidId: string;
  let usedTopUpKey: string;

  beforeAll(async () => {
    [shopper, noWallet] = await Promise.all([signUp(payments.graph), signUp(payments.graph)]);
    await fundedWallet(payments, shopper, PIN, 100_000);
    usedTopUpKey = (
      await payments.graph.payments.sql<{ payment_key: string }>(
        'SELECT payment_key FROM payments WHERE user_id = $1',
        shopper.id,
      )
    )[0]?.payment_key as string;
    const paidOrder = await payments.orders.announce(shopper.id, 10_000);
    paidId = (
      await ok<{ payOrder: PaymentView }>(shopper, PAY_ORDER, {
        input: { orderId: paidOrder.orderId, method: 'WALLET', pin: PIN },
      })
    ).payOrder.id;
    orderId = (await payments.orders.announce(shopper.id, 7_000)).orderId;
  });

  type Who = 'shopper' | 'noWallet' | 'admin';
  interface BadCase {
    readonly who: Who;
    readonly query: string;
    readonly input: Record<string, unknown> | (() => Promise<Record<string, unknown>> | Record<string, unknown>);
    readonly code: string;
    /** The input field BAD_USER_INPUT names (resolver-side validation). */
    readonly field?: string;
  }
  const topUp = (overrides: Record<string, unknown>) => async () => ({
    ...(await topUpCheckout(payments.provider, 1_000)),
    ...overrides,
  });
  const refundOf = (overrides: Record<string, unknown>) => () => ({
    refundId: randomUUID(),
    paymentId: paidId,
    reason: 'Returned',
    ...overrides,
  });

  const cases: Record<string, BadCase> = {
    'a top-up of 0 won': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ amount: 0 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a negative top-up': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ amount: -5_000 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a top-up over PAYMENT_MAX_AMOUNT': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ amount: 10_000_001 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a top-up the wallet has no room for (WALLET_MAX_BALANCE)': {
      who: 'shopper',
      query: TOP_UP,
      input: async () => {
        const balance = (await walletTotals(payments, shopper.id))?.balance ?? 0;
        return topUpCheckout(payments.provider, WALLET_MAX_BALANCE - balance + 1);
      },
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a top-up of 10.5 won (GraphQL Int)': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ amount: 10.5 }),
      code: 'BAD_USER_INPUT',
    },
    'a top-up beyond a 32-bit Int': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ amount: 2 ** 31 }),
      code: 'BAD_USER_INPUT',
    },
    'a top-up with a malformed paymentKey': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ paymentKey: 'not a key; DROP TABLE payments' }),
      code: 'BAD_USER_INPUT',
      field: 'input.paymentKey',
    },
    'a top-up with a short providerOrderId': {
      who: 'shopper',
      query: TOP_UP,
      input: topUp({ providerOrderId: 'abc' }),
      code: 'BAD_USER_INPUT',
      field: 'input.providerOrderId',
    },
    'a top-up without a wallet': { who: 'noWallet', query: TOP_UP, input: topUp({}), code: 'NOT_FOUND' },
    'a refund of 0 won': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ amount: 0 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a negative refund': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ amount: -1_000 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a refund of more than was paid': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ amount: 10_001 }),
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    },
    'a refund of 10.5 won (GraphQL Int)': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ amount: 10.5 }),
      code: 'BAD_USER_INPUT',
    },
    'a refund without a reason': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ reason: '  ' }),
      code: 'BAD_USER_INPUT',
      field: 'input.reason',
    },
    'a refund id that is no UUID': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ refundId: 'refund-1' }),
      code: 'BAD_USER_INPUT',
      field: 'input.refundId',
    },
    'a refund of an unknown payment': {
      who: 'admin',
      query: REFUND,
      input: refundOf({ paymentId: randomUUID() }),
      code: 'NOT_FOUND',
    },
    'a 5-digit PIN for a new wallet': {
      who: 'noWallet',
      query: CREATE_WALLET,
      input: { pin: '12345' },
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a 7-digit PIN for a new wallet': {
      who: 'noWallet',
      query: CREATE_WALLET,
      input: { pin: '1234567' },
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a PIN with a letter for a new wallet': {
      who: 'noWallet',
      query: CREATE_WALLET,
      input: { pin: '12a456' },
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a PIN of full-width digits for a new wallet': {
      who: 'noWallet',
      query: CREATE_WALLET,
      input: { pin: '１２３４５６' },
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a new PIN equal to the current one': {
      who: 'shopper',
      query: CHANGE_PIN,
      input: { currentPin: PIN, newPin: PIN },
      code: 'BAD_USER_INPUT',
      field: 'input.newPin',
    },
    'a malformed current PIN (not counted as a wrong one)': {
      who: 'shopper',
      query: CHANGE_PIN,
      input: { currentPin: 'abcdef', newPin: '135790' },
      code: 'BAD_USER_INPUT',
      field: 'input.currentPin',
    },
    'a PIN change without a wallet': {
      who: 'noWallet',
      query: CHANGE_PIN,
      input: { currentPin: PIN, newPin: '135790' },
      code: 'NOT_FOUND',
    },
    'a wallet payment with a paymentKey instead of the PIN': {
      who: 'shopper',
      query: PAY_ORDER,
      input: () => ({ orderId, method: 'WALLET', paymentKey: usedTopUpKey }),
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a card payment with a PIN instead of a paymentKey': {
      who: 'shopper',
      query: PAY_ORDER,
      input: () => ({ orderId, method: 'CARD', pin: PIN }),
      code: 'BAD_USER_INPUT',
      field: 'input.paymentKey',
    },
    'a wallet payment with a 5-digit PIN': {
      who: 'shopper',
      query: PAY_ORDER,
      input: () => ({ orderId, method: 'WALLET', pin: '24681' }),
      code: 'BAD_USER_INPUT',
      field: 'input.pin',
    },
    'a payment of an order id that is no UUID': {
      who: 'shopper',
      query: PAY_ORDER,
      input: { orderId: 'order-1', method: 'WALLET', pin: PIN },
      code: 'BAD_USER_INPUT',
      field: 'input.orderId',
    },
    'an unknown payment method': {
      who: 'shopper',
      query: PAY_ORDER,
      input: () => ({ orderId, method: 'PAYPAL', pin: PIN }),
      code: 'BAD_USER_INPUT',
    },
    'a payment of an order never announced': {
      who: 'shopper',
      query: PAY_ORDER,
      input: { orderId: randomUUID(), method: 'WALLET', pin: PIN },
      code: 'NOT_FOUND',
    },
    "a card payment with a top-up's paymentKey": {
      who: 'shopper',
      query: PAY_ORDER,
      input: () => ({ orderId, method: 'CARD', paymentKey: usedTopUpKey }),
      code: 'CONFLICT',
    },
  };

  it.each(Object.entries(cases))('refuses %s with a public error and moves no money', async (_name, badCase) => {
    const as = { shopper, noWallet, admin }[badCase.who];
    const input = typeof badCase.input === 'function' ? await badCase.input() : badCase.input;
    const before = await moneySnapshot(payments);
    const response = await call(as, badCase.query, { input });
    expectPublicError(response, badCase.code, badCase.field);
    if (badCase.field || badCase.code !== 'BAD_USER_INPUT') {
      expect(response.status).toBe(200);
      expect(response.data).toBeNull();
    } else {
      // Refused by the gateway before any subgraph is asked (the variable does not coerce).
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
    }
    expect(await moneySnapshot(payments)).toBe(before);
    expect(await payments.graph.payments.sql('SELECT 1 FROM wallets WHERE user_id = $1', noWallet.id)).toEqual([]);
  });

  it('refuses a non-integer amount written in the document as GRAPHQL_VALIDATION_FAILED', async () => {
    const before = await moneySnapshot(payments);
    const response = await call(
      shopper,
      'mutation { topUpWallet(input: { amount: 10.5, paymentKey: "tfake_x", providerOrderId: "topup-123456" }) { id } }',
    );
    expect(response.status).toBe(400);
    expectPublicError(response, 'GRAPHQL_VALIDATION_FAILED');
    expect(await moneySnapshot(payments)).toBe(before);
  });

  it("fails a card payment whose checkout was opened for another amount than the order's, and charges nothing", async () => {
    const order = await payments.orders.announce(shopper.id, 30_000);
    const cheap = await payments.provider.openCheckout(order.orderId, 100);
    const balance = (await walletTotals(payments, shopper.id))?.balance;
    const response = await pay(shopper, { orderId: order.orderId, method: 'CARD', paymentKey: cheap.paymentKey });
    expect(response.data?.payOrder).toMatchObject({
      status: 'FAILED',
      amount: 30_000,
      failureCode: expect.any(String),
    });
    expect((await payments.provider.ledger()).payments[cheap.paymentKey]).toBeUndefined();
    expect((await walletTotals(payments, shopper.id))?.balance).toBe(balance);
  });
});

describe('PIN lockout (through the gateway)', () => {
  let shopper: SignedIn;
  let orderId: string;
  beforeAll(async () => {
    shopper = await signUp(payments.graph);
    await fundedWallet(payments, shopper, PIN, 50_000);
    orderId = (await payments.orders.announce(shopper.id, 4_000)).orderId;
  });

  const payWith = (pin: string) => pay(shopper, { orderId, method: 'WALLET', pin });

  it('locks the wallet for 30 minutes after 5 wrong PINs, shows it on the wallet, and refuses even the right PIN', async () => {
    const before = await moneySnapshot(payments);
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const wrong = await payWith('000000');
      expectPublicError(wrong, 'FORBIDDEN');
      expect(wrong.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft });
      expect(await myWallet(shopper)).toMatchObject({ lockedUntil: null, pinAttemptsLeft: attemptsLeft });
    }
    const sentAt = Date.now();
    const fifth = await payWith('000000');
    const answeredAt = Date.now();
    expectPublicError(fifth, 'FORBIDDEN');
    const wallet = await myWallet(shopper);
    expect(wallet?.pinAttemptsLeft).toBe(0);
    const lockedUntil = new Date(wallet?.lockedUntil as string).getTime();
    expect(lockedUntil).toBeGreaterThanOrEqual(sentAt + LOCK_MS);
    expect(lockedUntil).toBeLessThanOrEqual(answeredAt + LOCK_MS);
    expect(fifth.errors?.[0]?.message).toContain(new Date(lockedUntil).toISOString());

    const rightPin = await payWith(PIN);
    expectPublicError(rightPin, 'FORBIDDEN');
    expect(rightPin.errors?.[0]?.message).toContain('locked');
    expectPublicError(await call(shopper, CHANGE_PIN, { input: { currentPin: PIN, newPin: '135790' } }), 'FORBIDDEN');

    // Wrong PINs are counted on the wallet; no money, payment or event was written.
    const [row] = await payments.graph.payments.sql<{ failed_pin_attempts: number; locked_until: Date }>(
      'SELECT failed_pin_attempts, locked_until FROM wallets WHERE user_id = $1',
      shopper.id,
    );
    expect(row).toEqual({ failed_pin_attempts: 5, locked_until: new Date(lockedUntil) });
    const after = JSON.parse(await moneySnapshot(payments));
    const expected = JSON.parse(before);
    expect(after.tables).toEqual(expected.tables);
    expect(after.ledger).toBe(expected.ledger);
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 50_000, ledger: 50_000, entries: 1 });
    expect(await payments.graph.payments.sql('SELECT 1 FROM payments WHERE order_id = $1', orderId)).toEqual([]);
  });

  it('tells the client why in the error extensions: WRONG_PIN with attemptsLeft, then WALLET_LOCKED with lockedUntil', async () => {
    const other = await signUp(payments.graph);
    await fundedWallet(payments, other, PIN, 10_000);
    const order = await payments.orders.announce(other.id, 1_000);
    const guess = () => pay(other, { orderId: order.orderId, method: 'WALLET', pin: '999999' });
    for (const attemptsLeft of [4, 3, 2, 1]) {
      expect((await guess()).errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft });
    }
    const locked = await guess();
    const { lockedUntil } = (await myWallet(other)) as WalletView;
    expect(locked.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'WALLET_LOCKED', lockedUntil });
  });
});

describe('cancelled orders (through the gateway)', () => {
  it('refuses to pay a cancelled order with CONFLICT, by wallet or card, and moves nothing', async () => {
    const shopper = await signUp(payments.graph);
    await fundedWallet(payments, shopper, PIN, 20_000);
    const order = await payments.orders.announce(shopper.id, 6_000);
    await payments.orders.cancel(order.orderId);
    const checkout = await payments.provider.openCheckout(order.orderId, 6_000);

    const before = await moneySnapshot(payments);
    expectPublicError(await pay(shopper, { orderId: order.orderId, method: 'WALLET', pin: PIN }), 'CONFLICT');
    expectPublicError(
      await pay(shopper, { orderId: order.orderId, method: 'CARD', paymentKey: checkout.paymentKey }),
      'CONFLICT',
    );
    expect(await moneySnapshot(payments)).toBe(before);
    expect((await payments.provider.ledger()).payments[checkout.paymentKey]).toBeUndefined();
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 20_000, ledger: 20_000, entries: 1 });
  });

  it('ignores an announcement that arrives after the cancellation: the order cannot be paid', async () => {
    const shopper = await signUp(payments.graph);
    await fundedWallet(payments, shopper, PIN, 20_000);
    const orderId = randomUUID();
    await payments.orders.cancel(orderId);
    await payments.orders.announce(shopper.id, 6_000, orderId);
    const before = await moneySnapshot(payments);
    const refused = await pay(shopper, { orderId, method: 'WALLET', pin: PIN });
    expectPublicError(refused, 'NOT_FOUND');
    expect(await moneySnapshot(payments)).toBe(before);
  });

  it('gives all of a paid order back to the wallet when the order is cancelled', async () => {
    const shopper = await signUp(payments.graph);
    await fundedWallet(payments, shopper, PIN, 20_000);
    const order = await payments.orders.announce(shopper.id, 6_000);
    const paid = (await pay(shopper, { orderId: order.orderId, method: 'WALLET', pin: PIN })).data?.payOrder;
    expect(paid?.status).toBe('APPROVED');
    await payments.orders.cancel(order.orderId);
    const payment = await ok<{ payment: PaymentView }>(
      shopper,
      `query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`,
      {
        id: paid?.id,
      },
    );
    expect(payment.payment).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 6_000,
      refunds: [{ amount: 6_000, status: 'DONE' }],
    });
    expect(await walletTotals(payments, shopper.id)).toEqual({ balance: 20_000, ledger: 20_000, entries: 3 });
  });
});

import { randomUUID } from 'node:crypto';
import type { Viewer } from '@radiata/auth-context';
import { type GraphQLResponse, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand } from './support/catalog.js';
import {
  CHANGE_PIN,
  CREATE_WALLET,
  fundedWallet,
  gatewayOk,
  moneySnapshot,
  PAY_ORDER,
  type PaymentsGraph,
  type PaymentView,
  REFUND,
  startPaymentsGraph,
  TOP_UP,
  topUpCheckout,
  walletTotals,
} from './support/payments.js';

// Who may see and move whose money, through the gateway with real tokens: the owner of the money,
// another customer, a seller, an admin and an anonymous caller. Every refusal moves no money.

type Role = 'CUSTOMER' | 'SELLER' | 'ADMIN';
type Actor = 'owner' | 'other' | 'seller' | 'admin';
type Caller = Actor | 'anonymous';

const ROLES: Record<Actor, Role> = { owner: 'CUSTOMER', other: 'CUSTOMER', seller: 'SELLER', admin: 'ADMIN' };
const CALLERS: readonly Caller[] = ['owner', 'other', 'seller', 'admin', 'anonymous'];

let payments: PaymentsGraph;
const actors = {} as Record<Actor, SignedIn>;
/** Each actor's current wallet PIN (changeWalletPin moves it on). */
const pins: Record<Actor, string> = { owner: '111222', other: '333444', seller: '555666', admin: '777888' };
let sellerBrandId: string;
let ownerPaymentId: string;

beforeAll(async () => {
  payments = await startPaymentsGraph();
  const names = Object.keys(ROLES) as Actor[];
  const signedIn = await Promise.all(names.map((name) => signUp(payments.graph, ROLES[name])));
  names.forEach((name, index) => {
    actors[name] = signedIn[index] as SignedIn;
  });
  await Promise.all(names.map((name) => fundedWallet(payments, actors[name], pins[name], 100_000)));
  sellerBrandId = await createBrand(payments.graph, actors.seller);
  ownerPaymentId = (await ownerPays(5_000)).id;
});
afterAll(() => payments.stop());

const tokenOf = (caller: Caller) => (caller === 'anonymous' ? {} : { token: actors[caller].accessToken });
const call = <T = Record<string, unknown>>(caller: Caller, query: string, variables: Record<string, unknown> = {}) =>
  graphql<T>(payments.graph.gateway.url, query, { variables, ...tokenOf(caller) });

/** An order announced for the owner and paid from their wallet. */
async function ownerPays(amount: number): Promise<PaymentView> {
  const order = await payments.orders.announce(actors.owner.id, amount);
  const paid = await gatewayOk<{ payOrder: PaymentView }>(payments.graph, actors.owner, PAY_ORDER, {
    input: { orderId: order.orderId, method: 'WALLET', pin: pins.owner },
  });
  return paid.payOrder;
}

/** What the user's money looks like when shown: their balance and payments, newest first. */
async function moneyOf(userId: string) {
  const balance = (await walletTotals(payments, userId))?.balance;
  const ids = await payments.graph.payments.sql<{ id: string }>(
    'SELECT id FROM payments WHERE user_id = $1 ORDER BY id DESC LIMIT 20',
    userId,
  );
  return { wallet: { balance }, payments: { edges: ids.map(({ id }) => ({ node: { id } })) } };
}

const MONEY_FIELDS = 'wallet { balance } payments { edges { node { id } } }';

function expectRefusal(response: GraphQLResponse, code: string) {
  expect(response.errors).toEqual([expect.objectContaining({ extensions: { code } })]);
}

describe('reading money (through the gateway)', () => {
  type Read = 'VISIBLE' | 'NULL' | 'UNAUTHENTICATED' | 'FORBIDDEN';
  interface ReadRoute {
    /** Reads the subject's money as `caller`: the User's money fields, or null where the route shows none. */
    readonly read: (caller: Caller) => Promise<{ response: GraphQLResponse; money: unknown }>;
    readonly subject: () => string;
    readonly expected: Record<Caller, Read>;
  }

  const routes: Record<string, ReadRoute> = {
    'payment(id) { user { wallet payments } } of the owner': {
      subject: () => actors.owner.id,
      read: async (caller) => {
        const response = await call<{ payment: { id: string; user: unknown } | null }>(
          caller,
          `query($id: ID!) { payment(id: $id) { id amount user { id ${MONEY_FIELDS} } } }`,
          { id: ownerPaymentId },
        );
        const payment = response.data?.payment;
        if (payment) expect(payment).toMatchObject({ id: ownerPaymentId, amount: 5_000 });
        return { response, money: payment ? payment.user : null };
      },
      expected: { owner: 'VISIBLE', other: 'NULL', seller: 'NULL', admin: 'VISIBLE', anonymous: 'NULL' },
    },
    'user(id) { wallet payments } of the owner (users lets only admins read a user by id)': {
      subject: () => actors.owner.id,
      read: async (caller) => {
        const response = await call<{ user: unknown }>(
          caller,
          `query($id: ID!) { user(id: $id) { id ${MONEY_FIELDS} } }`,
          {
            id: actors.owner.id,
          },
        );
        return { response, money: response.data?.user ?? null };
      },
      expected: {
        owner: 'FORBIDDEN',
        other: 'FORBIDDEN',
        seller: 'FORBIDDEN',
        admin: 'VISIBLE',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    "brand(id) { owner { wallet payments } } of the seller (any caller reaches the brand's owner)": {
      subject: () => actors.seller.id,
      read: async (caller) => {
        const response = await call<{ brand: { owner: unknown } | null }>(
          caller,
          `query($id: ID!) { brand(id: $id) { id owner { id ${MONEY_FIELDS} } } }`,
          { id: sellerBrandId },
        );
        return { response, money: response.data?.brand?.owner };
      },
      expected: { owner: 'NULL', other: 'NULL', seller: 'VISIBLE', admin: 'VISIBLE', anonymous: 'NULL' },
    },
    'User { wallet payments } of the owner, resolved by reference (_entities) as the gateway asks payments': {
      subject: () => actors.owner.id,
      read: async (caller) => {
        const viewer: Viewer | null = caller === 'anonymous' ? null : { id: actors[caller].id, role: ROLES[caller] };
        const response = await payments.graph.payments.client.call<{ _entities: unknown[] }>(
          viewer,
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id ${MONEY_FIELDS} } } }`,
          { r: [{ __typename: 'User', id: actors.owner.id }] },
        );
        return { response: response as GraphQLResponse, money: response.data?._entities[0] };
      },
      expected: { owner: 'VISIBLE', other: 'NULL', seller: 'NULL', admin: 'VISIBLE', anonymous: 'NULL' },
    },
  };

  const rows = Object.entries(routes).flatMap(([name, route]) =>
    CALLERS.map((caller) => [name, caller, route.expected[caller], route] as const),
  );

  it.each(rows)('%s as %s: %s', async (_name, caller, expected, route) => {
    const before = await moneySnapshot(payments);
    const { response, money } = await route.read(caller);
    const subject = route.subject();
    switch (expected) {
      case 'VISIBLE':
        expect(response.errors).toBeUndefined();
        expect(money).toEqual({ id: subject, ...(await moneyOf(subject)) });
        expect((money as { payments: { edges: unknown[] } }).payments.edges.length).toBeGreaterThan(0);
        break;
      case 'NULL':
        expect(response.errors).toBeUndefined();
        // Either the route shows nothing, or the user without their money.
        if (money !== null) expect(money).toEqual({ id: subject, wallet: null, payments: null });
        break;
      default:
        expectRefusal(response, expected);
        expect(money).toBeNull();
    }
    expect(await moneySnapshot(payments)).toBe(before);
  });

  it('answers me { wallet payments } with the caller’s own money only, and null me when anonymous', async () => {
    for (const actor of Object.keys(ROLES) as Actor[]) {
      const me = await call<{ me: unknown }>(actor, `{ me { id ${MONEY_FIELDS} } }`);
      expect(me.errors).toBeUndefined();
      expect(me.data?.me).toEqual({ id: actors[actor].id, ...(await moneyOf(actors[actor].id)) });
    }
    expect(await call('anonymous', `{ me { id ${MONEY_FIELDS} } }`)).toMatchObject({ data: { me: null } });
  });

  it('offers no _entities to clients: the gateway refuses it before any subgraph is asked', async () => {
    const response = await call(
      'other',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { ${MONEY_FIELDS} } } }`,
      { r: [{ __typename: 'User', id: actors.owner.id }] },
    );
    expect(response.status).toBe(400);
    expect(response.errors?.map((error) => error.extensions?.code)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
  });
});

describe('moving money (through the gateway)', () => {
  type Outcome = 'OK' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED';
  interface Operation {
    readonly query: string;
    readonly variables: Record<string, unknown>;
    /** What an accepted call must have done (checked against the data answered). */
    readonly accepted: (data: Record<string, unknown>) => Promise<void>;
  }
  interface MoneyCase {
    /** A fresh target for each row, as `caller` would send it. */
    readonly arrange: (caller: Caller) => Promise<Operation>;
    readonly expected: Record<Caller, Outcome>;
  }

  let newPins = 0;
  const pinOf = (caller: Caller) => (caller === 'anonymous' ? pins.owner : pins[caller]);
  const balanceOf = async (actor: Actor) => (await walletTotals(payments, actors[actor].id))?.balance;

  const cases: Record<string, MoneyCase> = {
    "payOrder by WALLET of the owner's order (each caller with their own PIN)": {
      arrange: async (caller) => {
        const order = await payments.orders.announce(actors.owner.id, 2_000);
        const balance = await balanceOf('owner');
        return {
          query: PAY_ORDER,
          variables: { input: { orderId: order.orderId, method: 'WALLET', pin: pinOf(caller) } },
          accepted: async (data) => {
            expect(data.payOrder).toMatchObject({ status: 'APPROVED', amount: 2_000, user: { id: actors.owner.id } });
            expect(await balanceOf('owner')).toBe((balance as number) - 2_000);
          },
        };
      },
      expected: {
        owner: 'OK',
        other: 'FORBIDDEN',
        seller: 'FORBIDDEN',
        admin: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    "payOrder by CARD of the owner's order (a checkout opened for it)": {
      arrange: async () => {
        const order = await payments.orders.announce(actors.owner.id, 3_000);
        const checkout = await payments.provider.openCheckout(order.orderId, 3_000);
        return {
          query: PAY_ORDER,
          variables: { input: { orderId: order.orderId, method: 'CARD', paymentKey: checkout.paymentKey } },
          accepted: async (data) => {
            expect(data.payOrder).toMatchObject({ status: 'APPROVED', method: 'CARD', user: { id: actors.owner.id } });
            expect((await payments.provider.ledger()).payments[checkout.paymentKey]).toMatchObject({
              confirms: 1,
              chargedAmount: 3_000,
            });
          },
        };
      },
      expected: {
        owner: 'OK',
        other: 'FORBIDDEN',
        seller: 'FORBIDDEN',
        admin: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    "refundPayment of part of the owner's wallet payment": {
      arrange: async () => {
        const paid = await ownerPays(4_000);
        const balance = await balanceOf('owner');
        return {
          query: REFUND,
          variables: { input: { refundId: randomUUID(), paymentId: paid.id, amount: 1_000, reason: 'Goodwill' } },
          accepted: async (data) => {
            expect(data.refundPayment).toMatchObject({ amount: 1_000, status: 'DONE' });
            expect(await balanceOf('owner')).toBe((balance as number) + 1_000);
          },
        };
      },
      expected: {
        owner: 'FORBIDDEN',
        other: 'FORBIDDEN',
        seller: 'FORBIDDEN',
        admin: 'OK',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    'topUpWallet with a checkout the caller opened (credits only their own wallet)': {
      arrange: async (caller) => {
        const input = await topUpCheckout(payments.provider, 6_000);
        const balance = caller === 'anonymous' ? undefined : await balanceOf(caller);
        return {
          query: TOP_UP,
          variables: { input },
          accepted: async (data) => {
            const actor = caller as Actor;
            expect(data.topUpWallet).toMatchObject({ status: 'APPROVED', user: { id: actors[actor].id } });
            expect(await balanceOf(actor)).toBe((balance as number) + 6_000);
          },
        };
      },
      expected: { owner: 'OK', other: 'OK', seller: 'OK', admin: 'OK', anonymous: 'UNAUTHENTICATED' },
    },
    "topUpWallet replaying the owner's used paymentKey": {
      arrange: async (caller) => {
        const input = await topUpCheckout(payments.provider, 7_000);
        const first = await gatewayOk<{ topUpWallet: PaymentView }>(payments.graph, actors.owner, TOP_UP, { input });
        const balance = await balanceOf('owner');
        return {
          query: TOP_UP,
          variables: { input },
          accepted: async (data) => {
            // The same top-up answered again: nothing more charged or credited.
            expect(caller).toBe('owner');
            expect(data.topUpWallet).toMatchObject({ id: first.topUpWallet.id, status: 'APPROVED' });
            expect(await balanceOf('owner')).toBe(balance);
            expect((await payments.provider.ledger()).payments[input.paymentKey]).toMatchObject({ confirms: 1 });
          },
        };
      },
      expected: { owner: 'OK', other: 'CONFLICT', seller: 'CONFLICT', admin: 'CONFLICT', anonymous: 'UNAUTHENTICATED' },
    },
    'createWallet when the caller has one already': {
      arrange: async () => ({
        query: CREATE_WALLET,
        variables: { input: { pin: '090909' } },
        accepted: async () => {},
      }),
      expected: {
        owner: 'CONFLICT',
        other: 'CONFLICT',
        seller: 'CONFLICT',
        admin: 'CONFLICT',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    'changeWalletPin of the caller’s own wallet, with their current PIN': {
      arrange: async (caller) => {
        newPins += 1;
        const newPin = String(200_000 + newPins);
        const hashes = await pinHashes();
        return {
          query: CHANGE_PIN,
          variables: { input: { currentPin: pinOf(caller), newPin } },
          accepted: async () => {
            const actor = caller as Actor;
            pins[actor] = newPin;
            const changed = await pinHashes();
            // Only the caller's PIN changed.
            expect(changed[actors[actor].id]).not.toBe(hashes[actors[actor].id]);
            expect({ ...changed, [actors[actor].id]: null }).toEqual({ ...hashes, [actors[actor].id]: null });
          },
        };
      },
      expected: { owner: 'OK', other: 'OK', seller: 'OK', admin: 'OK', anonymous: 'UNAUTHENTICATED' },
    },
  };

  const pinHashes = async () =>
    Object.fromEntries(
      (
        await payments.graph.payments.sql<{ user_id: string; pin_hash: string }>(
          'SELECT user_id, pin_hash FROM wallets',
        )
      ).map((row) => [row.user_id, row.pin_hash]),
    );

  const rows = Object.entries(cases).flatMap(([name, testCase]) =>
    CALLERS.map((caller) => [name, caller, testCase.expected[caller], testCase] as const),
  );

  it.each(rows)('%s as %s: %s', async (_name, caller, expected, testCase) => {
    const operation = await testCase.arrange(caller);
    const before = await moneySnapshot(payments);
    const response = await call(caller, operation.query, operation.variables);
    if (expected === 'OK') {
      expect(response.errors).toBeUndefined();
      await operation.accepted(response.data as Record<string, unknown>);
      return;
    }
    expectRefusal(response, expected);
    expect(response.data).toBeNull();
    expect(await moneySnapshot(payments)).toBe(before);
  });

  it.each(['CUSTOMER', 'SELLER', 'ADMIN'] as const)('lets a %s open a wallet of their own, empty', async (role) => {
    const account = await signUp(payments.graph, role);
    const created = await graphql(payments.graph.gateway.url, CREATE_WALLET, {
      token: account.accessToken,
      variables: { input: { pin: '864200' } },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({ createWallet: { balance: 0 } });
    expect(await walletTotals(payments, account.id)).toEqual({ balance: 0, ledger: 0, entries: 0 });
  });

  it("counts another customer's guess of the owner's PIN against the guesser's wallet, never the owner's", async () => {
    const [owner] = await payments.graph.payments.sql('SELECT * FROM wallets WHERE user_id = $1', actors.owner.id);
    const guess = await call('other', CHANGE_PIN, { input: { currentPin: pins.owner, newPin: '246802' } });
    expect(guess.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft: 4 } }),
    ]);
    expect(await payments.graph.payments.sql('SELECT * FROM wallets WHERE user_id = $1', actors.owner.id)).toEqual([
      owner,
    ]);
    const [other] = await payments.graph.payments.sql<{ failed_pin_attempts: number }>(
      'SELECT failed_pin_attempts FROM wallets WHERE user_id = $1',
      actors.other.id,
    );
    expect(other?.failed_pin_attempts).toBe(1);
  });
});

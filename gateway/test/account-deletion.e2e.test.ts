import { eventually, graphql } from '@radiata/testing';
import { LOG_IN, SIGN_UP, type SignedIn, signUp, TEST_PASSWORD } from './support/accounts.js';
import { orderWhen, placeOrder, product, type ShopGraph, startShopGraph } from './support/orders.js';
import { fundedWallet } from './support/payments.js';

// Self-service account deletion through the real graph: the users subgraph learns of orders in
// flight and wallet balances from the orders and payments subgraphs' events, and refuses while
// either holds the account; otherwise the personal data goes and the sessions end at once.

const DELETE = 'mutation($password: String!) { deleteAccount(password: $password) }';

let shop: ShopGraph;
beforeAll(async () => {
  shop = await startShopGraph();
});
afterAll(() => shop.stop());

const deleteAccount = (as: SignedIn, password = TEST_PASSWORD) =>
  graphql<{ deleteAccount: boolean }>(shop.graph.gateway.url, DELETE, {
    token: as.accessToken,
    variables: { password },
  });

type Refusal = { message: string; extensions: { code: string; reasons: { code: string }[] } };

it('refuses a shopper whose wallet holds money, saying so, and deletes nothing', async () => {
  const shopper = await signUp(shop.graph);
  await fundedWallet(shop, shopper, '246810', 5_000);
  // The users subgraph hears of the balance from payments' event.
  await eventually(
    async () =>
      (await shop.graph.users.sql('SELECT 1 FROM shopper_wallets WHERE user_id = $1 AND balance = 5000', shopper.id))
        .length === 1,
  );

  const refused = await deleteAccount(shopper);
  expect(refused.data).toBeNull();
  const [error] = refused.errors as Refusal[];
  expect(error?.extensions).toEqual({ code: 'CONFLICT', reasons: [{ code: 'WALLET_BALANCE', amount: 5_000 }] });
  expect(error?.message).toContain('your wallet holds 5,000 won');
  // Still there, still signed in.
  const me = await graphql<{ me: { email: string } }>(shop.graph.gateway.url, '{ me { email } }', {
    token: shopper.accessToken,
  });
  expect(me.data?.me.email).toBe(shopper.email);
});

it('refuses a shopper with an order in flight, saying so, and deletes nothing', async () => {
  const shopper = await signUp(shop.graph);
  const socks = await product(shop, { name: 'Socks', price: 10_000, stockQuantity: 10 });
  const placed = await placeOrder(shop, shopper, { items: [{ productId: socks.id, quantity: 1 }] });
  expect(placed.errors).toBeUndefined();
  const orderId = placed.data?.placeOrder.id as string;
  // Unpaid, it waits for payment (in flight) until its payment window ends.
  await orderWhen(shop, shopper, orderId, 'AWAITING_PAYMENT');
  await eventually(
    async () =>
      (
        await shop.graph.users.sql(
          "SELECT 1 FROM shopper_orders WHERE order_id = $1 AND status = 'AWAITING_PAYMENT'",
          orderId,
        )
      ).length === 1,
  );

  const refused = await deleteAccount(shopper);
  const [error] = refused.errors as Refusal[];
  expect(error?.extensions).toEqual({ code: 'CONFLICT', reasons: [{ code: 'ORDERS_IN_FLIGHT', count: 1 }] });
  expect(error?.message).toContain('1 order is not delivered, cancelled or refunded yet');
  const [user] = await shop.graph.users.sql<{ email: string; deleted_at: Date | null }>(
    'SELECT email, deleted_at FROM users WHERE id = $1',
    shopper.id,
  );
  expect(user).toEqual({ email: shopper.email, deleted_at: null });
});

it('deletes a clean shopper: the token is refused, logIn fails, the email signs up anew, no personal data is left', async () => {
  const shopper = await signUp(shop.graph);
  await shop.graph.users.sql("UPDATE users SET phone = '010-9876-5432' WHERE id = $1", shopper.id);

  const wrong = await deleteAccount(shopper, 'not my password 7');
  expect(wrong.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'WRONG_PASSWORD' });

  const deleted = await deleteAccount(shopper);
  expect(deleted.errors).toBeUndefined();
  expect(deleted.data).toEqual({ deleteAccount: true });

  // The access token stops working at once, at the gateway.
  const me = await graphql(shop.graph.gateway.url, '{ me { id } }', { token: shopper.accessToken });
  expect(me.status).toBe(401);
  expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const refresh = await graphql(
    shop.graph.gateway.url,
    'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
    { variables: { t: shopper.refreshToken } },
  );
  expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const logIn = await graphql(shop.graph.gateway.url, LOG_IN, {
    variables: { input: { email: shopper.email, password: TEST_PASSWORD } },
  });
  expect(logIn.errors?.[0]).toMatchObject({
    message: 'Invalid email or password',
    extensions: { code: 'UNAUTHENTICATED' },
  });

  // The same email is free: a new account, with another id.
  const again = await graphql<{ signUp: { user: { id: string; email: string } } }>(shop.graph.gateway.url, SIGN_UP, {
    variables: { input: { email: shopper.email, password: 'a new start 2027', name: 'Kim Minji' } },
  });
  expect(again.errors).toBeUndefined();
  expect(again.data?.signUp.user.email).toBe(shopper.email);
  expect(again.data?.signUp.user.id).not.toBe(shopper.id);

  // What the old row keeps is no one's: a placeholder address, no password, no name, no phone.
  const [row] = await shop.graph.users.sql<Record<string, unknown>>(
    'SELECT email, password_hash, name, phone, deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1',
    shopper.id,
  );
  expect(row).toEqual({
    email: `deleted-${shopper.id}@deleted.invalid`,
    password_hash: '!deleted',
    name: '탈퇴한 회원',
    phone: null,
    deleted: true,
  });
  expect(JSON.stringify(row)).not.toContain(shopper.email.split('@')[0] as string);
  // Payments heard of it (nothing to close here: the shopper never opened a wallet).
  await eventually(
    async () =>
      (await shop.graph.payments.sql("SELECT 1 FROM inbox_messages WHERE consumer = 'payments.users'")).length >= 1,
  );
});

import { randomUUID } from 'node:crypto';
import { isRevoked, RevocationKeyspace, type VerifiedAccessToken, type Viewer } from '@radiata/auth-context';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, startTestSubgraph, type TestSubgraph, testLogger } from '@radiata/testing';
import {
  ACCOUNT_HOLDS_QUEUE,
  ORDER_STATUS_CHANGED,
  ORDERS_EXCHANGE,
  PAYMENTS_EXCHANGE,
  WALLET_BALANCE_CHANGED,
} from '../src/messaging/account-holds-consumer.js';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PASSWORD = 'password 123';
const DELETE = 'mutation($password: String!) { deleteAccount(password: $password) }';

let users: TestSubgraph<Running>;
let producers: Rabbit;
beforeAll(async () => {
  // A back-off long enough that the test sees it in force whatever the machine's pace.
  users = await startTestSubgraph(usersSubgraph, { env: { LOGIN_BACKOFF_SECONDS: '5' } });
  // Publishes as the orders and payments subgraphs' outbox relays do, in the stack's namespace.
  producers = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'users-deletion-test',
    logger: testLogger('rabbit'),
    namespace: users.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await producers.close();
  await users.stop();
});

const services = () => users.subgraph.services;
const codeOf = (result: { errors?: readonly { extensions?: { code?: string } }[] }) =>
  result.errors?.[0]?.extensions?.code;

let counter = 0;
const emailOf = () => `leaver.${process.pid}.${Date.now()}.${counter++}@example.com`;

interface Shopper extends Viewer {
  readonly email: string;
  readonly refreshToken: string;
}

async function shopper(email = emailOf()): Promise<Shopper> {
  const result = await users.client.call<{ signUp: { refreshToken: string; user: { id: string } } }>(
    null,
    'mutation($input: SignUpInput!) { signUp(input: $input) { refreshToken user { id } } }',
    { input: { email, password: PASSWORD, name: 'Kim Minji' } },
  );
  expect(result.errors).toBeUndefined();
  const signedUp = result.data?.signUp as { refreshToken: string; user: { id: string } };
  return { id: signedUp.user.id, role: 'CUSTOMER', email, refreshToken: signedUp.refreshToken };
}

const deleteAccount = (viewer: Viewer | null, password = PASSWORD) =>
  users.client.call<{ deleteAccount: boolean }>(viewer, DELETE, { password });

/** Publishes an event to the holds consumer and waits until it is applied (its inbox row). */
async function announce(exchange: string, routingKey: string, payload: object, messageId = newId()) {
  await producers.publish(exchange, routingKey, payload, { messageId });
  await eventually(
    async () =>
      (
        await users.sql(
          'SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2',
          ACCOUNT_HOLDS_QUEUE,
          messageId,
        )
      ).length === 1,
  );
}
const orderStatus = (userId: string, orderId: string, status: string, version: number) =>
  announce(ORDERS_EXCHANGE, ORDER_STATUS_CHANGED, {
    orderId,
    userId,
    status,
    version,
    occurredAt: new Date().toISOString(),
  });
const walletBalance = (userId: string, balance: number, version: number) =>
  announce(PAYMENTS_EXCHANGE, WALLET_BALANCE_CHANGED, {
    userId,
    balance,
    version,
    occurredAt: new Date().toISOString(),
  });

/** Everything the deletion would touch for this user: equal before and after means nothing changed. */
async function snapshot(userId: string): Promise<string> {
  const [user, tokens, addresses, applications, outbox, points, sessions] = await Promise.all([
    users.sql('SELECT * FROM users WHERE id = $1', userId),
    users.sql('SELECT id, revoked_at FROM refresh_tokens WHERE user_id = $1 ORDER BY id', userId),
    users.sql('SELECT * FROM user_addresses WHERE user_id = $1 ORDER BY id', userId),
    users.sql('SELECT * FROM seller_applications WHERE user_id = $1 ORDER BY id', userId),
    users.sql("SELECT id FROM outbox_messages WHERE payload->>'userId' = $1 ORDER BY id", userId),
    users.sql('SELECT * FROM point_entries WHERE user_id = $1 ORDER BY id', userId),
    users.sql('SELECT * FROM sessions WHERE user_id = $1 ORDER BY id', userId),
  ]);
  const notBefore = await services().redis.get(
    new RevocationKeyspace(users.namespace.redisKeyPrefix).notBefore(userId),
  );
  return JSON.stringify({ user, tokens, addresses, applications, outbox, points, sessions, notBefore });
}

/** Whether the gateway would refuse an access token of `userId` issued at `issuedAt`. */
async function refused(userId: string, issuedAt: Date): Promise<boolean> {
  const keys = new RevocationKeyspace(users.namespace.redisKeyPrefix);
  const token: VerifiedAccessToken = {
    viewer: { id: userId, role: 'CUSTOMER' },
    sessionId: randomUUID(),
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + 900_000),
  };
  return isRevoked(token, await services().redis.mget(...keys.keysOf(token)));
}

describe('deleteAccount: who may', () => {
  it('refuses anonymous callers, admins and sellers, and keeps the admin deleteUser working', async () => {
    expect(codeOf(await deleteAccount(null))).toBe('UNAUTHENTICATED');

    const admin = await shopper();
    await users.sql("UPDATE users SET role = 'ADMIN' WHERE id = $1", admin.id);
    const asAdmin = await deleteAccount({ id: admin.id, role: 'ADMIN' });
    expect(asAdmin.errors?.[0]).toMatchObject({
      message: 'Admins cannot delete their own account: another admin can (deleteUser)',
      extensions: { code: 'FORBIDDEN' },
    });
    const seller = await shopper();
    await users.sql("UPDATE users SET role = 'SELLER' WHERE id = $1", seller.id);
    const before = await snapshot(seller.id);
    expect(codeOf(await deleteAccount({ id: seller.id, role: 'SELLER' }))).toBe('FORBIDDEN');
    expect(await snapshot(seller.id)).toBe(before);

    // An admin still deletes the seller (deactivation only): both events go out, erased: false.
    const byAdmin = await users.client.call<{ deleteUser: boolean }>(
      { id: admin.id, role: 'ADMIN' },
      'mutation($id: ID!) { deleteUser(userId: $id) }',
      { id: seller.id },
    );
    expect(byAdmin.data?.deleteUser).toBe(true);
    const events = await users.sql<{ routing_key: string; payload: Record<string, unknown> }>(
      "SELECT routing_key, payload FROM outbox_messages WHERE payload->>'userId' = $1 ORDER BY created_at, id",
      seller.id,
    );
    expect(events.map((event) => [event.routing_key, event.payload.deleted ?? event.payload.erased])).toEqual([
      ['users.user.role-changed', true],
      ['users.user.deleted', false],
    ]);
  });
});

describe('deleteAccount: refused while something holds the account open', () => {
  it('names the orders in flight and the wallet balance, and changes nothing', async () => {
    const leaver = await shopper();
    const paid = newId();
    const shipping = newId();
    await orderStatus(leaver.id, paid, 'PAID', 3);
    await orderStatus(leaver.id, shipping, 'SHIPPING', 5);
    await orderStatus(leaver.id, newId(), 'DELIVERED', 6);
    await orderStatus(leaver.id, newId(), 'REFUNDED', 9);
    await walletBalance(leaver.id, 12_500, 4);
    const before = await snapshot(leaver.id);

    const both = await deleteAccount(leaver);
    expect(both.data).toBeNull();
    expect(both.errors?.[0]).toMatchObject({
      message:
        'Your account cannot be deleted yet: 2 orders are not delivered, cancelled or refunded yet; ' +
        'your wallet holds 12,500 won (spend it, or ask us to pay it back)',
      extensions: {
        code: 'CONFLICT',
        reasons: [
          { code: 'ORDERS_IN_FLIGHT', count: 2 },
          { code: 'WALLET_BALANCE', amount: 12_500 },
        ],
      },
    });
    expect(await snapshot(leaver.id)).toBe(before);

    // The wallet spent, one order delivered: only the other order holds it.
    await walletBalance(leaver.id, 0, 5);
    await orderStatus(leaver.id, shipping, 'DELIVERED', 6);
    const orders = await deleteAccount(leaver);
    expect(orders.errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      reasons: [{ code: 'ORDERS_IN_FLIGHT', count: 1 }],
    });
    expect(orders.errors?.[0]?.message).toBe(
      'Your account cannot be deleted yet: 1 order is not delivered, cancelled or refunded yet',
    );

    // Refunded too: nothing holds it any more.
    await orderStatus(leaver.id, paid, 'REFUNDING', 4);
    await orderStatus(leaver.id, paid, 'REFUNDED', 7);
    expect((await deleteAccount(leaver)).data?.deleteAccount).toBe(true);
  });

  it('is refused by the wallet alone, and a balance with no order', async () => {
    const leaver = await shopper();
    await walletBalance(leaver.id, 1, 1);
    const refusal = await deleteAccount(leaver);
    expect(refusal.errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      reasons: [{ code: 'WALLET_BALANCE', amount: 1 }],
    });
    expect(refusal.errors?.[0]?.message).toContain('your wallet holds 1 won');
  });
});

describe('deleteAccount: the password', () => {
  it('refuses a wrong one (FORBIDDEN), counted like a failed log-in until the throttles refuse both', async () => {
    const leaver = await shopper();
    const before = await snapshot(leaver.id);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const wrong = await deleteAccount(leaver, 'not my password 1');
      expect(wrong.errors?.[0]).toMatchObject({
        message: 'Wrong password',
        extensions: { code: 'FORBIDDEN', reason: 'WRONG_PASSWORD' },
      });
    }
    expect(await snapshot(leaver.id)).toBe(before);
    // The third consecutive failure started the back-off: the right password waits too, here and
    // at logIn (the same account, the same address).
    const waiting = await deleteAccount(leaver);
    expect(waiting.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    const logIn = await users.client.call(
      null,
      'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email: leaver.email, password: PASSWORD } },
    );
    expect(codeOf(logIn)).toBe('RATE_LIMITED');
    expect(await snapshot(leaver.id)).toBe(before);
    // Once the wait is over, the right password deletes it.
    await eventually(async () => (await deleteAccount(leaver)).data?.deleteAccount === true);
  });

  it('answers BAD_USER_INPUT for an empty or overlong password, which is not a guess', async () => {
    const leaver = await shopper();
    expect(codeOf(await deleteAccount(leaver, ''))).toBe('BAD_USER_INPUT');
    expect(codeOf(await deleteAccount(leaver, 'x'.repeat(129)))).toBe('BAD_USER_INPUT');
  });
});

describe('deleteAccount: done', () => {
  it('erases exactly the personal data, keeps the points ledger, ends the sessions, and frees the email', async () => {
    const leaver = await shopper();
    await users.sql("UPDATE users SET phone = '010-1234-5678' WHERE id = $1", leaver.id);
    await users.sql(
      `INSERT INTO user_addresses (id, user_id, label, recipient, phone, zip_code, road_address, detail_address, is_default)
       VALUES ($1, $2, 'Home', 'Kim Minji', '010-1234-5678', '06236', '152 Teheran-ro', '12F', true)`,
      newId(),
      leaver.id,
    );
    await users.sql(
      `INSERT INTO seller_applications (id, user_id, business_name, business_registration_number, contact_name, contact_phone, contact_email)
       VALUES ($1, $2, 'Minji Shop', '1234567891', 'Kim Minji', '010-1234-5678', $3)`,
      newId(),
      leaver.id,
      leaver.email,
    );
    await users.sql("UPDATE sessions SET user_agent = 'Mozilla/5.0 (Minji phone)' WHERE user_id = $1", leaver.id);
    await users.sql(
      `INSERT INTO mail_outbox (id, user_id, recipient, template, locale, subject, status, finished_at)
       VALUES ($1, $2, $3, 'password-changed', 'ko', 'Your password was changed', 'SENT', now())`,
      newId(),
      leaver.id,
      leaver.email,
    );
    await users.sql(
      `INSERT INTO password_reset_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '30 minutes')`,
      newId(),
      leaver.id,
      randomUUID(),
    );
    const admin: Viewer = { id: newId(), role: 'ADMIN' };
    await services().points.adjust(admin, { userId: leaver.id, amount: 700, reason: 'welcome gift' });
    await orderStatus(leaver.id, newId(), 'CANCELLED', 4);
    const [before] = await users.sql<Record<string, unknown>>('SELECT * FROM users WHERE id = $1', leaver.id);
    const ledger = await users.sql('SELECT * FROM point_entries WHERE user_id = $1', leaver.id);
    const issuedBefore = new Date();
    expect(await refused(leaver.id, issuedBefore)).toBe(false);

    const deleted = await deleteAccount(leaver);
    expect(deleted).toEqual({ data: { deleteAccount: true } });

    const [after] = await users.sql<Record<string, unknown>>('SELECT * FROM users WHERE id = $1', leaver.id);
    const deletedAt = after?.deleted_at as Date;
    expect(after).toEqual({
      ...before,
      email: `deleted-${leaver.id}@deleted.invalid`,
      password_hash: '!deleted',
      name: '탈퇴한 회원',
      phone: null,
      role_version: (before?.role_version as number) + 1,
      deleted_at: expect.any(Date),
      updated_at: expect.any(Date),
    });
    expect(JSON.stringify(after)).not.toContain(leaver.email);
    expect(await users.sql('SELECT * FROM user_addresses WHERE user_id = $1', leaver.id)).toEqual([]);
    expect(
      await users.sql(
        'SELECT status, business_name, contact_name, contact_phone, contact_email FROM seller_applications WHERE user_id = $1',
        leaver.id,
      ),
    ).toEqual([
      {
        status: 'WITHDRAWN',
        business_name: 'Minji Shop',
        contact_name: null,
        contact_phone: null,
        contact_email: null,
      },
    ]);
    // Kept for accounting, under the same id.
    expect(await users.sql('SELECT * FROM point_entries WHERE user_id = $1', leaver.id)).toEqual(ledger);
    expect(await users.sql('SELECT balance FROM point_accounts WHERE user_id = $1', leaver.id)).toEqual([
      { balance: 700 },
    ]);
    // Sessions: every refresh token revoked, access tokens issued before now refused.
    expect(
      await users.sql(
        'SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        leaver.id,
      ),
    ).toEqual([{ live: 0 }]);
    expect(await refused(leaver.id, issuedBefore)).toBe(true);
    expect(
      await users.sql('SELECT ended_at IS NOT NULL AS ended, user_agent FROM sessions WHERE user_id = $1', leaver.id),
    ).toEqual([{ ended: true, user_agent: null }]);
    expect(
      await users.sql(
        'SELECT superseded_at IS NOT NULL AS superseded FROM password_reset_tokens WHERE user_id = $1',
        leaver.id,
      ),
    ).toEqual([{ superseded: true }]);
    expect(await users.sql('SELECT recipient FROM mail_outbox WHERE user_id = $1', leaver.id)).toEqual([
      { recipient: `deleted-${leaver.id}@deleted.invalid` },
    ]);
    const refresh = await users.client.call(
      null,
      'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
      {
        t: leaver.refreshToken,
      },
    );
    expect(codeOf(refresh)).toBe('UNAUTHENTICATED');
    const logIn = await users.client.call(
      null,
      'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      {
        input: { email: leaver.email, password: PASSWORD },
      },
    );
    expect(codeOf(logIn)).toBe('UNAUTHENTICATED');
    // What other subgraphs hear: the role change existing consumers rely on, and the deletion.
    const events = await users.sql<{ routing_key: string; payload: Record<string, unknown> }>(
      "SELECT routing_key, payload FROM outbox_messages WHERE payload->>'userId' = $1 ORDER BY created_at, id",
      leaver.id,
    );
    expect(events).toEqual([
      {
        routing_key: 'users.user.role-changed',
        payload: expect.objectContaining({
          userId: leaver.id,
          role: 'CUSTOMER',
          roleVersion: (before?.role_version as number) + 1,
          deleted: true,
        }),
      },
      {
        routing_key: 'users.user.deleted',
        payload: { userId: leaver.id, deletedAt: deletedAt.toISOString(), erased: true },
      },
    ]);

    // The same email signs up again, as a new account.
    const again = await shopper(leaver.email.toUpperCase());
    expect(again.id).not.toBe(leaver.id);
    const me = await users.client.call<{ me: { email: string; name: string } }>(again, '{ me { email name } }');
    expect(me.data?.me).toEqual({ email: leaver.email, name: 'Kim Minji' });
    // And the deleted account is gone from every read.
    expect((await users.client.call(leaver, '{ me { id } }')).data).toEqual({ me: null });
    expect(codeOf(await deleteAccount(leaver))).toBe('UNAUTHENTICATED');
  });

  it('names an English-speaking account "Deleted user"', async () => {
    const leaver = await shopper();
    await users.sql("UPDATE users SET locale = 'en' WHERE id = $1", leaver.id);
    expect((await deleteAccount(leaver)).data?.deleteAccount).toBe(true);
    expect(await users.sql('SELECT name, locale FROM users WHERE id = $1', leaver.id)).toEqual([
      { name: 'Deleted user', locale: 'en' },
    ]);
  });

  it('deletes once when asked twice at the same moment', async () => {
    const leaver = await shopper();
    const answers = await Promise.all([deleteAccount(leaver), deleteAccount(leaver)]);
    expect(answers.filter((answer) => answer.data?.deleteAccount === true)).toHaveLength(1);
    expect(answers.map(codeOf).filter((code) => code !== undefined)).toEqual(['UNAUTHENTICATED']);
    expect(
      await users.sql<{ routing_key: string }>(
        "SELECT routing_key FROM outbox_messages WHERE payload->>'userId' = $1 ORDER BY routing_key",
        leaver.id,
      ),
    ).toEqual([{ routing_key: 'users.user.deleted' }, { routing_key: 'users.user.role-changed' }]);
  });
});

import { graphql } from '@radiata/testing';
import { LOG_IN, SIGN_UP, signUp, uniqueEmail } from './support/accounts.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const ME = /* GraphQL */ `
  query Me { me { id email name role createdAt points { balance history(first: 5) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }
`;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph.stop());

const countUsers = async () => Number((await graph.users.sql<{ n: string }>('SELECT count(*) AS n FROM users'))[0]?.n);

describe('sign up, log in, me (through the gateway)', () => {
  it('creates a customer, signs them in, and answers me', async () => {
    const email = uniqueEmail();
    const signUpResult = await graphql<{
      signUp: {
        accessToken: string;
        refreshToken: string;
        accessTokenExpiresAt: string;
        user: { id: string; email: string; role: string };
      };
    }>(graph.gateway.url, SIGN_UP, {
      variables: { input: { email: `  ${email.toUpperCase()} `, password: 'Sup3r secret', name: ' Kim Minji ' } },
    });
    expect(signUpResult.errors).toBeUndefined();
    const session = signUpResult.data!.signUp;
    expect(session.user).toMatchObject({ email, role: 'CUSTOMER' });
    expect(new Date(session.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const logIn = await graphql<{ logIn: { accessToken: string; user: { id: string } } }>(graph.gateway.url, LOG_IN, {
      variables: { input: { email: email.toUpperCase(), password: 'Sup3r secret' } },
    });
    expect(logIn.errors).toBeUndefined();
    expect(logIn.data!.logIn.user.id).toBe(session.user.id);

    const me = await graphql<{ me: Record<string, unknown> }>(graph.gateway.url, ME, {
      token: logIn.data!.logIn.accessToken,
    });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({
      id: session.user.id,
      email,
      name: 'Kim Minji',
      role: 'CUSTOMER',
      points: { balance: 0, history: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
    });

    const rows = await graph.users.sql<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      session.user.id,
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers me with null for an anonymous request', async () => {
    const me = await graphql(graph.gateway.url, ME);
    expect(me.status).toBe(200);
    expect(me.data).toEqual({ me: null });
  });

  it('makes a wrong password and an unknown email look the same', async () => {
    const { email } = await signUp(graph);
    const wrongPassword = await graphql(graph.gateway.url, LOG_IN, {
      variables: { input: { email, password: 'not the password 1' } },
    });
    const unknownEmail = await graphql(graph.gateway.url, LOG_IN, {
      variables: { input: { email: uniqueEmail('nobody'), password: 'not the password 1' } },
    });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        { message: 'Invalid email or password', path: ['logIn'], extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
  });

  it('refuses a duplicate email, whatever its case, and writes nothing', async () => {
    const { email } = await signUp(graph);
    const before = await countUsers();
    const duplicate = await graphql(graph.gateway.url, SIGN_UP, {
      variables: { input: { email: email.toUpperCase(), password: 'another pass 9', name: 'Twin' } },
    });
    expect(duplicate.errors?.[0]).toMatchObject({
      message: 'An account with this email already exists',
      extensions: { code: 'CONFLICT' },
    });
    expect(await countUsers()).toBe(before);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email', password: 'long enough 1', name: 'A' }, 'input.email'],
    ['a short password', { email: uniqueEmail(), password: 'ab1', name: 'A' }, 'input.password'],
    [
      'a password without a digit',
      { email: uniqueEmail(), password: 'only letters here', name: 'A' },
      'input.password',
    ],
    ['an empty name', { email: uniqueEmail(), password: 'long enough 1', name: '   ' }, 'input.name'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_case, input, field) => {
    const before = await countUsers();
    const response = await graphql(graph.gateway.url, SIGN_UP, { variables: { input } });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [expect.objectContaining({ field })],
    });
    expect(await countUsers()).toBe(before);
  });
});

describe('refresh tokens', () => {
  const REFRESH = /* GraphQL */ `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken user { id } } }`;
  const LOG_OUT = /* GraphQL */ `mutation LogOut($token: String!) { logOut(refreshToken: $token) }`;
  type Refreshed = { refreshToken: { accessToken: string; refreshToken: string; user: { id: string } } };

  it('rotates: each refresh token works once and yields a new working pair', async () => {
    const account = await signUp(graph);
    const first = await graphql<Refreshed>(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.refreshToken.user.id).toBe(account.id);
    expect(first.data!.refreshToken.refreshToken).not.toBe(account.refreshToken);

    const me = await graphql<{ me: { id: string } }>(graph.gateway.url, '{ me { id } }', {
      token: first.data!.refreshToken.accessToken,
    });
    expect(me.data!.me.id).toBe(account.id);

    const second = await graphql<Refreshed>(graph.gateway.url, REFRESH, {
      variables: { token: first.data!.refreshToken.refreshToken },
    });
    expect(second.errors).toBeUndefined();
  });

  it('detects reuse of a rotated token and revokes the whole session', async () => {
    const account = await signUp(graph);
    const rotated = await graphql<Refreshed>(graph.gateway.url, REFRESH, {
      variables: { token: account.refreshToken },
    });
    const current = rotated.data!.refreshToken.refreshToken;

    const replay = await graphql(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } });
    expect(replay.errors?.[0]).toMatchObject({
      message: 'Invalid or expired refresh token',
      extensions: { code: 'UNAUTHENTICATED' },
    });

    const afterReuse = await graphql(graph.gateway.url, REFRESH, { variables: { token: current } });
    expect(afterReuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const live = await graph.users.sql(
      'SELECT id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
      account.id,
    );
    expect(live).toHaveLength(0);
  });

  it('lets exactly one of many concurrent refreshes with the same token win', async () => {
    const account = await signUp(graph);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        graphql<Refreshed>(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } }),
      ),
    );
    expect(attempts.filter((a) => a.data?.refreshToken).length).toBe(1);
    expect(attempts.filter((a) => a.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED').length).toBe(19);
  });

  it('ends the session on log out, idempotently', async () => {
    const account = await signUp(graph);
    for (let i = 0; i < 2; i++) {
      const out = await graphql(graph.gateway.url, LOG_OUT, { variables: { token: account.refreshToken } });
      expect(out.data).toEqual({ logOut: true });
    }
    const refresh = await graphql(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } });
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown refresh token', async () => {
    const refresh = await graphql(graph.gateway.url, REFRESH, { variables: { token: 'made-up-token' } });
    expect(refresh.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('reward points', () => {
  const ADJUST =
    'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { type amount balanceAfter reason } }';
  const HISTORY =
    'query($after: String) { me { points { balance history(first: 2, after: $after) { edges { node { amount balanceAfter } } pageInfo { hasNextPage endCursor } } } } }';

  it('records admin adjustments in the ledger, newest first, and never goes below zero', async () => {
    const admin = await signUp(graph, 'ADMIN');
    const customer = await signUp(graph);
    for (const amount of [1000, 500, -300]) {
      const adjusted = await graphql(graph.gateway.url, ADJUST, {
        token: admin.accessToken,
        variables: { input: { userId: customer.id, amount, reason: 'goodwill' } },
      });
      expect(adjusted.errors).toBeUndefined();
    }
    const overdraw = await graphql(graph.gateway.url, ADJUST, {
      token: admin.accessToken,
      variables: { input: { userId: customer.id, amount: -5000, reason: 'oops' } },
    });
    expect(overdraw.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });

    type History = {
      me: {
        points: {
          balance: number;
          history: {
            edges: { node: { amount: number; balanceAfter: number } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
      };
    };
    const page1 = await graphql<History>(graph.gateway.url, HISTORY, { token: customer.accessToken });
    expect(page1.data?.me.points.balance).toBe(1200);
    expect(page1.data?.me.points.history.edges.map((e) => e.node)).toEqual([
      { amount: -300, balanceAfter: 1200 },
      { amount: 500, balanceAfter: 1500 },
    ]);
    expect(page1.data?.me.points.history.pageInfo.hasNextPage).toBe(true);
    const page2 = await graphql<History>(graph.gateway.url, HISTORY, {
      token: customer.accessToken,
      variables: { after: page1.data?.me.points.history.pageInfo.endCursor },
    });
    expect(page2.data?.me.points.history.edges.map((e) => e.node)).toEqual([{ amount: 1000, balanceAfter: 1000 }]);
    expect(page2.data?.me.points.history.pageInfo.hasNextPage).toBe(false);

    const entries = await graph.users.sql('SELECT id FROM point_entries WHERE user_id = $1', customer.id);
    expect(entries).toHaveLength(3);

    const forbidden = await graphql(graph.gateway.url, ADJUST, {
      token: customer.accessToken,
      variables: { input: { userId: customer.id, amount: 1, reason: 'self-service' } },
    });
    expect(forbidden.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

import { eventually, type GraphQLResponse, graphql, startTcpProxy } from '@radiata/testing';
import { LOG_IN, type SignedIn, signUp, TEST_PASSWORD } from './support/accounts.js';
import { createBrand, createCategory, productInput, unique } from './support/catalog.js';
import { createOpenCoupon } from './support/coupons.js';
import { startAnotherGateway, startTestGraph, type TestGraph } from './support/graph.js';

// Issue 9 finding 8: an access token (15 minutes) outlived its session. Now the gateway refuses
// it as soon as the session is ended, the refresh token reused, the role changed or the
// account deleted, and a write is never done for a session it could not check.

const CLAIM = 'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome } }';
const REFRESH = 'mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const LOG_OUT = 'mutation($token: String!) { logOut(refreshToken: $token) }';
const CREATE_PRODUCT = 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }';

let graph: TestGraph;
let admin: SignedIn;
let couponId: string;
beforeAll(async () => {
  graph = await startTestGraph();
  admin = await signUp(graph, 'ADMIN');
  couponId = await createOpenCoupon(graph, admin, { title: 'Revocation 1,000 won' });
});
afterAll(() => graph.stop());

const claim = (accessToken: string) =>
  graphql<{ claimCoupon: { outcome: string } }>(graph.gateway.url, CLAIM, {
    token: accessToken,
    variables: { id: couponId },
  });

const claimedQuantity = async () => {
  const response = await graphql<{ coupon: { claimedQuantity: number } }>(
    graph.gateway.url,
    'query($id: ID!) { coupon(id: $id) { claimedQuantity } }',
    { token: admin.accessToken, variables: { id: couponId } },
  );
  return response.data?.coupon.claimedQuantity as number;
};

const issuesOf = async (userId: string) =>
  Number(
    (await graph.coupons.sql<{ n: string }>('SELECT count(*) AS n FROM coupon_issues WHERE user_id = $1', userId))[0]
      ?.n,
  );

const logIn = async (email: string) => {
  const response = await graphql<{ logIn: { accessToken: string; refreshToken: string; user: { role: string } } }>(
    graph.gateway.url,
    LOG_IN,
    { variables: { input: { email, password: TEST_PASSWORD } } },
  );
  return response;
};

function expectSessionEnded(response: GraphQLResponse) {
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toEqual([
    { message: 'Session ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

/** The refused claim reached nothing: no claim counted in Redis, no issue row, none on its way. */
async function expectClaimRefused(account: SignedIn, accessToken: string) {
  const claimedBefore = await claimedQuantity();
  expectSessionEnded(await claim(accessToken));
  expect(await claimedQuantity()).toBe(claimedBefore);
  expect(await issuesOf(account.id)).toBe(0);
}

/** A claim through a working session is accepted and persisted: exactly one issue row. */
async function expectClaimWorks(account: SignedIn, accessToken: string) {
  expect((await claim(accessToken)).data?.claimCoupon.outcome).toBe('ACCEPTED');
  await eventually(async () => (await issuesOf(account.id)) === 1);
}

describe('an access token stops working when its session ends', () => {
  it('after logOut: refused on reads and writes, while another session of the user goes on', async () => {
    const account = await signUp(graph);
    const otherDevice = (await logIn(account.email)).data?.logIn as { accessToken: string };
    expect((await graphql(graph.gateway.url, LOG_OUT, { variables: { token: account.refreshToken } })).data).toEqual({
      logOut: true,
    });

    await expectClaimRefused(account, account.accessToken);
    expectSessionEnded(await graphql(graph.gateway.url, '{ me { id } }', { token: account.accessToken }));

    const me = await graphql<{ me: { id: string } }>(graph.gateway.url, '{ me { id } }', {
      token: otherDevice.accessToken,
    });
    expect(me.data?.me.id).toBe(account.id);
    const again = (await logIn(account.email)).data?.logIn as { accessToken: string };
    await expectClaimWorks(account, again.accessToken);
  });

  it('after refresh-token reuse: every access token of the session is refused', async () => {
    const account = await signUp(graph);
    const rotated = await graphql<{ refreshToken: { accessToken: string } }>(graph.gateway.url, REFRESH, {
      variables: { token: account.refreshToken },
    });
    const current = rotated.data?.refreshToken.accessToken as string;
    expect(current).toBeDefined();
    const replay = await graphql(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } });
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await expectClaimRefused(account, account.accessToken);
    await expectClaimRefused(account, current);
    const again = (await logIn(account.email)).data?.logIn as { accessToken: string };
    await expectClaimWorks(account, again.accessToken);
  });

  it('after an admin demotes a seller: the SELLER token is refused, a refresh carries CUSTOMER', async () => {
    const seller = await signUp(graph, 'SELLER');
    const brandId = await createBrand(graph, seller);
    const categoryId = await createCategory(graph, admin, unique('Category'));
    const products = async () =>
      Number((await graph.catalog.sql<{ n: string }>('SELECT count(*) AS n FROM products'))[0]?.n);
    const before = await products();

    const demoted = await graphql<{ setUserRole: { role: string } }>(
      graph.gateway.url,
      'mutation($id: ID!) { setUserRole(userId: $id, role: CUSTOMER) { role } }',
      { token: admin.accessToken, variables: { id: seller.id } },
    );
    expect(demoted.data?.setUserRole.role).toBe('CUSTOMER');

    const create = (accessToken: string) =>
      graphql(graph.gateway.url, CREATE_PRODUCT, {
        token: accessToken,
        variables: { input: productInput(brandId, categoryId) },
      });
    expectSessionEnded(await create(seller.accessToken));
    expect(await products()).toBe(before);

    const refreshed = await graphql<{ refreshToken: { accessToken: string } }>(graph.gateway.url, REFRESH, {
      variables: { token: seller.refreshToken },
    });
    const customerToken = refreshed.data?.refreshToken.accessToken as string;
    const me = await graphql<{ me: { role: string } }>(graph.gateway.url, '{ me { role } }', {
      token: customerToken,
    });
    expect(me.data?.me.role).toBe('CUSTOMER');
    expect((await create(customerToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await products()).toBe(before);

    const again = await logIn(seller.email);
    expect(again.data?.logIn.user.role).toBe('CUSTOMER');
  });

  it('after the account is deleted: its token is refused, it cannot refresh or sign in, others go on', async () => {
    const account = await signUp(graph);
    const bystander = await signUp(graph);
    const deleted = await graphql(graph.gateway.url, 'mutation($id: ID!) { deleteUser(userId: $id) }', {
      token: admin.accessToken,
      variables: { id: account.id },
    });
    expect(deleted.data).toEqual({ deleteUser: true });

    await expectClaimRefused(account, account.accessToken);
    const refresh = await graphql(graph.gateway.url, REFRESH, { variables: { token: account.refreshToken } });
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await logIn(account.email)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expectClaimWorks(bystander, bystander.accessToken);
  });

  it('lets only admins delete accounts, and not their own', async () => {
    const customer = await signUp(graph);
    const DELETE = 'mutation($id: ID!) { deleteUser(userId: $id) }';
    const byCustomer = await graphql(graph.gateway.url, DELETE, {
      token: customer.accessToken,
      variables: { id: admin.id },
    });
    expect(byCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const self = await graphql(graph.gateway.url, DELETE, { token: admin.accessToken, variables: { id: admin.id } });
    expect(self.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await graphql(graph.gateway.url, DELETE, {
      token: admin.accessToken,
      variables: { id: '0192f3a0-0000-7000-8000-000000000000' },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('when the gateway cannot reach Redis', () => {
  it('serves reads (fail open) and refuses writes with a retryable 503', async () => {
    const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const proxy = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    const gateway = await startAnotherGateway(
      graph,
      { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
      'gateway-without-redis',
    );
    try {
      const account = await signUp(graph);
      await eventually(async () => (await fetch(new URL('/readyz', gateway.url))).status === 200);
      expect((await graphql(gateway.url, '{ me { id } }', { token: account.accessToken })).status).toBe(200);
      await proxy.stop();

      const me = await graphql<{ me: { id: string } }>(gateway.url, '{ me { id } }', { token: account.accessToken });
      expect(me.data?.me.id).toBe(account.id);
      const write = await graphql(gateway.url, CLAIM, { token: account.accessToken, variables: { id: couponId } });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('2');
      expect(write.errors).toEqual([
        {
          message: 'Sign-in could not be checked right now: try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 },
        },
      ]);
      expect(await issuesOf(account.id)).toBe(0);
      // Anonymous requests have no session to check.
      const anonymous = await graphql(gateway.url, '{ me { id } }');
      expect(anonymous.data).toEqual({ me: null });
    } finally {
      await gateway.stop();
      await proxy.stop();
    }
  });
});

import { issueAccessToken } from '@radiata/auth-context';
import { graphql, signedContextHeaders } from '@radiata/testing';
import { SignJWT, UnsecuredJWT } from 'jose';
import { signUp } from './support/accounts.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ MAX_QUERY_DEPTH: '5', MAX_QUERY_ALIASES: '5', MAX_QUERY_TOKENS: '200' });
});
afterAll(() => graph.stop());

const ME = '{ me { id role } }';

describe('access tokens at the gateway', () => {
  const claims = (id: string) => ({ sub: id, role: 'ADMIN', iss: 'radiata-users', aud: 'radiata' });

  it('rejects expired, tampered, foreign-key and wrong-algorithm tokens with 401 UNAUTHENTICATED', async () => {
    const account = await signUp(graph);
    const key = new TextEncoder().encode(graph.secrets.JWT_SECRET);
    const expired = await issueAccessToken(
      { id: account.id, role: 'CUSTOMER' },
      {
        secret: graph.secrets.JWT_SECRET,
        ttlSeconds: 60,
        sessionId: 'expired-session',
        now: new Date(Date.now() - 3_600_000),
      },
    );
    const [header, , signature] = account.accessToken.split('.');
    const elevated = Buffer.from(
      JSON.stringify({
        ...claims(account.id),
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).toString('base64url');
    const tampered = `${header}.${elevated}.${signature}`;
    const otherKey = await new SignJWT(claims(account.id))
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    const hs512 = await new SignJWT(claims(account.id))
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    const none = new UnsecuredJWT(claims(account.id)).setIssuedAt().setExpirationTime('5m').encode();

    for (const token of [expired.token, tampered, otherKey, hs512, none, 'garbage']) {
      const response = await graphql(graph.gateway.url, ME, { token });
      expect(response.status).toBe(401);
      expect(response.errors).toEqual([
        { message: 'Invalid or expired access token', extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
    const valid = await graphql<{ me: { id: string; role: string } }>(graph.gateway.url, ME, {
      token: account.accessToken,
    });
    expect(valid.data?.me).toEqual({ id: account.id, role: 'CUSTOMER' });
  });
});

describe('subgraphs accept only the gateway', () => {
  it('refuses a request without the signed context, or with a forged one', async () => {
    const account = await signUp(graph, 'ADMIN');
    const forged = await signedContextHeaders(
      { id: account.id, role: 'ADMIN' },
      'forged-secret-that-is-long-enough-000000',
    );
    for (const headers of [
      {},
      forged,
      { 'x-radiata-context': 'not-a-jws' },
      { 'x-user-id': account.id, 'x-user-role': 'ADMIN' },
    ]) {
      const response = await graphql(graph.users.subgraph.url, '{ users { edges { node { id } } } }', { headers });
      expect(response.status).toBe(401);
      expect(response.errors?.[0]).toEqual({
        message: 'Requests must come through the gateway',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    const genuine = await signedContextHeaders({ id: account.id, role: 'ADMIN' }, graph.secrets.GATEWAY_CONTEXT_SECRET);
    const accepted = await graphql(graph.users.subgraph.url, '{ me { id } }', { headers: genuine });
    expect(accepted.data).toEqual({ me: { id: account.id } });
  });

  it('shows a customer email only to its owner and admins, a seller email to anyone', async () => {
    const customer = await signUp(graph);
    const seller = await signUp(graph, 'SELLER');
    const anonymous = await signedContextHeaders(null, graph.secrets.GATEWAY_CONTEXT_SECRET);
    const entities = await graphql<{ _entities: { email: string | null }[] }>(
      graph.users.subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }',
      {
        headers: anonymous,
        variables: {
          r: [
            { __typename: 'User', id: customer.id },
            { __typename: 'User', id: seller.id },
          ],
        },
      },
    );
    expect(entities.data?._entities).toEqual([{ email: null }, { email: seller.email }]);
  });
});

describe('roles', () => {
  const SET_ROLE = 'mutation($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { id role } }';

  it('answers FORBIDDEN to a customer on admin operations and changes nothing', async () => {
    const customer = await signUp(graph);
    const list = await graphql(graph.gateway.url, '{ users { edges { node { id } } } }', {
      token: customer.accessToken,
    });
    expect(list.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const promote = await graphql(graph.gateway.url, SET_ROLE, {
      token: customer.accessToken,
      variables: { id: customer.id, role: 'ADMIN' },
    });
    expect(promote.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const rows = await graph.users.sql<{ role: string }>('SELECT role FROM users WHERE id = $1', customer.id);
    expect(rows[0]?.role).toBe('CUSTOMER');

    const anonymous = await graphql(graph.gateway.url, SET_ROLE, { variables: { id: customer.id, role: 'ADMIN' } });
    expect(anonymous.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('lets an admin list users, look one up and change a role', async () => {
    const admin = await signUp(graph, 'ADMIN');
    const customer = await signUp(graph);
    const changed = await graphql(graph.gateway.url, SET_ROLE, {
      token: admin.accessToken,
      variables: { id: customer.id, role: 'SELLER' },
    });
    expect(changed.data).toEqual({ setUserRole: { id: customer.id, role: 'SELLER' } });

    const sellers = await graphql<{ users: { edges: { node: { id: string } }[] } }>(
      graph.gateway.url,
      '{ users(role: SELLER, first: 100) { edges { node { id } } } }',
      { token: admin.accessToken },
    );
    expect(sellers.data?.users.edges.map((e) => e.node.id)).toContain(customer.id);

    const missing = await graphql(graph.gateway.url, '{ user(id: "no-such-user") { id } }', {
      token: admin.accessToken,
    });
    expect(missing.errors?.[0]).toMatchObject({ message: 'User not found', extensions: { code: 'NOT_FOUND' } });
  });
});

describe('request hygiene', () => {
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(graph.gateway.url, { method: 'POST', headers, body });

  it('refuses a query deeper than the limit, and accepts one at the limit', async () => {
    const account = await signUp(graph);
    const atLimit = await graphql(graph.gateway.url, '{ me { points { history { pageInfo { hasNextPage } } } } }', {
      token: account.accessToken,
    });
    expect(atLimit.status).toBe(200);
    expect(atLimit.errors).toBeUndefined();
    const tooDeep = await graphql(graph.gateway.url, '{ me { points { history { edges { node { id } } } } } }', {
      token: account.accessToken,
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(' ');
    const response = await graphql(graph.gateway.url, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('answers malformed JSON, unknown fields and batches with GraphQL errors, never a 500', async () => {
    const malformed = await post('{"query": "{ me { id } ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      errors: [{ message: 'Malformed JSON in request body', extensions: { code: 'BAD_REQUEST' } }],
    });

    const unknown = await graphql(graph.gateway.url, '{ me { id creditCardNumber } }');
    expect(unknown.status).toBe(400);
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

    const syntax = await graphql(graph.gateway.url, '{ me { id ');
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });

    const tooManyTokens = await graphql(graph.gateway.url, `{ me { ${'id '.repeat(250)} } }`);
    expect(tooManyTokens.status).toBe(400);
    expect(tooManyTokens.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });

    const batch = await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(batch.status).toBe(400);
  });

  it('blocks simple cross-site requests (CSRF prevention)', async () => {
    const response = await fetch(`${graph.gateway.url}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it("answers with the gateway's own request id, never the client's (see http-hardening.e2e.test.ts)", async () => {
    const echoed = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'checkout-123' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(echoed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id <script>' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves health and readiness on the gateway and the subgraph, and metrics on their own port', async () => {
    for (const running of [graph.gateway, graph.users.subgraph]) {
      expect((await fetch(new URL('/healthz', running.url))).status).toBe(200);
      const ready = await fetch(new URL('/readyz', running.url));
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ready');
      const metrics = await (await fetch(running.metricsUrl)).text();
      expect(metrics).toContain('graphql_operation_duration_seconds_bucket');
    }
    const gatewayMetrics = await (await fetch(graph.gateway.metricsUrl)).text();
    expect(gatewayMetrics).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="users"[^}]*\} [1-9]/);
  });
});

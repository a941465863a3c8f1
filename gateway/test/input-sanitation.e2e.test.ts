import { graphql, signedContextHeaders } from '@radiata/testing';
import { buildSchema, isScalarType, isSpecifiedScalarType } from 'graphql';
import { CHECKED_SCALARS } from '../src/input-rules.js';
import { readSupergraph } from '../src/supergraph.js';
import { type SignedIn, signUp } from './support/accounts.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let admin: SignedIn;
beforeAll(async () => {
  graph = await startTestGraph();
  admin = await signUp(graph, 'ADMIN');
});
afterAll(() => graph.stop());

const HOUR = 3_600_000;
const CREATE_COUPON = 'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id issueStartAt } }';
const couponInput = (issueStartAt: string) => ({
  title: 'Sanitation',
  type: 'FIRST_COME_FIRST_SERVED',
  discountType: 'AMOUNT',
  discountAmount: 1_000,
  issueStartAt,
  issueEndAt: new Date(Date.now() + HOUR).toISOString(),
  validDays: 30,
  totalQuantity: 5,
});

type Answer = Awaited<ReturnType<typeof graphql>>;

/** A BAD_USER_INPUT (HTTP 400) whose problems name `field`, and nothing else. */
function expectBadUserInput(answer: Answer, field: string): void {
  expect(answer.status).toBe(400);
  expect(answer.data ?? undefined).toBeUndefined();
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors ?? [];
  expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error?.message).toContain(field);
  expect(error?.extensions?.problems).toEqual([{ field, message: expect.any(String) }]);
}

const MALFORMED_DATES = [
  'not-a-date',
  '2026-11-27',
  '2026-02-30T00:00:00Z',
  '+275761-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
];

describe('malformed DateTime values', () => {
  it.each(MALFORMED_DATES)(
    'refuses %s in a variable as BAD_USER_INPUT, for anonymous callers and admins',
    async (value) => {
      for (const token of [undefined, admin.accessToken]) {
        const answer = await graphql(graph.gateway.url, CREATE_COUPON, {
          ...(token ? { token } : {}),
          variables: { input: couponInput(value) },
        });
        expectBadUserInput(answer, 'input.issueStartAt');
      }
    },
  );

  it('refuses one in an inline literal, naming the argument path', async () => {
    const answer = await graphql(
      graph.gateway.url,
      `mutation { createTimeSale(input: { title: "x", startAt: "2026-02-30T00:00:00Z", endAt: "2026-03-02T00:00:00Z" }) { id } }`,
      { token: admin.accessToken },
    );
    expectBadUserInput(answer, 'input.startAt');
  });

  it('refuses an object nested 60 deep where a DateTime literal is due, before planning it', async () => {
    // The query planner takes time exponential in this depth (minutes at 30, in the gateway's event loop).
    const nested = (depth: number): string => (depth === 0 ? '"x"' : `{a: [${nested(depth - 1)}]}`);
    const answer = await graphql(
      graph.gateway.url,
      `mutation { createTimeSale(input: { title: "x", startAt: "2026-03-01T00:00:00Z", endAt: ${nested(60)} }) { id } }`,
    );
    expectBadUserInput(answer, 'input.endAt');
  });

  it('checks every custom scalar of the supergraph at the gateway', () => {
    const schema = buildSchema(readSupergraph(), { assumeValidSDL: true });
    const custom = Object.values(schema.getTypeMap())
      .filter((type) => isScalarType(type) && !isSpecifiedScalarType(type) && !/^(join|link)__/.test(type.name))
      .map((type) => type.name);
    expect(custom.sort()).toEqual(CHECKED_SCALARS.map((scalar) => scalar.name).sort());
  });

  it('still accepts valid instants in any offset, at the bounds of the range', async () => {
    const answer = await graphql<{ createCoupon: { issueStartAt: string } }>(graph.gateway.url, CREATE_COUPON, {
      token: admin.accessToken,
      variables: { input: couponInput('1970-01-01T09:00:00+09:00') },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createCoupon.issueStartAt).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('control characters in strings', () => {
  const PRODUCTS = 'query($filter: ProductFilter) { products(filter: $filter) { edges { node { id } } } }';

  it.each([
    ['a\u0000b', 'NUL'],
    ['a\u0007b', 'BEL'],
    ['a\u001bb', 'ESC'],
    ['a\ud800b', 'a lone surrogate'],
  ])('refuses %j (%s) in an anonymous products filter', async (query) => {
    expectBadUserInput(
      await graphql(graph.gateway.url, PRODUCTS, { variables: { filter: { query } } }),
      'filter.query',
    );
  });

  it('refuses NUL in an inline literal', async () => {
    expectBadUserInput(
      await graphql(graph.gateway.url, '{ products(filter: { query: "a\\u0000b" }) { edges { node { id } } } }'),
      'filter.query',
    );
  });

  it('refuses NUL in logIn and signUp input, and in a variable default value', async () => {
    expectBadUserInput(
      await graphql(graph.gateway.url, 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }', {
        variables: { input: { email: 'a\u0000@b.c', password: 'correct horse 42' } },
      }),
      'input.email',
    );
    expectBadUserInput(
      await graphql(graph.gateway.url, 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
        variables: { input: { email: 'nul@example.com', password: 'correct horse 42', name: 'a\u0000b' } },
      }),
      'input.name',
    );
    expectBadUserInput(
      await graphql(
        graph.gateway.url,
        'query($q: String = "a\\u0000b") { products(filter: { query: $q }) { edges { node { id } } } }',
      ),
      'q',
    );
  });

  it('keeps tabs, newlines and any printable Unicode', async () => {
    const answer = await graphql(graph.gateway.url, PRODUCTS, {
      variables: { filter: { query: 'tab\there\r\nline 한글 😀' } },
    });
    expect(answer.errors).toBeUndefined();
  });
});

describe('subgraphs refuse the same input on their own (defence in depth)', () => {
  it('answers BAD_USER_INPUT, not a database error, to a request that skipped the gateway check', async () => {
    const headers = await signedContextHeaders(null, graph.secrets.GATEWAY_CONTEXT_SECRET);
    const nul = await graphql(
      graph.catalog.subgraph.url,
      'query($filter: ProductFilter) { products(filter: $filter) { edges { node { id } } } }',
      { headers, variables: { filter: { query: 'a\u0000b' } } },
    );
    expect(nul.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(nul.errors?.[0]?.extensions?.problems).toEqual([{ field: 'filter.query', message: expect.any(String) }]);

    const year0 = await graphql(graph.coupons.subgraph.url, CREATE_COUPON, {
      headers,
      variables: { input: couponInput('0000-01-01T00:00:00Z') },
    });
    expect(year0.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

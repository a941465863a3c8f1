import { graphql } from '@radiata/testing';
import { loadGatewayConfig } from '../src/config.js';
import type { RunningGateway } from '../src/server.js';
import { LOG_IN, SIGN_UP, TEST_PASSWORD, uniqueEmail } from './support/accounts.js';
import { startAnotherGateway, startTestGraph, type TestGraph } from './support/graph.js';

// Small limits, and windows and locks far longer than any test: nothing here waits for an unlock.
const LIMITS = {
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: '5',
  LOGIN_FAILURES_PER_ACCOUNT: '8',
  LOGIN_LOCK_SECONDS: '900',
  LOGIN_BACKOFF_AFTER_FAILURES: '3',
  LOGIN_BACKOFF_SECONDS: '60',
  LOGIN_FAILURES_PER_ADDRESS_PER_DAY: '12',
  SIGN_UP_RATE_LIMIT: '3',
  REFRESH_TOKEN_RATE_LIMIT: '3',
};

let graph: TestGraph;
/** More gateways on the same subgraphs and Redis namespace (replicas with other settings). */
const gateways: RunningGateway[] = [];
beforeAll(async () => {
  // The gateway trusts loopback (the default TRUST_PROXY), so a test plays a client at any
  // address by sending X-Forwarded-For.
  graph = await startTestGraph({}, { users: LIMITS });
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await graph.stop();
});

async function anotherGateway(env: Record<string, string>): Promise<RunningGateway> {
  const gateway = await startAnotherGateway(graph, env);
  gateways.push(gateway);
  return gateway;
}

let addresses = 0;
/** A fresh documentation address (RFC 5737) per call: each test's client is alone at its address. */
const newAddress = () => `198.51.100.${++addresses}`;
const from = (address: string) => ({ 'x-forwarded-for': address });

async function signUpFrom(address: string, url = graph.gateway.url) {
  const email = uniqueEmail('limits');
  const response = await graphql<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    url,
    SIGN_UP,
    {
      variables: { input: { email, password: TEST_PASSWORD, name: 'Limits' } },
      headers: from(address),
    },
  );
  return { email, response };
}

async function account(): Promise<string> {
  const { email, response } = await signUpFrom(newAddress());
  if (!response.data?.signUp) throw new Error(`sign up failed: ${JSON.stringify(response.errors)}`);
  return email;
}

const logIn = (email: string, password: string, address: string) =>
  graphql<{ logIn: { accessToken: string } }>(graph.gateway.url, LOG_IN, {
    variables: { input: { email, password } },
    headers: from(address),
  });

const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code ?? 'OK';
const retryAfterOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.retryAfterSeconds as number | undefined;

describe('log-in brute force protection', () => {
  it('locks an account for an address after a burst of wrong passwords, and says until when', async () => {
    const email = await account();
    const attacker = newAddress();
    const burst = await Promise.all(Array.from({ length: 12 }, () => logIn(email, 'wrong password 1', attacker)));
    const codes = burst.map(codeOf);
    // Every attempt takes its count before the password is checked: a parallel burst gets 5 guesses, no more.
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(7);
    for (const refused of burst.filter((response) => codeOf(response) === 'RATE_LIMITED')) {
      expect(refused.status).toBe(200);
      expect(retryAfterOf(refused)).toBeGreaterThan(60);
      expect(retryAfterOf(refused)).toBeLessThanOrEqual(900);
    }

    const rightPassword = await logIn(email, TEST_PASSWORD, attacker);
    expect(rightPassword.data?.logIn ?? null).toBeNull();
    expect(rightPassword.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many failed log-ins: try again in 1[45] minutes$/),
        path: ['logIn'],
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
      },
    ]);

    // The lock is the attacker's, not the owner's: from the owner's own address the account still opens.
    const owner = await logIn(email, TEST_PASSWORD, newAddress());
    expect(owner.data?.logIn.accessToken).toEqual(expect.any(String));
  });

  it('forgets the failures once the right password is given', async () => {
    const email = await account();
    const address = newAddress();
    for (let round = 0; round < 3; round += 1) {
      // 2 failures, then a success: 6 failures in all, past the limit of 5 had they added up
      expect(codeOf(await logIn(email, 'wrong password 1', address))).toBe('UNAUTHENTICATED');
      expect(codeOf(await logIn(email, 'wrong password 2', address))).toBe('UNAUTHENTICATED');
      expect(codeOf(await logIn(email, TEST_PASSWORD, address))).toBe('OK');
    }
  });

  it('makes the next attempt wait after a few failures (back-off), the right password too', async () => {
    const email = await account();
    const address = newAddress();
    for (let failure = 1; failure <= 3; failure += 1) {
      expect(codeOf(await logIn(email, `wrong password ${failure}`, address))).toBe('UNAUTHENTICATED');
    }
    const waiting = await logIn(email, TEST_PASSWORD, address);
    expect(codeOf(waiting)).toBe('RATE_LIMITED');
    expect(retryAfterOf(waiting)).toBeGreaterThan(0);
    expect(retryAfterOf(waiting)).toBeLessThanOrEqual(60);
  });

  it('locks the account itself when guesses come from many addresses', async () => {
    const email = await account();
    // 4 addresses × 2 failures: no pair near its limit (5), the account at its ceiling (8)
    for (let address = 0; address < 4; address += 1) {
      const attacker = newAddress();
      expect(codeOf(await logIn(email, 'wrong password 1', attacker))).toBe('UNAUTHENTICATED');
      expect(codeOf(await logIn(email, 'wrong password 2', attacker))).toBe('UNAUTHENTICATED');
    }
    const locked = await logIn(email, TEST_PASSWORD, newAddress());
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(retryAfterOf(locked)).toBeGreaterThan(60);
  });

  it('limits failures per address per day, whatever the accounts (credential stuffing)', async () => {
    const stuffer = newAddress();
    const emails = await Promise.all(Array.from({ length: 7 }, () => account()));
    const answers = [];
    // 12 failures allowed per address per day: 2 per account on 6 accounts, then the 7th account's attempt
    for (const email of emails.slice(0, 6)) {
      answers.push(await logIn(email, 'wrong password 1', stuffer), await logIn(email, 'wrong password 2', stuffer));
    }
    expect(answers.map(codeOf)).toEqual(Array(12).fill('UNAUTHENTICATED'));
    expect(codeOf(await logIn(emails[6] as string, TEST_PASSWORD, stuffer))).toBe('RATE_LIMITED');
  });
});

describe('sign-up and refresh limits per address', () => {
  it('admits only SIGN_UP_RATE_LIMIT parallel sign-ups from one address', async () => {
    const address = newAddress();
    const attempts = await Promise.all(Array.from({ length: 8 }, () => signUpFrom(address)));
    const codes = attempts.map(({ response }) => codeOf(response));
    expect(codes.filter((code) => code === 'OK')).toHaveLength(3);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
    expect(
      retryAfterOf(attempts.find(({ response }) => codeOf(response) === 'RATE_LIMITED')?.response ?? {}),
    ).toBeGreaterThan(0);
    const created = await graph.users.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE email = ANY($1)',
      attempts.map(({ email }) => email),
    );
    expect(created[0]?.n).toBe(3);
    // another address is not affected
    expect(codeOf((await signUpFrom(newAddress())).response)).toBe('OK');
  });

  it('limits refresh-token rotations per address', async () => {
    const address = newAddress();
    const { response } = await signUpFrom(address);
    let token = response.data?.signUp.refreshToken as string;
    const REFRESH = 'mutation($token: String!) { refreshToken(refreshToken: $token) { refreshToken } }';
    const codes = [];
    for (let refresh = 0; refresh < 4; refresh += 1) {
      const answer = await graphql<{ refreshToken: { refreshToken: string } }>(graph.gateway.url, REFRESH, {
        variables: { token },
        headers: from(address),
      });
      codes.push(codeOf(answer));
      token = answer.data?.refreshToken.refreshToken ?? token;
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED']);
  });
});

describe('the client address', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    // TRUST_PROXY=none: the peer (this test, on loopback) is the client, whatever it claims.
    const untrusting = await anotherGateway({ TRUST_PROXY: 'none' });
    const spoofed = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      spoofed.push(codeOf((await signUpFrom(newAddress(), untrusting.url)).response));
    }
    expect(spoofed).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);

    // The control: through the gateway that trusts loopback, each forwarded address is a client of its own.
    const trusted = [];
    for (let attempt = 0; attempt < 5; attempt += 1) trusted.push(codeOf((await signUpFrom(newAddress())).response));
    expect(trusted).toEqual(Array(5).fill('OK'));
  });

  it('refuses a TRUST_PROXY that would trust every peer', () => {
    expect(() => loadGatewayConfig({ ...graph.secrets, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadGatewayConfig({ ...graph.secrets, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(loadGatewayConfig({ ...graph.secrets, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadGatewayConfig({ ...graph.secrets, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
  });
});

describe('the gateway request limit', () => {
  const ME = 'query Me { me { id } }';

  /** Operations the users subgraph has run for `query.me` (so far, in this process). */
  async function usersMeOperations(): Promise<number> {
    const text = await graph.users.subgraph.metrics.registry.metrics();
    return text
      .split('\n')
      .filter((line) => line.startsWith('graphql_operation_duration_seconds_count{') && line.includes('"query.me"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  }

  it('answers 429 with Retry-After and a GraphQL body once a client is over its limit, before any subgraph', async () => {
    const limited = await anotherGateway({ REQUEST_RATE_LIMIT: '5', REQUEST_RATE_WINDOW_SECONDS: '3600' });
    const { response } = await signUpFrom(newAddress());
    const token = response.data?.signUp.accessToken as string;

    const address = newAddress();
    const answers = [];
    for (let request = 0; request < 5; request += 1) {
      answers.push(await graphql(limited.url, ME, { token, headers: from(address) }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);

    const before = await usersMeOperations();
    const refused = await graphql(limited.url, ME, { token, headers: from(address) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toEqual([
      {
        message: 'Too many requests: try again later',
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(refused.headers.get('retry-after')) },
      },
    ]);
    expect(await usersMeOperations()).toBe(before);

    // The signed-in user is the client, wherever they are; an anonymous client is its address.
    expect((await graphql(limited.url, ME, { token, headers: from(newAddress()) })).status).toBe(429);
    expect((await graphql(limited.url, '{ __typename }', { headers: from(address) })).status).toBe(200);
  });

  it('is shared by gateway replicas', async () => {
    const first = await anotherGateway({ REQUEST_RATE_LIMIT: '4', REQUEST_RATE_WINDOW_SECONDS: '3600' });
    const second = await anotherGateway({ REQUEST_RATE_LIMIT: '4', REQUEST_RATE_WINDOW_SECONDS: '3600' });
    const address = newAddress();
    const statuses = [];
    for (const url of [first.url, second.url, first.url, second.url, first.url, second.url]) {
      statuses.push((await graphql(url, '{ __typename }', { headers: from(address) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

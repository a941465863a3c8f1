import type { SignedRequestExtras, TestSubgraph } from '@radiata/testing';
import type { usersSubgraph } from '../src/subgraph.js';

export type RunningUsers = Awaited<ReturnType<typeof usersSubgraph.start>>;

export const PASSWORD = 'first password 1';

export interface SignedIn {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** The session: the access token's `sid`. */
  readonly sessionId: string;
}

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly viewer: { readonly id: string; readonly role: 'CUSTOMER' };
  /** The session signUp started. */
  readonly first: SignedIn;
}

/** The `sid` of an access token (its payload, read without checking: the subgraph issued it). */
export const sessionIdOf = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as { sid: string }).sid;

let counter = 0;
export const uniqueEmail = (prefix: string) => `${prefix}.${process.pid}.${Date.now()}.${counter++}@example.com`;
/** A client address of its own per test, so per-address limits of one test do not reach another. */
export const uniqueAddress = () => `198.51.100.${(counter++ % 250) + 1}`;

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }`;
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }`;

export async function signUp(
  users: TestSubgraph<RunningUsers>,
  options: { email?: string; userAgent?: string; locale?: 'KO' | 'EN' } = {},
): Promise<Account> {
  const email = options.email ?? uniqueEmail('account');
  const result = await users.client.call<{
    signUp: { accessToken: string; refreshToken: string; user: { id: string } };
  }>(
    null,
    SIGN_UP,
    { input: { email, password: PASSWORD, name: 'Kim Minji', ...(options.locale ? { locale: options.locale } : {}) } },
    { userAgent: options.userAgent ?? 'Radiata test (sign-up)' },
  );
  if (!result.data) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
  const { accessToken, refreshToken, user } = result.data.signUp;
  return {
    id: user.id,
    email,
    viewer: { id: user.id, role: 'CUSTOMER' },
    first: { accessToken, refreshToken, sessionId: sessionIdOf(accessToken) },
  };
}

export async function logIn(
  users: TestSubgraph<RunningUsers>,
  email: string,
  password = PASSWORD,
  extras: SignedRequestExtras = {},
): Promise<SignedIn> {
  const result = await users.client.call<{ logIn: { accessToken: string; refreshToken: string } }>(
    null,
    LOG_IN,
    { input: { email, password } },
    extras,
  );
  if (!result.data) throw new Error(`log-in failed: ${JSON.stringify(result.errors)}`);
  const { accessToken, refreshToken } = result.data.logIn;
  return { accessToken, refreshToken, sessionId: sessionIdOf(accessToken) };
}

export const REFRESH = `mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;

/** The code of the first error of a result, or 'OK'. */
export const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) =>
  result.errors?.[0]?.extensions?.code ?? 'OK';

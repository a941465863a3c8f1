import { graphql } from '@radiata/testing';
import type { TestGraph } from './graph.js';

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email name role } }
  }
`;

export const LOG_IN = /* GraphQL */ `
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) { accessToken refreshToken user { id role } }
  }
`;

export interface SignedIn {
  readonly id: string;
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** The password signUp gives every test account. */
export const TEST_PASSWORD = 'correct horse 42';

let counter = 0;
export const uniqueEmail = (prefix = 'shopper') => `${prefix}.${process.pid}.${Date.now()}.${counter++}@example.com`;

/** Signs up through the gateway; with a role, promotes the account in the users database and logs in again. */
export async function signUp(graph: TestGraph, role: 'CUSTOMER' | 'SELLER' | 'ADMIN' = 'CUSTOMER'): Promise<SignedIn> {
  const email = uniqueEmail(role.toLowerCase());
  const password = TEST_PASSWORD;
  const created = await graphql<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    graph.gateway.url,
    SIGN_UP,
    { variables: { input: { email, password, name: `Test ${role}` } } },
  );
  if (!created.data?.signUp) throw new Error(`sign up failed: ${JSON.stringify(created.errors)}`);
  if (role === 'CUSTOMER') return { id: created.data.signUp.user.id, email, ...created.data.signUp };
  await graph.users.sql('UPDATE users SET role = $1 WHERE email = $2', role, email);
  const loggedIn = await graphql<{ logIn: { accessToken: string; refreshToken: string } }>(graph.gateway.url, LOG_IN, {
    variables: { input: { email, password } },
  });
  if (!loggedIn.data?.logIn) throw new Error(`log in failed: ${JSON.stringify(loggedIn.errors)}`);
  return { id: created.data.signUp.user.id, email, ...loggedIn.data.logIn };
}

/** An admin's setUserRole through the gateway (its role change is published to other subgraphs). */
export async function setRole(
  graph: TestGraph,
  admin: SignedIn,
  userId: string,
  role: 'CUSTOMER' | 'SELLER' | 'ADMIN',
) {
  const response = await graphql<{ setUserRole: { role: string } }>(
    graph.gateway.url,
    'mutation($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { role } }',
    { token: admin.accessToken, variables: { userId, role } },
  );
  if (response.data?.setUserRole.role !== role)
    throw new Error(`setUserRole failed: ${JSON.stringify(response.errors)}`);
}

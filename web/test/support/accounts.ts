// Test accounts, made through the gateway as a shopper makes one (signUp), each from an address of
// its own. A SELLER or ADMIN is promoted in the users database, as the operator makes the first
// admin (README), then logs in again: the role travels in the access token.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { usersDatabaseUrl } from './env.js';
import { gql, testAddress } from './gateway.js';

export type Role = 'CUSTOMER' | 'SELLER' | 'ADMIN';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly role: Role;
  readonly accessToken: string;
  /** The address its own calls come from (X-Forwarded-For). */
  readonly clientIp: string;
}

/** The password of every test account (the sign-up policy: 8+ characters, a letter and a digit). */
export const TEST_PASSWORD = 'radiata-web-2026';

/** A fresh address on a domain of the tests' own: `<prefix>-<time>-<random>@web.radiata.dev`. */
export const uniqueEmail = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@web.radiata.dev`;

const SESSION = 'accessToken user { id name role }';

export async function signUp(options: { role?: Role; name?: string } = {}): Promise<Account> {
  const role = options.role ?? 'CUSTOMER';
  const email = uniqueEmail(role.toLowerCase());
  const name = options.name ?? `Web ${role.charAt(0)}${role.slice(1).toLowerCase()}`;
  const clientIp = testAddress();
  const { signUp: created } = await gql<{ signUp: { accessToken: string; user: { id: string } } }>(
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${SESSION} } }`,
    { input: { email, password: TEST_PASSWORD, name, locale: 'EN' } },
    { clientIp },
  );
  const account = { id: created.user.id, email, password: TEST_PASSWORD, name, role, clientIp };
  if (role === 'CUSTOMER') return { ...account, accessToken: created.accessToken };
  await promote(email, role);
  return { ...account, accessToken: await logIn(email, TEST_PASSWORD, clientIp) };
}

/** A new access token for the account (its role as stored now). */
export async function logIn(email: string, password: string, clientIp: string): Promise<string> {
  const { logIn: session } = await gql<{ logIn: { accessToken: string } }>(
    `mutation LogIn($input: LogInInput!) { logIn(input: $input) { ${SESSION} } }`,
    { input: { email, password } },
    { clientIp },
  );
  return session.accessToken;
}

async function promote(email: string, role: Role): Promise<void> {
  const client = new pg.Client({ connectionString: usersDatabaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('UPDATE users SET role = $1 WHERE email = $2', [role, email]);
    if (rowCount !== 1) throw new Error(`no user ${email} in ${usersDatabaseUrl} to make ${role}`);
  } finally {
    await client.end();
  }
}

// The accounts a load run acts as: the operator's ADMIN and a SELLER (the demo accounts of
// `npm run seed` unless LOAD_ADMIN_* / LOAD_SELLER_* name others), and the shoppers, signed up once
// and logged in again on later runs, each from its own client address (as many shoppers are).
import { type GatewayClient, GraphqlRequestError, mapConcurrently } from './gateway-client.js';

export interface SignedIn {
  readonly userId: string;
  readonly accessToken: string;
}

export interface Shopper extends SignedIn {
  readonly clientIp: string;
}

/** The password of every load shopper (accounts named `<group>-<n>@load.radiata.dev`). */
export const SHOPPER_PASSWORD = 'radiata-load-2026';
/** Sign-ups and log-ins at once: each hashes or verifies a password (argon2id) in the users subgraph. */
const ACCOUNT_CONCURRENCY = 8;

const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }`;
const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken user { id } } }`;

type SessionAnswer = { accessToken: string; user: { id: string } };

export async function logIn(
  gateway: GatewayClient,
  email: string,
  password: string,
  clientIp?: string,
): Promise<SignedIn> {
  const { logIn: session } = await gateway.request<{ logIn: SessionAnswer }>(
    'logIn',
    LOG_IN,
    { input: { email, password } },
    clientIp ? { clientIp } : {},
  );
  return { userId: session.user.id, accessToken: session.accessToken };
}

/**
 * A distinct private address per shopper of a group (10.<group>.<n / 256>.<n % 256>): the
 * gateway's and the users subgraph's per-address limits then treat them as the different people
 * they stand for.
 */
export function shopperAddress(group: number, index: number): string {
  return `10.${group}.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/**
 * `count` shoppers of `group` (`rush`, `buyer`…), signed in: signed up the first time, logged in
 * on later runs. `onProgress` is told every 100.
 */
export async function shoppers(
  gateway: GatewayClient,
  group: { readonly name: string; readonly addressByte: number },
  count: number,
  onProgress: (done: number) => void = () => {},
): Promise<Shopper[]> {
  let done = 0;
  return mapConcurrently(
    Array.from({ length: count }, (_, index) => index),
    ACCOUNT_CONCURRENCY,
    async (index) => {
      const email = `${group.name}-${index}@load.radiata.dev`;
      const clientIp = shopperAddress(group.addressByte, index);
      let signedIn: SignedIn;
      try {
        const { signUp } = await gateway.request<{ signUp: SessionAnswer }>(
          'signUp',
          SIGN_UP,
          { input: { email, password: SHOPPER_PASSWORD, name: `Load ${group.name} ${index}` } },
          { clientIp },
        );
        signedIn = { userId: signUp.user.id, accessToken: signUp.accessToken };
      } catch (error) {
        if (!(error instanceof GraphqlRequestError && error.code === 'CONFLICT')) throw error;
        signedIn = await logIn(gateway, email, SHOPPER_PASSWORD, clientIp);
      }
      done += 1;
      if (done % 100 === 0) onProgress(done);
      return { ...signedIn, clientIp };
    },
  );
}

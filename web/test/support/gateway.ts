// The tests' own GraphQL calls to the gateway (set-up: accounts, products, sales, coupons), as a
// client sends them: its access token in Authorization, its address in X-Forwarded-For (the
// gateway trusts it from loopback, as from a load balancer), so that per-address limits count
// each test shopper apart.
import { randomInt } from 'node:crypto';
import { gatewayUrl } from './env.js';

export interface CallOptions {
  readonly token?: string;
  readonly clientIp?: string;
}

export class GraphqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A private address of its own for a test shopper (10.203.x.y), for the per-address limits. */
export const testAddress = (): string => `10.203.${randomInt(0, 250)}.${randomInt(1, 251)}`;

/**
 * The operation's data; a GraphqlError with the first error's code otherwise. SERVICE_UNAVAILABLE
 * (nothing was done: a pool briefly exhausted on a busy machine) is sent again after its wait, as
 * the storefront would.
 */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.clientIp) headers['x-forwarded-for'] = options.clientIp;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let answer: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new GraphqlError(`HTTP_${response.status}`, text.slice(0, 300));
    }
    const error = answer.errors?.[0];
    const code = typeof error?.extensions?.code === 'string' ? error.extensions.code : 'NO_CODE';
    if (code === 'SERVICE_UNAVAILABLE' && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, Number(error?.extensions?.retryAfterSeconds ?? 1) * 1000));
      continue;
    }
    if (error) throw new GraphqlError(code, error.message);
    if (!answer.data) throw new GraphqlError(`HTTP_${response.status}`, 'no data');
    return answer.data;
  }
}

/** Asks `read` every 250 ms until it answers something other than undefined, for at most `timeoutMs`. */
export async function pollFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

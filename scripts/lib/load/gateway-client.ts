// GraphQL over HTTP to the gateway for the load set-up and checks, as a client would send it:
// its address in X-Forwarded-For (the gateway trusts it from loopback, as from a load balancer),
// its access token in Authorization.

export interface RequestOptions {
  readonly token?: string;
  readonly clientIp?: string;
}

export class GraphqlRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
  ) {
    super(`${operation}: ${code}: ${message}`);
  }
}

export class GatewayClient {
  readonly graphqlUrl: string;

  constructor(readonly url: string) {
    this.graphqlUrl = new URL('/graphql', url).toString();
  }

  /** The operation's data; a GraphqlRequestError (with the first error's code) otherwise. */
  async request<T>(
    operation: string,
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.clientIp) headers['x-forwarded-for'] = options.clientIp;
    const send = () =>
      fetch(this.graphqlUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
    // A kept-alive connection the gateway closed while idle fails the next request on it before
    // anything was sent: that one is safe to send again.
    const response = await send().catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
    const text = await response.text();
    let answer: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new GraphqlRequestError(operation, `HTTP_${response.status}`, text.slice(0, 200));
    }
    const error = answer.errors?.[0];
    if (error) throw new GraphqlRequestError(operation, error.extensions?.code ?? 'NO_CODE', error.message);
    if (!answer.data) throw new GraphqlRequestError(operation, `HTTP_${response.status}`, 'no data');
    return answer.data;
  }

  /** Whether the gateway becomes ready within `timeoutMs` (a busy machine answers slowly). */
  async readyWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready())) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return true;
  }

  /** Whether the gateway answers its readiness check (every subgraph reachable). */
  async ready(): Promise<boolean> {
    try {
      const response = await fetch(new URL('/readyz', this.url), { signal: AbortSignal.timeout(3000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}

/** Runs `task` over `items`, at most `concurrency` at a time, keeping the order of the results. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

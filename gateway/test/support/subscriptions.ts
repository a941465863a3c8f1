import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** The gateway's graphql-ws URL (the same path as HTTP). */
export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/**
 * A graphql-ws client on the gateway, as a web app would make one: the access token (if any) in
 * `connection_init`. No retries, so a refused or closed connection surfaces its close code.
 */
export function gatewayClient(gatewayUrl: string, accessToken?: string, options: { lazy?: boolean } = {}): Client {
  return createClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    retryAttempts: 0,
    lazy: options.lazy ?? true,
  });
}

/** One subscription's events as they arrive, with ways to wait for what a test expects. */
export class Feed<T> {
  readonly results: FormattedExecutionResult<T>[] = [];
  errors: readonly GraphQLFormattedError[] | undefined;
  /** The WebSocket close code, when the connection was closed under the subscription. */
  closeCode: number | undefined;
  /** Set when the server completed the subscription or it failed (errors, or a closed connection). */
  ended = false;
  private readonly waiters = new Set<() => void>();
  readonly unsubscribe: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          this.results.push(result as FormattedExecutionResult<T>);
          this.notify();
        },
        error: (error) => {
          if (Array.isArray(error)) this.errors = error as GraphQLFormattedError[];
          else if (typeof (error as { code?: unknown })?.code === 'number')
            this.closeCode = (error as { code: number }).code;
          else this.errors = [{ message: String(error) }];
          this.ended = true;
          this.notify();
        },
        complete: () => {
          this.ended = true;
          this.notify();
        },
      },
    );
  }

  /** Data of the events received so far. */
  get events(): T[] {
    return this.results.flatMap((result) => (result.data ? [result.data as T] : []));
  }

  /** Resolves with the first event (from the start) that satisfies `predicate`; rejects if the feed ends first. */
  async waitFor(predicate: (event: T) => boolean, what = 'the expected event'): Promise<T> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.ended) {
        const why = this.closeCode
          ? `connection closed ${this.closeCode}`
          : JSON.stringify(this.errors ?? this.results);
        throw new Error(`the subscription ended before ${what}: ${why}`);
      }
      await this.change();
    }
  }

  /** Resolves once the feed has ended (completed or failed). */
  async end(): Promise<void> {
    while (!this.ended) await this.change();
  }

  /** Resolves once at least `count` results have arrived. */
  async count(count: number): Promise<void> {
    while (this.results.length < count && !this.ended) await this.change();
    if (this.results.length < count) throw new Error(`the subscription ended after ${this.results.length} results`);
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  private notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve();
  }
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The sum of the samples of `metric` whose labels include `labels`, scraped from a process's
 * Prometheus endpoint (a gateway's or a subgraph's `metricsUrl`); 0 when there is none.
 */
export async function metricValue(
  metricsUrl: string,
  metric: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const exposition = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (sample?.[1] !== metric) continue;
    const present = new Map([...(sample[2] ?? '').matchAll(LABEL)].map(([, name, value]) => [name, value]));
    if (Object.entries(labels).every(([name, value]) => present.get(name) === value)) sum += Number(sample[3]);
  }
  return sum;
}

/** Resolves once `check` holds, polling every 20 ms; only the test's own timeout bounds the wait. */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

// graphql-ws clients through the gateway, as a browser's: the graphql-transport-ws protocol on the
// gateway's /graphql, the client's address in X-Forwarded-For, the access token in connection_init.
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayUrl } from './fixture.js';
import type { GraphqlAnswer } from './graphql.js';

export interface LiveClientOptions {
  readonly clientIp: string;
  readonly accessToken?: string;
}

export function liveClient({ clientIp, accessToken }: LiveClientOptions): Client {
  const url = new URL('/graphql', gatewayUrl());
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  class FromClientAddress extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { 'x-forwarded-for': clientIp } });
    }
  }
  return createClient({
    url: url.toString(),
    webSocketImpl: FromClientAddress,
    connectionParams: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    // A load test counts a lost connection as a failure instead of hiding it behind a retry.
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Subscription {
  /** Settles when the subscription completes, rejects on its error. */
  readonly finished: Promise<void>;
  stop(): void;
}

/** Subscribes; `onEvent` gets each event. GraphQL errors inside an event reject `finished`. */
export function subscribe(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  onEvent: (answer: GraphqlAnswer) => void,
): Subscription {
  let stop = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (answer) => {
          if (answer.errors?.length)
            reject(new Error(`GraphQL errors: ${JSON.stringify(answer.errors).slice(0, 300)}`));
          else onEvent(answer as GraphqlAnswer);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(describe(error))),
        complete: resolve,
      },
    );
  });
  return { finished, stop: () => stop() };
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return `GraphQL errors: ${JSON.stringify(error).slice(0, 300)}`;
  if (error && typeof error === 'object' && 'code' in error) {
    const closed = error as { code: number; reason?: string };
    return `connection closed ${closed.code} ${closed.reason ?? ''}`.trim();
  }
  return String(error);
}

/** The error's name for a counter: a GraphQL code, a close code, or `other`. */
export function errorKind(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? /connection closed (\d+)/.exec(text)?.[1] ?? 'other';
}

// The GraphQL client: urql over HTTP for queries and mutations, graphql-ws for subscriptions, both
// at the gateway. One client per signed-in identity (made again on log-in and log-out, so nothing
// one user saw is served to the next from the cache).
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { session } from '../auth/session';
import { gatewayUrl, gatewayWsUrl } from '../config';

const withAuthorization = (init: RequestInit | undefined, token: string | undefined): RequestInit => {
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
};

/**
 * fetch with the current access token (refreshed first when due). A 401 means the token was refused
 * (expired in between, or its session ended): refresh once and send again; if the session is over,
 * the 401 stands and the app shows the shopper as signed out.
 */
const authorizedFetch: typeof fetch = async (input, init) => {
  const token = await session.accessToken();
  const response = await fetch(input, withAuthorization(init, token));
  if (response.status !== 401 || !token) return response;
  const fresh = await session.rejected(token);
  return fresh ? fetch(input, withAuthorization(init, fresh)) : response;
};

export interface GraphClient {
  readonly urql: Client;
  dispose(): void;
}

export function createGraphClient(): GraphClient {
  let sentToken: string | undefined;
  const ws = createWsClient({
    url: gatewayWsUrl,
    // Called on every (re)connect: the token is checked once, at connection_init.
    connectionParams: async () => {
      sentToken = await session.accessToken();
      return sentToken ? { authorization: `Bearer ${sentToken}` } : {};
    },
    // Keep live feeds alive through gateway restarts and network blips (backoff grows).
    retryAttempts: 30,
    shouldRetry: () => true,
    on: {
      closed: (event) => {
        // 4403: the token was refused; refresh before graphql-ws reconnects (it asks connectionParams again).
        if ((event as CloseEvent | undefined)?.code === 4403 && sentToken) void session.rejected(sentToken);
      },
    },
  });
  // Subscriptions that run as the viewer end when the access token expires: after each silent
  // refresh, reconnect with the new one (graphql-ws subscribes every running operation again).
  const stopListening = session.onRefreshed(() => ws.terminate());

  const urql = new Client({
    url: gatewayUrl,
    // The gateway's CSRF prevention wants POST with a JSON body (or a preflighted header) anyway.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetch: authorizedFetch,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(operation, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return {
    urql,
    dispose() {
      stopListening();
      void ws.dispose();
    },
  };
}

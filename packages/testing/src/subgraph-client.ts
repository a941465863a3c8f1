import type { Viewer } from '@radiata/auth-context';
import { Agent, request } from 'undici';
import { type SignedRequestExtras, signedContextHeaders } from './signed-context.js';

export interface SubgraphResult<T> {
  readonly data?: T | null;
  readonly errors?: { message: string; extensions?: { code?: string; problems?: { field: string }[] } }[];
}

export interface SubgraphClient {
  /**
   * Posts one operation to the subgraph as `viewer`, with the signed context the gateway would add
   * (`extras`: the viewer's session id, the client's address and User-Agent, as the gateway signs them).
   */
  call<T>(
    viewer: Viewer | null,
    query: string,
    variables?: Record<string, unknown>,
    extras?: SignedRequestExtras,
  ): Promise<SubgraphResult<T>>;
  /** The signed context for `viewer` (an HTTP header, or graphql-ws connectionParams). */
  signedContext(viewer: Viewer | null): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** A signed context lives 60 s; a client signs a new one for a viewer after half of that. */
const RESIGN_AFTER_MS = 30_000;

/**
 * Calls a subgraph directly, as the gateway does: a pooled keep-alive connection and one signed
 * context per viewer, reused while it is young (a test can run longer than a context lives).
 */
export function subgraphClient(url: string, contextSecret: string, connections = 128): SubgraphClient {
  const agent = new Agent({ connections, pipelining: 1 });
  const contexts = new Map<string, { readonly headers: Promise<Record<string, string>>; readonly signedAt: number }>();
  const headersFor = (viewer: Viewer | null, extras: SignedRequestExtras) => {
    const key = [
      viewer ? `${viewer.id}:${viewer.role}` : 'anonymous',
      extras.sessionId ?? '',
      extras.clientAddress ?? '',
      extras.userAgent ?? '',
    ].join('|');
    const cached = contexts.get(key);
    if (cached && Date.now() - cached.signedAt < RESIGN_AFTER_MS) return cached.headers;
    const headers = signedContextHeaders(viewer, contextSecret, 'test', extras);
    contexts.set(key, { headers, signedAt: Date.now() });
    return headers;
  };
  return {
    call: async <T>(
      viewer: Viewer | null,
      query: string,
      variables: Record<string, unknown> = {},
      extras: SignedRequestExtras = {},
    ) => {
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', ...(await headersFor(viewer, extras)) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.body.json()) as SubgraphResult<T>;
    },
    signedContext: (viewer) => signedContextHeaders(viewer, contextSecret),
    close: () => agent.close(),
  };
}

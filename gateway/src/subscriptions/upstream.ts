import { setTimeout as sleep } from 'node:timers/promises';
import { GATEWAY_CONTEXT_HEADER, signGatewayContext, type Viewer } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';
import type { FormattedExecutionResult } from 'graphql';
import { type Client, createClient, type Sink } from 'graphql-ws';
import WebSocket from 'ws';
import type { SubscriptionMetrics } from './metrics.js';

/** Who the subgraphs see behind a shared subscription: a viewer, or anonymous. */
export interface SharingScope {
  /** Subscriptions share an upstream (and one execution per event) only within one scope. */
  readonly key: string;
  readonly viewer: Viewer | null;
}

export interface UpstreamRequest {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
}

export interface UpstreamOptions {
  /** Subgraph name → its ws:// URL. */
  readonly urls: ReadonlyMap<string, string>;
  readonly contextSecret: string;
  /** Subscriptions multiplexed on one connection (the subgraph caps what one connection may hold). */
  readonly perConnection: number;
  readonly retryMaxMs: number;
  readonly logger: Logger;
  readonly metrics: SubscriptionMetrics;
}

interface PooledClient {
  readonly client: Client;
  active: number;
}

const FIRST_RETRY_MS = 100;

/**
 * graphql-ws's `dispose()` waits for the connection in progress, and rejects (with a close
 * event, "All Subscriptions Gone") when that was a retry of a subgraph that is down: unhandled,
 * that rejection would end the gateway process.
 */
async function disposeQuietly(client: Client): Promise<void> {
  try {
    await client.dispose();
  } catch {
    // The connection never came back: there is nothing left to close.
  }
}

/**
 * The gateway's graphql-ws connections to the subgraphs, pooled by subgraph and sharing scope:
 * each connection signs its scope's viewer into `connection_init` (a fresh 60-second context
 * on every (re)connect) and carries up to `perConnection` subscriptions. A connection that
 * drops (a subgraph restarting, a network cut) is retried for ever with jittered exponential
 * backoff, and graphql-ws then subscribes its operations again; the subgraphs send the current
 * state first, so clients see it again. A connection with nothing left on it is closed.
 */
export class UpstreamConnections {
  private readonly pools = new Map<string, PooledClient[]>();
  private closed = false;

  constructor(private readonly options: UpstreamOptions) {}

  /** Subscribes `request` on `subgraph` as the scope's viewer; returns the unsubscribe function. */
  subscribe(
    subgraph: string,
    scope: SharingScope,
    request: UpstreamRequest,
    sink: Sink<FormattedExecutionResult>,
  ): () => void {
    if (this.closed) throw new Error('upstream connections are closed');
    const url = this.options.urls.get(subgraph);
    if (!url) throw new Error(`No subscription URL for subgraph ${subgraph}`);
    const poolKey = `${subgraph}\u0000${scope.key}`;
    const pool = this.pools.get(poolKey) ?? [];
    this.pools.set(poolKey, pool);
    let pooled = pool.find((candidate) => candidate.active < this.options.perConnection);
    if (!pooled) {
      pooled = { client: this.connect(subgraph, url, scope), active: 0 };
      pool.push(pooled);
    }
    pooled.active += 1;
    this.options.metrics.upstreamSubscriptions.inc({ subgraph });
    const unsubscribe = pooled.client.subscribe(
      {
        query: request.query,
        variables: request.variables,
        ...(request.operationName ? { operationName: request.operationName } : {}),
      },
      sink,
    );
    const used = pooled;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unsubscribe();
      this.options.metrics.upstreamSubscriptions.dec({ subgraph });
      used.active -= 1;
      if (used.active === 0) {
        pool.splice(pool.indexOf(used), 1);
        if (pool.length === 0) this.pools.delete(poolKey);
        void disposeQuietly(used.client);
      }
    };
  }

  /** Closes every upstream connection (their subscriptions end without events). */
  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.pools.values()].flat();
    this.pools.clear();
    await Promise.all(clients.map(({ client }) => disposeQuietly(client)));
  }

  private connect(subgraph: string, url: string, scope: SharingScope): Client {
    const { contextSecret, retryMaxMs, logger, metrics } = this.options;
    const log = logger.child({ subgraph, scope: scope.viewer ? 'viewer' : 'anonymous' });
    let retrying = false;
    let connected = false;
    return createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      // Every reconnect signs a new context: the subgraph refuses one older than 60 s.
      connectionParams: async () => ({
        [GATEWAY_CONTEXT_HEADER]: await signGatewayContext(
          { viewer: scope.viewer, requestId: `subscriptions:${subgraph}`, clientAddress: null },
          contextSecret,
        ),
      }),
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      // Connection errors (a subgraph down, refusing connections) are retried too, not only closes.
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const ceiling = Math.min(retryMaxMs, FIRST_RETRY_MS * 2 ** retries);
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      },
      on: {
        connected: () => {
          if (retrying) log.info('subscription connection to the subgraph is back');
          retrying = false;
          connected = true;
          metrics.upstreamConnections.inc({ subgraph });
        },
        closed: (event) => {
          if (connected) metrics.upstreamConnections.dec({ subgraph });
          connected = false;
          const { code, reason } = (event ?? {}) as { code?: number; reason?: string };
          if (!retrying && !this.closed && code !== 1000) {
            log.warn({ code, reason }, 'subscription connection to the subgraph lost: reconnecting');
            retrying = true;
          }
        },
      },
    });
  }
}

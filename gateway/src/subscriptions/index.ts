import type { Server } from 'node:http';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@radiata/observability';
import type { ValidationRule } from 'graphql';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { RequestLimit } from '../request-limit.js';
import type { SessionCheck } from '../session-check.js';
import { createSubscriptionMetrics } from './metrics.js';
import { SubscriptionPlanner } from './planner.js';
import { SharedSubscriptions } from './shared-subscriptions.js';
import { startSubscriptionServer } from './subscription-server.js';
import { UpstreamConnections } from './upstream.js';

export interface SubscriptionsOptions {
  readonly config: GatewayConfig;
  readonly supergraphSdl: string;
  readonly httpServer: Server;
  /** Subgraph name → its graphql-ws URL. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly dataSources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>;
  readonly sessions: SessionCheck;
  readonly requestLimit: RequestLimit;
  readonly trustProxy: (address: string, hop: number) => boolean;
  readonly validationRules: readonly ValidationRule[];
  readonly logger: Logger;
  readonly registry: Registry;
}

/**
 * Subscriptions through the gateway: graphql-ws for clients on the gateway's /graphql, planned by
 * the supergraph, shared upstream and fanned out (see ARCHITECTURE.md, "Subscriptions").
 */
export function startSubscriptions(options: SubscriptionsOptions): { stop(): Promise<void> } {
  const { config, logger } = options;
  const metrics = createSubscriptionMetrics(options.registry);
  const planner = new SubscriptionPlanner(options.supergraphSdl);
  const upstream = new UpstreamConnections({
    urls: options.subgraphUrls,
    contextSecret: config.GATEWAY_CONTEXT_SECRET,
    perConnection: config.UPSTREAM_SUBSCRIPTIONS_PER_CONNECTION,
    retryMaxMs: config.UPSTREAM_RETRY_MAX_MS,
    logger,
    metrics,
  });
  const shared = new SharedSubscriptions({ planner, upstream, dataSources: options.dataSources, logger, metrics });
  const server = startSubscriptionServer({
    httpServer: options.httpServer,
    path: '/graphql',
    planner,
    shared,
    jwtSecret: config.JWT_SECRET,
    sessions: options.sessions,
    requestLimit: options.requestLimit,
    trustProxy: options.trustProxy,
    limits: {
      perConnection: config.SUBSCRIPTIONS_PER_CONNECTION,
      connectionsPerAddress: config.SUBSCRIPTION_CONNECTIONS_PER_ADDRESS,
      initTimeoutMs: config.SUBSCRIPTION_INIT_TIMEOUT_MS,
      keepAliveMs: config.SUBSCRIPTION_KEEPALIVE_MS,
      maxBufferedBytes: config.SUBSCRIPTION_MAX_BUFFERED_BYTES,
      maxPayloadBytes: config.SUBSCRIPTION_MAX_PAYLOAD_BYTES,
      maxTokens: config.MAX_QUERY_TOKENS,
      validationRules: options.validationRules,
    },
    logger,
    metrics,
  });
  return {
    stop: async () => {
      await server.close();
      await upstream.close();
    },
  };
}

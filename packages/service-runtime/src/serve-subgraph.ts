import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { GATEWAY_CONTEXT_HEADER, type GatewayContext, verifyGatewayContext } from '@radiata/auth-context';
import type { Logger, Metrics } from '@radiata/observability';
import type { GraphQLSchema } from 'graphql';
import { cacheControlPlugins } from './graphql/cache-control.js';
import { inputSanitationPlugin } from './graphql/input-sanitation.js';
import { DateTime } from './graphql/scalars.js';
import { createHttpApp, type ReadinessCheck } from './http-app.js';
import { listen } from './lifecycle.js';
import { type MetricsServer, serveMetrics } from './metrics-server.js';
import { operationObservabilityPlugin } from './operation-plugin.js';
import type { RequestContext } from './request-context.js';
import { type SubscriptionLimits, type SubscriptionServer, startSubscriptionServer } from './subscriptions.js';
import { formatPublicError } from './transient-failures.js';

export interface ServeOptions<TContext extends RequestContext> {
  readonly name: string;
  /** The executable subgraph schema (see buildFederatedSchema). */
  readonly schema: GraphQLSchema;
  /** Shared with the gateway; verifies the signed request context on every request. */
  readonly contextSecret: string;
  readonly logger: Logger;
  readonly port: number;
  /** Where both ports listen; default 127.0.0.1. */
  readonly host?: string;
  /** Prometheus' port (`/metrics`); default an ephemeral one. The client port never serves metrics. */
  readonly metricsPort?: number;
  readonly introspection?: boolean;
  /** Per-request context (DataLoaders, services) built on the verified request context. */
  readonly createContext: (request: RequestContext) => TContext | Promise<TContext>;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Releases the subgraph's own resources (database pools, connections) after draining. */
  readonly onStop?: () => Promise<void>;
  readonly metrics: Metrics;
  /**
   * Limits of the graphql-ws endpoint, which is served (on the same port and path) whenever
   * the schema has a Subscription type.
   */
  readonly subscriptions?: SubscriptionLimits;
}

export interface ServedSubgraph {
  readonly url: string;
  /** ws:// URL of the graphql-ws endpoint; undefined when the schema has no Subscription type. */
  readonly subscriptionsUrl: string | undefined;
  readonly port: number;
  readonly httpServer: Server;
  /** Where Prometheus scrapes this subgraph (its own port). */
  readonly metricsUrl: string;
  readonly schema: GraphQLSchema;
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

const NOT_FROM_GATEWAY = {
  errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
};

/**
 * Serves one federated subgraph: its schema behind Apollo Server on express, reachable only
 * with a context signed by the gateway, with health, readiness and graceful stop, and metrics
 * on a port of their own.
 * When the schema has a Subscription type, the same port and path also speak graphql-ws
 * (graphql-transport-ws), with the signed context in the connection params (see subscriptions.ts).
 */
export async function serveSubgraph<TContext extends RequestContext>(
  options: ServeOptions<TContext>,
): Promise<ServedSubgraph> {
  const { metrics, schema } = options;
  const { app, finish } = createHttpApp({ readiness: options.readiness });
  // Express hashes every response body (SHA-1) for an ETag; only the gateway reads these answers, never by ETag.
  app.set('etag', false);
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 65_000; // longer than the gateway's idle socket timeout

  const apollo = new ApolloServer<TContext>({
    // Signals are handled once, by stopOnSignals (each main.ts): Apollo's own handler would re-raise
    // SIGTERM after its stop and kill the process before onStop (pools, connections) ran.
    stopOnTerminationSignals: false,
    schema,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    formatError: formatPublicError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces only matter with Apollo Studio usage reporting, which Radiata does not use.
      ApolloServerPluginInlineTraceDisabled(),
      ...cacheControlPlugins(schema),
      operationObservabilityPlugin(metrics, { transientFailures: true }),
      // The gateway applies the same rule first; this holds for whatever reaches a subgraph anyway.
      inputSanitationPlugin({ scalars: [DateTime] }),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    async (req, res, next) => {
      const header = req.headers[GATEWAY_CONTEXT_HEADER];
      const verified = await verifyGatewayContext(
        typeof header === 'string' ? header : undefined,
        options.contextSecret,
      );
      if (!verified) {
        res.status(401).json(NOT_FROM_GATEWAY);
        return;
      }
      res.locals.gatewayContext = verified;
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const { viewer, requestId, clientAddress, sessionId, userAgent } = res.locals.gatewayContext as GatewayContext;
        const logger = options.logger.child({ requestId, userId: viewer?.id });
        return options.createContext({
          viewer,
          requestId,
          clientAddress: clientAddress ?? null,
          sessionId: sessionId ?? null,
          userAgent: userAgent ?? null,
          logger,
        });
      },
    }),
  );
  finish(app);

  const subscriptions: SubscriptionServer | undefined = schema.getSubscriptionType()
    ? startSubscriptionServer({
        httpServer,
        path: '/graphql',
        schema,
        contextSecret: options.contextSecret,
        logger: options.logger,
        metrics,
        createContext: options.createContext,
        ...(options.subscriptions ? { limits: options.subscriptions } : {}),
      })
    : undefined;

  const metricsServer: MetricsServer = await serveMetrics(metrics, {
    port: options.metricsPort ?? 0,
    ...(options.host ? { host: options.host } : {}),
  });
  const { port, url } = await listen(httpServer, options.port, options.host).catch(async (error: unknown) => {
    await metricsServer.close();
    throw error;
  });
  const subscriptionsUrl = subscriptions ? `${url.replace(/^http/, 'ws')}/graphql` : undefined;
  options.logger.info(
    { url: `${url}/graphql`, subscriptionsUrl, metricsUrl: metricsServer.url },
    `${options.name} subgraph ready`,
  );

  let stopped: Promise<void> | undefined;
  return {
    url: `${url}/graphql`,
    subscriptionsUrl,
    port,
    httpServer,
    metricsUrl: metricsServer.url,
    schema,
    metrics,
    stop: () => {
      stopped ??= (async () => {
        // WebSockets first: Apollo's drain ends every socket without an HTTP request in flight,
        // upgraded ones included, and clients would see 1006 instead of 1001 "Going away".
        try {
          await subscriptions?.close();
          await apollo.stop();
          await options.onStop?.();
        } finally {
          await metricsServer.close();
        }
      })();
      return stopped;
    },
  };
}

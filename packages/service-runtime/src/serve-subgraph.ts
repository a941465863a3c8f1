import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { GATEWAY_CONTEXT_HEADER, verifyGatewayContext } from '@radiata/auth-context';
import { maskError } from '@radiata/errors';
import type { Logger, Metrics } from '@radiata/observability';
import type { GraphQLSchema } from 'graphql';
import { createHttpApp, type ReadinessCheck } from './http-app.js';
import { listen } from './lifecycle.js';
import { operationObservabilityPlugin } from './operation-plugin.js';
import type { RequestContext } from './request-context.js';
import { type SubscriptionLimits, type SubscriptionServer, startSubscriptionServer } from './subscriptions.js';

export interface ServeOptions<TContext extends RequestContext> {
  readonly name: string;
  /** The executable subgraph schema (see buildFederatedSchema). */
  readonly schema: GraphQLSchema;
  /** Shared with the gateway; verifies the signed request context on every request. */
  readonly contextSecret: string;
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string;
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
  readonly schema: GraphQLSchema;
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

const NOT_FROM_GATEWAY = {
  errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
};

/**
 * Serves one federated subgraph: its schema behind Apollo Server on express, reachable only
 * with a context signed by the gateway, with health, readiness, metrics and graceful stop.
 * When the schema has a Subscription type, the same port and path also speak graphql-ws
 * (graphql-transport-ws), with the signed context in the connection params (see subscriptions.ts).
 */
export async function serveSubgraph<TContext extends RequestContext>(
  options: ServeOptions<TContext>,
): Promise<ServedSubgraph> {
  const { metrics, schema } = options;
  const { app, finish } = createHttpApp({ metrics, readiness: options.readiness });
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 65_000; // longer than the gateway's idle socket timeout

  const apollo = new ApolloServer<TContext>({
    // Signals are handled once, by stopOnSignals (each main.ts): Apollo's own handler would re-raise
    // SIGTERM after its stop and kill the process before onStop (pools, connections) ran.
    stopOnTerminationSignals: false,
    schema,
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    formatError: maskError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces only matter with Apollo Studio usage reporting, which Radiata does not use.
      ApolloServerPluginInlineTraceDisabled(),
      operationObservabilityPlugin(metrics),
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
        const { viewer, requestId } = res.locals.gatewayContext as {
          viewer: RequestContext['viewer'];
          requestId: string;
        };
        const logger = options.logger.child({ requestId, userId: viewer?.id });
        return options.createContext({ viewer, requestId, logger });
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

  const { port, url } = await listen(httpServer, options.port, options.host);
  const subscriptionsUrl = subscriptions ? `${url.replace(/^http/, 'ws')}/graphql` : undefined;
  options.logger.info({ url: `${url}/graphql`, subscriptionsUrl }, `${options.name} subgraph ready`);

  let stopped: Promise<void> | undefined;
  return {
    url: `${url}/graphql`,
    subscriptionsUrl,
    port,
    httpServer,
    schema,
    metrics,
    stop: () => {
      stopped ??= (async () => {
        // WebSockets first: Apollo's drain ends every socket without an HTTP request in flight,
        // upgraded ones included, and clients would see 1006 instead of 1001 "Going away".
        await subscriptions?.close();
        await apollo.stop();
        await options.onStop?.();
      })();
      return stopped;
    },
  };
}

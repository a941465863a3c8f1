import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import { maskError } from '@radiata/errors';
import { createMetrics, type Logger, REQUEST_ID_HEADER, requestIdFrom } from '@radiata/observability';
import { closeRedis, createRedis, type Redis, redisReadiness } from '@radiata/redis';
import { createHttpApp, listen, operationObservabilityPlugin } from '@radiata/service-runtime';
import cors from 'cors';
import { Histogram } from 'prom-client';
import { Agent } from 'undici';
import { corsOrigins, type GatewayConfig, sandboxEnabled } from './config.js';
import type { GatewayContext } from './context.js';
import { queryLimits } from './limits.js';
import { pooledFetcher, SignedContextDataSource } from './subgraph-data-source.js';
import { viewerFromAuthorization } from './viewer.js';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph name → URL, overriding the routing URLs in the supergraph. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The public entry point: Apollo Server + @apollo/gateway on the static supergraph. Verifies
 * access tokens, signs the request context for subgraphs, limits documents, masks internal
 * errors, and exposes health, readiness and metrics beside /graphql.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions,
): Promise<RunningGateway> {
  const metrics = createMetrics('gateway');
  const fetchDuration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Duration of gateway fetches to subgraphs',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    connections: 256,
    connectTimeout: 2_000,
    headersTimeout: config.SUBGRAPH_TIMEOUT_MS,
    bodyTimeout: config.SUBGRAPH_TIMEOUT_MS,
  });
  const fetcher = pooledFetcher(agent);
  const subgraphUrls = new Map<string, string>();

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}: set SUBGRAPH_${name.toUpperCase()}_URL`);
      subgraphUrls.set(name, target);
      return new SignedContextDataSource(name, target, config.GATEWAY_CONTEXT_SECRET, fetchDuration, fetcher);
    },
    logger,
  });

  // Shared by every gateway replica (and the users subgraph): rate limits and session revocations.
  const redis: Redis = createRedis({ url: config.REDIS_URL, name: 'gateway', logger });

  const readiness = {
    redis: redisReadiness(redis),
    subgraphs: async () => {
      await Promise.all(
        [...subgraphUrls].map(async ([name, url]) => {
          const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1500) });
          if (!response.ok) throw new Error(`${name} is not ready`);
        }),
      );
    },
  };
  const { app, finish } = createHttpApp({ metrics, readiness });
  const httpServer = createServer(app);
  const introspection = sandboxEnabled(config);
  const limits = queryLimits(config, introspection);

  const apollo = new ApolloServer<GatewayContext>({
    // Signals are handled once, by stopOnSignals (main.ts): Apollo's own handler would re-raise
    // SIGTERM after its stop and kill the process before the rest of the shutdown ran.
    stopOnTerminationSignals: false,
    gateway,
    introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    formatError: maskError,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      operationObservabilityPlugin(metrics),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors({ origin: corsOrigins(config), maxAge: 600 }),
    (req, res, next) => {
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.locals.requestId = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        const contextLogger = logger.child({ requestId });
        const viewer = await viewerFromAuthorization(req.headers.authorization, config.JWT_SECRET);
        return { viewer, requestId, logger: viewer ? contextLogger.child({ userId: viewer.id }) : contextLogger };
      },
    }),
  );
  finish(app);

  const { port, url } = await listen(httpServer, config.PORT);
  logger.info({ url: `${url}/graphql`, sandbox: introspection }, 'gateway ready');

  let stopped: Promise<void> | undefined;
  return {
    url: `${url}/graphql`,
    port,
    stop: () => {
      stopped ??= (async () => {
        await apollo.stop();
        await agent.close();
        await closeRedis(redis);
      })();
      return stopped;
    },
  };
}

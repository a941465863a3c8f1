import { createServer, type Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import { contextUserAgent } from '@radiata/auth-context';
import {
  clientRequestIdFrom,
  createMetrics,
  type Logger,
  newRequestId,
  REQUEST_ID_HEADER,
} from '@radiata/observability';
import { closeRedis, createRedis, type Redis, redisReadiness } from '@radiata/redis';
import {
  createHttpApp,
  formatPublicError,
  listen,
  operationObservabilityPlugin,
  serveMetrics,
} from '@radiata/service-runtime';
import cors from 'cors';
import { AggregatorRegistry, Histogram } from 'prom-client';
import { Agent } from 'undici';
import { corsOrigins, type GatewayConfig, sandboxEnabled } from './config.js';
import type { GatewayContext } from './context.js';
import { gatewayInputRules } from './input-rules.js';
import { landingPageSecurityPolicy } from './landing-page.js';
import { queryLimits } from './limits.js';
import { operationResolutionPlugin } from './operation-resolution.js';
import { RequestLimit } from './request-limit.js';
import { SessionCheck, sessionCheckPlugin } from './session-check.js';
import { pooledFetcher, SignedContextDataSource } from './subgraph-data-source.js';
import { startSubscriptions } from './subscriptions/index.js';
import { unresolvedReferencesPlugin } from './unresolved-references.js';
import { viewerFromAuthorization } from './viewer.js';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph name → URL, overriding the routing URLs in the supergraph. */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Where Prometheus scrapes the gateway: a port of its own, never the client-facing one. */
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * The public entry point: Apollo Server + @apollo/gateway on the static supergraph. Verifies
 * access tokens, signs the request context for subgraphs, limits documents, masks internal
 * errors, and exposes health and readiness beside /graphql, metrics on a port of their own.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions,
): Promise<RunningGateway> {
  const gateway = await launchGateway(config, logger, options, false);
  return { ...gateway, metricsUrl: gateway.metricsUrl as string };
}

/**
 * The gateway as a worker of a cluster (GATEWAY_WORKERS > 1, cluster.ts): the same, except that
 * its metrics go to the primary, which serves them summed over the workers on METRICS_PORT.
 */
export function startGatewayWorker(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions,
): Promise<Omit<RunningGateway, 'metricsUrl'>> {
  return launchGateway(config, logger, options, true);
}

async function launchGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions,
  clusterWorker: boolean,
): Promise<Omit<RunningGateway, 'metricsUrl'> & { readonly metricsUrl: string | null }> {
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
  const dataSources = new Map<string, SignedContextDataSource>();

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}: set SUBGRAPH_${name.toUpperCase()}_URL`);
      subgraphUrls.set(name, target);
      const dataSource = new SignedContextDataSource(
        name,
        target,
        config.GATEWAY_CONTEXT_SECRET,
        fetchDuration,
        fetcher,
      );
      dataSources.set(name, dataSource);
      return dataSource;
    },
    logger,
  });

  // Shared by every gateway replica (and the users subgraph): rate limits and session revocations.
  const redis: Redis = createRedis({ url: config.REDIS_URL, name: 'gateway', logger });
  const sessions = new SessionCheck({
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    timeoutMs: config.SESSION_CHECK_TIMEOUT_MS,
    logger,
    registry: metrics.registry,
  });

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
  const requestLimit = new RequestLimit({
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    points: config.REQUEST_RATE_LIMIT,
    windowSeconds: config.REQUEST_RATE_WINDOW_SECONDS,
    logger,
    registry: metrics.registry,
  });
  const { app, finish } = createHttpApp({ readiness, hsts: config.HSTS, trustProxy: config.TRUST_PROXY });
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
    // A subgraph out of reach is retryable (SERVICE_UNAVAILABLE); anything else unexpected is masked.
    formatError: formatPublicError,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      unresolvedReferencesPlugin(),
      operationResolutionPlugin(),
      operationObservabilityPlugin(metrics),
      sessionCheckPlugin(),
      // Refuses malformed input before planning: the supergraph knows DateTime only by name.
      gatewayInputRules(),
    ],
  });
  await apollo.start();

  const subscriptions = startSubscriptions({
    config,
    supergraphSdl: options.supergraphSdl,
    httpServer,
    // Subgraphs serve graphql-ws on the same URL as HTTP.
    subgraphUrls: new Map([...subgraphUrls].map(([name, url]) => [name, url.replace(/^http/, 'ws')])),
    dataSources,
    sessions,
    requestLimit,
    trustProxy: app.get('trust proxy fn'),
    validationRules: limits.validationRules,
    logger,
    registry: metrics.registry,
  });

  app.use(
    '/graphql',
    cors({ origin: corsOrigins(config), maxAge: 600 }),
    ...(introspection ? [landingPageSecurityPolicy] : []),
    (req, res, next) => {
      // Always the gateway's own id; a client's well-formed one is only logged beside it.
      const requestId = newRequestId();
      res.locals.requestId = requestId;
      res.locals.clientRequestId = clientRequestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        const contextLogger = logger.child({ requestId, clientRequestId: res.locals.clientRequestId });
        const { viewer, sessionId, sessionUnchecked } = await viewerFromAuthorization(
          req.headers.authorization,
          config.JWT_SECRET,
          sessions,
        );
        // req.ip: the peer, or what trusted proxies (TRUST_PROXY) say the client is.
        const clientAddress = req.ip ?? null;
        await requestLimit.take(viewer, clientAddress);
        return {
          viewer,
          sessionUnchecked,
          requestId,
          clientAddress,
          sessionId,
          userAgent: contextUserAgent(req.headers['user-agent']),
          logger: viewer ? contextLogger.child({ userId: viewer.id }) : contextLogger,
        };
      },
    }),
  );
  finish(app);

  if (clusterWorker) {
    // Constructing one installs the worker's answer to the primary's metric requests.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
  }
  const metricsServer = clusterWorker
    ? null
    : await serveMetrics(metrics, { port: config.METRICS_PORT, host: config.HOST, hsts: config.HSTS });
  const { port, url } = await listen(httpServer, config.PORT, config.HOST).catch(async (error: unknown) => {
    await metricsServer?.close();
    throw error;
  });
  logger.info(
    { url: `${url}/graphql`, metricsUrl: metricsServer?.url ?? null, sandbox: introspection },
    clusterWorker ? 'gateway worker ready' : 'gateway ready',
  );

  let stopped: Promise<void> | undefined;
  return {
    url: `${url}/graphql`,
    port,
    httpServer,
    metricsUrl: metricsServer?.url ?? null,
    stop: () => {
      stopped ??= (async () => {
        try {
          // Clients get 1001 "Going away" (and reconnect to another replica) before HTTP drains.
          await subscriptions.stop();
          await apollo.stop();
          await agent.close();
          await closeRedis(redis);
        } finally {
          await metricsServer?.close();
        }
      })();
      return stopped;
    },
  };
}

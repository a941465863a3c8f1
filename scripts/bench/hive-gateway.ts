// Hive Gateway (@graphql-hive/gateway-runtime, the engine of @graphql-hive/gateway) on Radiata's
// supergraph, for `npm run bench:gateway` only: served by node:http as Hive's docs show for Node,
// pointed at the subgraphs of SUBGRAPH_<NAME>_URL. Run with plain node (Node strips the types), so
// @radiata/auth-context resolves to its dist/ like the built gateway's.
//
// Our subgraphs refuse a request without the signed context Radiata's gateway adds, so a plugin
// does the same per request with @radiata/auth-context: verifies the Bearer access token
// (JWT_SECRET; 401 when invalid), then signs `x-radiata-context` (viewer, request id, client
// address; GATEWAY_CONTEXT_SECRET) onto every subgraph fetch. It does nothing else Radiata's
// gateway does (no session revocation check, request rate limit, query depth/cost/alias/token
// limits, input rules, metrics or request-id header): the benchmark says so beside the figures.
//
// Hive's HTTP transport shares one subgraph fetch among concurrent identical queries (same URL
// and body: `deduplicateInflightRequests`, on by default). Its key is taken before onFetch adds
// the signed context, so the shared fetch would carry the first request's viewer for all of them:
// unsafe with per-viewer answers, and not what Radiata's gateway does. Off here unless
// HIVE_DEDUPLICATE_INFLIGHT=true (to see what Hive's default gains on identical anonymous pages).
//
// Environment: PORT, SUPERGRAPH_PATH, SUBGRAPH_<NAME>_URL, JWT_SECRET, GATEWAY_CONTEXT_SECRET,
// LOG_LEVEL (warn by default), HIVE_DEDUPLICATE_INFLIGHT (false by default).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import http from '@graphql-mesh/transport-http';
import { GATEWAY_CONTEXT_HEADER, signGatewayContext, type Viewer, verifyAccessToken } from '@radiata/auth-context';
import { GraphQLError } from 'graphql';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`hive-gateway: ${name} is not set`);
  return value;
};
const port = Number(required('PORT'));
const jwtSecret = required('JWT_SECRET');
const contextSecret = required('GATEWAY_CONTEXT_SECRET');
const levels = ['trace', 'debug', 'info', 'warn', 'error'] as const;
const logLevel = levels.find((level) => level === process.env.LOG_LEVEL) ?? 'warn';

/** What the plugin establishes per request, as Radiata's gateway does (gateway/src/viewer.ts). */
interface RadiataRequest {
  readonly viewer: Viewer | null;
  readonly requestId: string;
  readonly clientAddress: string | null;
}

const radiataContext: GatewayPlugin<{ radiata: RadiataRequest }> = {
  async onContextBuilding({ context, extendContext }) {
    const header = context.request.headers.get('authorization');
    let viewer: Viewer | null = null;
    if (header) {
      const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
      const verified = token ? await verifyAccessToken(token, jwtSecret) : undefined;
      if (!verified) {
        throw new GraphQLError('Invalid or expired access token', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      viewer = verified.viewer;
    }
    const request = (context as { req?: IncomingMessage }).req;
    extendContext({
      radiata: { viewer, requestId: randomUUID(), clientAddress: request?.socket.remoteAddress ?? null },
    });
  },
  async onFetch({ context, options, setOptions }) {
    // Fetches outside a request (none with a static supergraph) go out anonymous.
    const radiata = 'radiata' in context ? context.radiata : undefined;
    const signed = await signGatewayContext(
      {
        viewer: radiata?.viewer ?? null,
        requestId: radiata?.requestId ?? 'hive-gateway',
        clientAddress: radiata?.clientAddress ?? null,
      },
      contextSecret,
    );
    setOptions({ ...options, headers: { ...options.headers, [GATEWAY_CONTEXT_HEADER]: signed } });
  },
};

const subgraphUrls = Object.entries(process.env).flatMap(([key, value]) => {
  const name = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key)?.[1];
  return name && value ? [[name.toLowerCase(), value] as const] : [];
});

const gateway = createGatewayRuntime({
  supergraph: required('SUPERGRAPH_PATH'),
  transports: { http },
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: process.env.HIVE_DEDUPLICATE_INFLIGHT === 'true' } },
    ...Object.fromEntries(subgraphUrls.map(([name, location]) => [name, { location }])),
  },
  plugins: () => [radiataContext],
  logging: logLevel,
  landingPage: false,
  graphiql: false,
});
const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => console.log(`hive-gateway ready on http://127.0.0.1:${port}/graphql`));

const stop = () => {
  server.close(() => {
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

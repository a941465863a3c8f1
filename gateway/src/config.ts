import { isIP } from 'node:net';
import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

const trustProxy = z
  .string()
  .trim()
  .refine((value) => value !== 'true', {
    message: 'must not be true: any client could then choose its own address; list the proxies or give a hop count',
  })
  .refine(
    (value) =>
      value === 'none' || /^\d+$/.test(value) || value.split(',').every((entry) => isProxyAddress(entry.trim())),
    {
      message:
        'must be none, a hop count, or addresses, CIDR ranges, loopback, linklocal or uniquelocal (comma-separated)',
    },
  )
  .transform((value): number | string[] | false =>
    value === 'none' ? false : /^\d+$/.test(value) ? Number(value) : value.split(',').map((entry) => entry.trim()),
  );

export const gatewayConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv,
    LOG_LEVEL: env.logLevel,
    /** Interface both ports listen on: loopback by default (HOST=0.0.0.0 in containers). */
    HOST: env.host,
    PORT: env.port(4000),
    /** Prometheus' port (`/metrics`), never served on PORT. */
    METRICS_PORT: env.metricsPort(4000),
    /**
     * Processes serving PORT (a Node cluster: the primary only forks, restarts and aggregates
     * metrics). Up to the host's cores; nothing is shared between them but Redis (rate limits,
     * sessions), as between replicas.
     */
    GATEWAY_WORKERS: env.positiveInt(1),
    /** Strict-Transport-Security on every response: turn on only when clients reach the gateway over TLS. */
    HSTS: env.boolean(false),
    JWT_SECRET: env.secret,
    GATEWAY_CONTEXT_SECRET: env.secret,
    ...env.redis,
    /** The composed supergraph (npm run compose). Defaults to the repository's schema/supergraph.graphql. */
    SUPERGRAPH_PATH: z.string().min(1).optional(),
    /** Apollo Sandbox landing page and introspection. Default: on except in production. */
    SANDBOX: env.optionalBoolean,
    /** Comma-separated origins allowed by CORS (web apps). */
    CORS_ORIGINS: z.string().optional(),
    MAX_QUERY_DEPTH: env.positiveInt(10),
    MAX_QUERY_COST: env.positiveInt(5000),
    MAX_QUERY_ALIASES: env.positiveInt(15),
    MAX_QUERY_TOKENS: env.positiveInt(2000),
    SUBGRAPH_TIMEOUT_MS: env.positiveInt(10_000),
    /** Requests one client (a signed-in user, else an address) may send per REQUEST_RATE_WINDOW_SECONDS. */
    REQUEST_RATE_LIMIT: env.positiveInt(600),
    REQUEST_RATE_WINDOW_SECONDS: env.positiveInt(60),
    /**
     * Which peers may tell the client's address in X-Forwarded-For (the address per-address
     * limits key on): `loopback` (default), a hop count (`1` behind one load balancer),
     * addresses or CIDR ranges (`10.0.0.0/8,fd00::/8`), or `none`. Never every peer.
     */
    TRUST_PROXY: trustProxy.prefault('loopback'),
    /** Longest wait for Redis' answer on whether a token's session was ended; then reads go on, writes are refused. */
    SESSION_CHECK_TIMEOUT_MS: env.positiveInt(1000),
    /** Subscriptions (graphql-ws on PORT's /graphql): operations one client connection may run at once. */
    SUBSCRIPTIONS_PER_CONNECTION: env.positiveInt(20),
    /** WebSocket connections one client address may hold open on this replica; more are answered HTTP 429. */
    SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: env.positiveInt(100),
    /** How long a new WebSocket may take to send `connection_init` before it is closed (4408). */
    SUBSCRIPTION_INIT_TIMEOUT_MS: env.positiveInt(3000),
    /** Interval of the WebSocket pings that find dead peers (a peer that misses one pong is dropped). */
    SUBSCRIPTION_KEEPALIVE_MS: env.positiveInt(12_000),
    /** Bytes a client's WebSocket may hold unsent; past this the client is too slow and dropped (1013). */
    SUBSCRIPTION_MAX_BUFFERED_BYTES: env.positiveInt(1024 * 1024),
    /** Largest WebSocket message accepted from a client, in bytes. */
    SUBSCRIPTION_MAX_PAYLOAD_BYTES: env.positiveInt(64 * 1024),
    /** Subscriptions the gateway multiplexes on one upstream connection to a subgraph (the subgraph allows 20). */
    UPSTREAM_SUBSCRIPTIONS_PER_CONNECTION: env.positiveInt(16),
    /** Longest wait between attempts to reach a subgraph's subscription endpoint again (backoff with jitter). */
    UPSTREAM_RETRY_MAX_MS: env.positiveInt(5000),
  })
  .loose();

/** Express `trust proxy` names of address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (source: Record<string, string | undefined> = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, source);

export const sandboxEnabled = (config: GatewayConfig): boolean => config.SANDBOX ?? config.NODE_ENV !== 'production';

const SANDBOX_ORIGINS = ['https://sandbox.embed.apollographql.com', 'https://studio.apollographql.com'];

/** Explicit origins, plus Apollo Sandbox's own when the landing page is on. */
export function corsOrigins(config: GatewayConfig): string[] {
  const configured = (config.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return sandboxEnabled(config) ? [...configured, ...SANDBOX_ORIGINS] : configured;
}

/** SUBGRAPH_<NAME>_URL overrides the routing URL composed into the supergraph. */
export function subgraphUrlOverrides(source: Record<string, string | undefined>): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match?.[1] && value) overrides[match[1].toLowerCase()] = value;
  }
  return overrides;
}

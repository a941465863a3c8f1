import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

export const gatewayConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv,
    LOG_LEVEL: env.logLevel,
    PORT: env.port(4000),
    JWT_SECRET: env.secret,
    GATEWAY_CONTEXT_SECRET: env.secret,
    ...env.redis,
    /** The composed supergraph (npm run compose). Defaults to the repository's schema/supergraph.graphql. */
    SUPERGRAPH_PATH: z.string().min(1).optional(),
    /** Apollo Sandbox landing page and introspection. Default: on except in production. */
    SANDBOX: env.boolean(false).optional(),
    /** Comma-separated origins allowed by CORS (web apps). */
    CORS_ORIGINS: z.string().optional(),
    MAX_QUERY_DEPTH: env.positiveInt(10),
    MAX_QUERY_COST: env.positiveInt(5000),
    MAX_QUERY_ALIASES: env.positiveInt(15),
    MAX_QUERY_TOKENS: env.positiveInt(2000),
    SUBGRAPH_TIMEOUT_MS: env.positiveInt(10_000),
  })
  .loose();

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

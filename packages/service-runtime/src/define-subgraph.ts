import { loadConfig } from '@radiata/config';
import { createLogger, createMetrics, type Logger, type Metrics } from '@radiata/observability';
import type { BrokerNames } from '@radiata/rabbitmq';
import type { z } from 'zod';
import { type Clock, systemClock } from './clock.js';
import { buildFederatedSchema, type FederatedSchema, type SchemaClasses } from './graphql/federation.js';
import type { ReadinessCheck } from './http-app.js';
import type { RequestContext } from './request-context.js';
import { type ServedSubgraph, serveSubgraph } from './serve-subgraph.js';
import type { SubscriptionLimits } from './subscriptions.js';

/** The environment every subgraph reads (see `env.subgraph` in @radiata/config). */
export interface SubgraphBaseConfig {
  readonly NODE_ENV: 'development' | 'test' | 'production';
  readonly LOG_LEVEL: string;
  /** The interface both ports listen on (127.0.0.1 unless deployed: HOST=0.0.0.0 in containers). */
  readonly HOST: string;
  /** Clients' port: GraphQL, graphql-ws, health and readiness. */
  readonly PORT: number;
  /** Prometheus' port (`/metrics`), which clients never reach. */
  readonly METRICS_PORT: number;
  readonly GATEWAY_CONTEXT_SECRET: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** What a resource has once started: its value, how /readyz checks it, and how it stops. */
export interface Started<T> {
  readonly value: T;
  /** Named readiness checks (e.g. `{ postgres: … }`); names are unique within a subgraph. */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Releases it; called once, after the HTTP server has drained, in reverse order of start. */
  readonly stop?: () => Promise<void> | void;
  /** Exchanges and queues it named on RabbitMQ (test runs delete them afterwards). */
  readonly brokerNames?: () => BrokerNames;
}

/** Something a subgraph runs on: a connection, a pool, a worker. Started by `kit.use`. */
export type Resource<T, TConfig = unknown> = (kit: SubgraphKit<TConfig>) => Promise<Started<T>> | Started<T>;

/** What a subgraph's domain services are built with (`create<Name>Services(resources, kit)`). */
export interface ServicesKit<TConfig> {
  readonly name: string;
  readonly config: TConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
}

/** A ServicesKit for tools that build a subgraph's services outside its process (seed, CLIs, benchmarks). */
export const servicesKit = <TConfig>(
  name: string,
  config: TConfig,
  options: { readonly logger?: Logger; readonly clock?: Clock } = {},
): ServicesKit<TConfig> => ({
  name,
  config,
  logger: options.logger ?? createLogger(name),
  metrics: createMetrics(name),
  clock: options.clock ?? systemClock,
});

/** What a subgraph's `start` is given: its configuration, its instruments and `use`. */
export interface SubgraphKit<TConfig> extends ServicesKit<TConfig> {
  /** Called for every SQL statement of the subgraph's database (tests count them). */
  readonly onQuery: ((sql: string) => void) | undefined;
  /**
   * Starts `resource` and owns it from then on: its readiness joins /readyz, and it is stopped
   * when the subgraph stops (or when a later step of start-up fails), in reverse order.
   */
  use<T>(resource: Resource<T, TConfig>): Promise<T>;
}

/** What `start` hands back: the per-request context, and anything tests and tools may reach. */
export interface SubgraphParts {
  /** Per-request context (services, fresh DataLoaders) on the request the gateway signed. */
  createContext(request: RequestContext): RequestContext | Promise<RequestContext>;
}

export interface SubgraphDefinition<TConfig extends SubgraphBaseConfig, TParts extends SubgraphParts> {
  /** The name rover.yaml composes it under; also its metrics' `service` label and its logger's. */
  readonly name: string;
  /** Its environment, validated at start-up (every problem reported at once). */
  readonly config: z.ZodType<TConfig>;
  /** Its schema: type-graphql resolver classes, and types no operation reaches. */
  readonly schema: SchemaClasses;
  readonly subscriptions?: SubscriptionLimits;
  /**
   * Declares what the subgraph runs on, in start order (`kit.use(postgres(...))`, …), builds its
   * domain services on them, and returns the per-request context.
   */
  start(kit: SubgraphKit<TConfig>): Promise<TParts>;
}

export interface StartOptions<TConfig> {
  /** Validated configuration; default: `loadConfig(env)`. */
  readonly config?: TConfig;
  /** Environment to validate when `config` is not given; default `process.env`. */
  readonly env?: Environment;
  /** Default: JSON logs on stdout at the configured level. */
  readonly logger?: Logger;
  /** Default: the system clock (tests move a TestClock). */
  readonly clock?: Clock;
  readonly onQuery?: (sql: string) => void;
}

/** A started subgraph: the served schema, and what its `start` returned (services, workers…). */
export type RunningSubgraph<TParts extends SubgraphParts = SubgraphParts> = ServedSubgraph &
  Omit<TParts, 'createContext'> & {
    readonly config: SubgraphBaseConfig;
    readonly logger: Logger;
    /** Every exchange and queue the subgraph's resources named on RabbitMQ. */
    brokerNames(): BrokerNames;
  };

export interface Subgraph<TConfig extends SubgraphBaseConfig, TParts extends SubgraphParts> {
  readonly name: string;
  /** Validates an environment (default `process.env`) against the subgraph's configuration. */
  loadConfig(env?: Environment): TConfig;
  /** The federated schema and its SDL (built once per process). */
  schema(): Promise<FederatedSchema>;
  /** Builds the schema, starts every resource in order, then serves; stops what started if any step fails. */
  start(options?: StartOptions<TConfig>): Promise<RunningSubgraph<TParts>>;
}

type Owned = Pick<Started<unknown>, 'stop' | 'brokerNames'>;

/** Stops owned resources newest first; every one is attempted, the first failure is rethrown. */
async function stopAll(owned: readonly Owned[], logger: Logger): Promise<void> {
  let failure: unknown;
  for (const resource of [...owned].reverse()) {
    try {
      await resource.stop?.();
    } catch (error) {
      logger.error({ err: error }, 'stopping a resource failed');
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * One subgraph as a declaration: its name, configuration, schema classes and the resources it
 * runs on. The runtime owns the rest, the same way for every subgraph: schema building, start
 * order, readiness, serving (HTTP and graphql-ws), and stopping in reverse order.
 */
export function defineSubgraph<TConfig extends SubgraphBaseConfig, TParts extends SubgraphParts>(
  definition: SubgraphDefinition<TConfig, TParts>,
): Subgraph<TConfig, TParts> {
  let schema: Promise<FederatedSchema> | undefined;
  const loadSubgraphConfig = (env: Environment = process.env) => loadConfig(definition.name, definition.config, env);
  const buildSchema = () => {
    schema ??= buildFederatedSchema(definition.schema);
    return schema;
  };

  return {
    name: definition.name,
    loadConfig: loadSubgraphConfig,
    schema: buildSchema,
    async start(options = {}) {
      const config = options.config ?? loadSubgraphConfig(options.env);
      const logger = options.logger ?? createLogger(definition.name, config.LOG_LEVEL);
      const metrics = createMetrics(definition.name);
      const { schema: executable } = await buildSchema();

      const owned: Owned[] = [];
      const readiness: Record<string, ReadinessCheck> = {};
      const kit: SubgraphKit<TConfig> = {
        name: definition.name,
        config,
        logger,
        metrics,
        clock: options.clock ?? systemClock,
        onQuery: options.onQuery,
        async use(resource) {
          const started = await resource(kit);
          owned.push(started);
          for (const [check, probe] of Object.entries(started.readiness ?? {})) {
            if (check in readiness) throw new Error(`${definition.name}: two resources report readiness as "${check}"`);
            readiness[check] = probe;
          }
          return started.value;
        },
      };

      let served: ServedSubgraph;
      let parts: TParts;
      try {
        parts = await definition.start(kit);
        served = await serveSubgraph({
          name: definition.name,
          schema: executable,
          contextSecret: config.GATEWAY_CONTEXT_SECRET,
          logger,
          host: config.HOST,
          port: config.PORT,
          metricsPort: config.METRICS_PORT,
          introspection: config.NODE_ENV !== 'production',
          metrics,
          createContext: (request) => parts.createContext(request),
          readiness,
          onStop: () => stopAll(owned, logger),
          ...(definition.subscriptions ? { subscriptions: definition.subscriptions } : {}),
        });
      } catch (error) {
        await stopAll(owned, logger).catch(() => {});
        throw error;
      }
      const { createContext: _createContext, ...exposed } = parts;
      const brokerNames = (): BrokerNames => {
        const named = owned.flatMap((resource) => (resource.brokerNames ? [resource.brokerNames()] : []));
        return {
          exchanges: [...new Set(named.flatMap((names) => names.exchanges))],
          queues: [...new Set(named.flatMap((names) => names.queues))],
        };
      };
      return { ...exposed, ...served, config, logger, brokerNames };
    },
  };
}

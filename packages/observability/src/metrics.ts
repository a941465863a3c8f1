import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /**
   * GraphQL operations served by this process, by operation (type and first root field, e.g.
   * `query.products`: values the schema bounds, never the client's operation name) and outcome.
   */
  readonly operationDuration: Histogram<'operation' | 'outcome'>;
  /** GraphQL errors returned to callers, by extensions.code. */
  readonly errors: Counter<'code'>;
}

/**
 * One registry per process (not the global one, so tests can run several services in one
 * process), with the Node defaults and the GraphQL metrics every service exposes.
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Duration of GraphQL operations, by operation type and first root field (e.g. query.products) and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors returned, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

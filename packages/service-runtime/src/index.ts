export { type Clock, systemClock } from './clock.js';
export {
  type Connection,
  decodeCursor,
  encodeCursor,
  type IdWindow,
  MAX_PAGE_SIZE,
  newestFirst,
  type PageRequest,
  pageSize,
  toConnection,
} from './connection.js';
export {
  defineSubgraph,
  type Environment,
  type Resource,
  type RunningSubgraph,
  type ServicesKit,
  type Started,
  type StartOptions,
  type Subgraph,
  type SubgraphBaseConfig,
  type SubgraphDefinition,
  type SubgraphKit,
  type SubgraphParts,
  servicesKit,
} from './define-subgraph.js';
export {
  type EventStreamOptions,
  type EventStreamOverflow,
  EventStreamOverflowError,
  eventStream,
} from './event-stream.js';
export { graphqlEnum } from './graphql/enums.js';
export {
  buildFederatedSchema,
  type FederatedSchema,
  ResolveReference,
  type SchemaClasses,
} from './graphql/federation.js';
export {
  type InputSanitationOptions,
  inputProblems,
  inputProblemsError,
  inputSanitationPlugin,
  textProblem,
} from './graphql/input-sanitation.js';
export { AFTER, type ConnectionTypeOptions, connectionType, FIRST, PageArgs, PageInfo } from './graphql/pagination.js';
export { DATE_TIME_RANGE, DateTime, SafeInt } from './graphql/scalars.js';
export { createHttpApp, type HttpAppOptions, type ReadinessCheck } from './http-app.js';
export { isId, newId } from './ids.js';
export { type Listening, listen, stopOnSignals } from './lifecycle.js';
export { type MetricsServer, type MetricsServerOptions, type MetricsSource, serveMetrics } from './metrics-server.js';
export { operationLabel } from './operation-label.js';
export { operationObservabilityPlugin } from './operation-plugin.js';
export { createPrismaClient, type DatabaseOptions, isUniqueViolation } from './prisma.js';
export {
  type FanoutListener,
  type ListenOptions,
  RedisFanout,
  type RedisFanoutOptions,
  type Unlisten,
} from './redis-fanout.js';
export { type RequestContext, requireRole, requireViewer } from './request-context.js';
export {
  type BackgroundWorker,
  eventPublishing,
  type PostgresOptions,
  periodic,
  postgres,
  redis,
  redisFanout,
  worker,
} from './resources.js';
export { runSubgraph } from './run-subgraph.js';
export type { SubscriptionLimits } from './subscriptions.js';
export { closeClientSockets } from './subscriptions.js';
export { formatPublicError, TRANSIENT_RETRY_AFTER_SECONDS, transientFailure } from './transient-failures.js';
export { validateInput } from './validate-input.js';

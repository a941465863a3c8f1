export { type Clock, systemClock } from './clock.js';
export { type Connection, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize, toConnection } from './connection.js';
export {
  type EventStreamOptions,
  type EventStreamOverflow,
  EventStreamOverflowError,
  eventStream,
} from './event-stream.js';
export { createHttpApp, type HttpAppOptions, type ReadinessCheck } from './http-app.js';
export { isId, newId } from './ids.js';
export { type Listening, listen, stopOnSignals } from './lifecycle.js';
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
export { type RunningSubgraph, type SubgraphOptions, startSubgraph } from './subgraph.js';
export type { SubscriptionLimits } from './subscriptions.js';
export { loadTypeDefs } from './type-defs.js';
export { validateInput } from './validate-input.js';

export {
  deleteBrokerNames,
  deleteRabbitQueue,
  deleteRedisKeys,
  type QueuedMessage,
  queuedMessages,
} from './cleanup.js';
export { TestClock } from './clock.js';
export { createTestDatabase, migrateTestDatabase, type TestDatabase } from './database.js';
export { eventually } from './eventually.js';
export { type GraphQLRequestOptions, type GraphQLResponse, graphql } from './graphql-client.js';
export { capturingLogger, testLogger } from './logger.js';
export { type CaughtMail, type MailDev, type MailDevOptions, startMailDev } from './maildev.js';
export { metricLabelValues } from './metrics.js';
export { type HeardMessage, type OverhearingConnection, overhear } from './overhear.js';
export { type PrivateBroker, startPrivateBroker } from './private-broker.js';
export { seededRandom } from './random.js';
export { type TestSecrets, testSecrets } from './secrets.js';
export { type SignedRequestExtras, signedContextHeaders } from './signed-context.js';
export { testSqlPool } from './sql-pool.js';
export {
  graphRoot,
  type StartableSubgraph,
  startTestSubgraph,
  type TestableRunning,
  type TestNamespace,
  type TestSubgraph,
  type TestSubgraphOptions,
  testNamespace,
} from './subgraph.js';
export { type SubgraphClient, type SubgraphResult, subgraphClient } from './subgraph-client.js';
export { type SubgraphProcess, spawnSubgraphProcess } from './subgraph-process.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export { deleteRabbitQueue, deleteRedisKeys } from './cleanup.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export { type GraphQLRequestOptions, type GraphQLResponse, graphql } from './graphql-client.js';
export { capturingLogger, testLogger } from './logger.js';
export { type TestSecrets, testSecrets } from './secrets.js';
export { signedContextHeaders } from './signed-context.js';
export { type SubgraphClient, type SubgraphResult, subgraphClient } from './subgraph-client.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * @radiata/saga: the participant side of the order saga's messages (docs/ARCHITECTURE.md,
 * "Order saga"). Orders sends each step as a command on `radiata.orders`
 * (`orders.saga.<participant>.<action>`); a participant applies it with its idempotent domain
 * service and answers through its own outbox (`<participant>.saga.<result>` on `radiata.<participant>`).
 *
 * - Names: `SAGA_COMMAND_EXCHANGE`, `commandRoutingKey`, `replyRoutingKey`, `participantExchange`,
 *   `commandQueueOf`.
 * - Envelopes: `SagaCommand` / `SagaReply`, read with `sagaCommandSchema` / `sagaReplySchema`.
 * - Participate: `startSagaParticipant` on the service's RabbitMQ connection (a `startEventConsumer`
 *   of @radiata/inbox), with `sagaReplyCommitter` committing the inbox row and the reply together.
 *   The subgraph needs the outbox and inbox migrations.
 *
 * ```ts
 * await startSagaParticipant({
 *   rabbit, logger, registry: metrics.registry, participant: 'catalog',
 *   actions: {
 *     reserve: {
 *       data: z.object({ items: z.array(item).min(1) }),
 *       result: 'reserved',
 *       handle: async ({ orderId, data }) => {
 *         const reserved = await stock.reserve(orderId, data.items);
 *         return reserved.ok ? { outcome: 'DONE', data: { items: … } } : { outcome: 'REFUSED', reason: reserved.reason };
 *       },
 *     },
 *     release: { data: z.object({}), result: 'released', handle: async ({ orderId }) => … },
 *   },
 *   ...sagaInboxOn(db), // commit + alreadyCommitted on the Prisma client
 * });
 * ```
 */
export {
  SAGA_OUTCOMES,
  type SagaCommand,
  type SagaOutcomeName,
  type SagaReply,
  sagaCommandSchema,
  sagaReplySchema,
} from './envelope.js';
export {
  commandQueueOf,
  commandRoutingKey,
  participantExchange,
  replyRoutingKey,
  SAGA_COMMAND_EXCHANGE,
} from './names.js';
export {
  InvalidSagaCommand,
  type SagaAction,
  type SagaOutcome,
  type SagaParticipantOptions,
  startSagaParticipant,
} from './participant.js';
export {
  type InTransaction,
  inboxLookup,
  type SagaCommit,
  type SagaReplyCommit,
  type SagaReplyMessage,
  type SqlClient,
  sagaInboxOn,
  sagaReplyCommitter,
  type TransactionalSqlClient,
} from './reply-commit.js';

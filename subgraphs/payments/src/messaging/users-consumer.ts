import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { WalletClosures } from '../domain/wallet-closures.js';

/** The users subgraph's exchange and the event payments takes from it (its messaging/users-events.ts). */
export const USERS_EXCHANGE = 'radiata.users';
export const USER_DELETED = 'users.user.deleted';

/** Payments' durable queue of users' account deletions. */
export const USERS_QUEUE = 'payments.users';

const schemas = {
  [USER_DELETED]: z.object({
    userId: z.string().refine(isId, 'must be a UUID'),
    deletedAt: z.iso.datetime({ offset: true }).transform((at) => new Date(at)),
  }),
};

/**
 * Closes the wallets of deleted accounts (WalletClosures) from the durable quorum queue USERS_QUEUE
 * (@radiata/inbox): each deletion once, by message id. A malformed event is dead-lettered at once;
 * anything else is retried.
 */
export async function startUsersConsumer(options: {
  rabbit: Rabbit;
  closures: WalletClosures;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'users-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: USERS_QUEUE,
    bindings: [{ exchange: USERS_EXCHANGE, routingKeys: [USER_DELETED] }],
    logger: options.logger,
    registry: options.registry,
    handle: async (event) => {
      const { userId, deletedAt } = readEvent(schemas, event.routingKey, event.payload);
      const outcome = await options.closures.close(USERS_QUEUE, event.messageId, userId, deletedAt);
      log.debug({ messageId: event.messageId, userId, outcome }, 'account deleted');
    },
  });
}

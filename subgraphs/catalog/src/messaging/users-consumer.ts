import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { RoleChange, Sellers } from '../domain/sellers.js';

/** The users subgraph's exchange and event (its messaging/users-events.ts). */
export const USERS_EXCHANGE = 'radiata.users';
export const ROLE_CHANGED = 'users.user.role-changed';

/** The catalog's durable queue of users' role changes. */
export const USER_ROLES_QUEUE = 'catalog.user-roles';

const schemas = {
  [ROLE_CHANGED]: z.object({
    userId: z.string().refine(isId),
    role: z.enum(['CUSTOMER', 'SELLER', 'ADMIN']),
    roleVersion: z.number().int().min(0),
    deleted: z.boolean().default(false),
  }),
};

/** Reads a role change; MalformedEvent (@radiata/inbox) for another routing key or a malformed payload. */
export const parseRoleChanged = (routingKey: string, payload: unknown): RoleChange =>
  readEvent(schemas, routingKey, payload);

/**
 * Feeds the catalog's copy of users' roles (Sellers) from the users subgraph's events, on the
 * durable quorum queue USER_ROLES_QUEUE (@radiata/inbox): deduplicated by message id, newest
 * version kept; an unreadable event is dead-lettered at once, other failures retried.
 */
export async function startUsersConsumer(options: {
  rabbit: Rabbit;
  sellers: Sellers;
  logger: Logger;
  /** The service's metrics registry (the dead-letter gauge). */
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'users-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: USER_ROLES_QUEUE,
    bindings: [{ exchange: USERS_EXCHANGE, routingKeys: [ROLE_CHANGED] }],
    logger: options.logger,
    registry: options.registry,
    handle: async (event) => {
      const change = parseRoleChanged(event.routingKey, event.payload);
      const outcome = await options.sellers.apply(USER_ROLES_QUEUE, event.messageId, change);
      log.debug({ messageId: event.messageId, userId: change.userId, outcome }, 'role change');
    },
  });
}

import { type EventConsumerOptions, readEvent, startEventConsumer } from '@radiata/inbox';
import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';
import type { AddressEvent, AddressProjection } from '../domain/address-projection.js';

/** The users subgraph's exchange and the events orders takes from it (its messaging/address-events.ts, users-events.ts). */
export const USERS_EXCHANGE = 'radiata.users';
export const ADDRESS_SAVED = 'users.address.saved';
export const ADDRESS_REMOVED = 'users.address.removed';
export const ROLE_CHANGED = 'users.user.role-changed';

/** Orders' durable queue of users' address books (and account deletions, which erase them). */
export const USER_ADDRESSES_QUEUE = 'orders.user-addresses';

const id = z.string().refine(isId, 'must be a UUID');
const version = z.number().int().positive();
/** What users stores (its CHECKs): anything else is not an address users published. */
const text = (max: number) => z.string().min(1).max(max);

const schemas = {
  [ADDRESS_SAVED]: z
    .object({
      addressId: id,
      userId: id,
      label: text(20).nullable(),
      recipient: text(50),
      phone: z.string().regex(/^01[016789]-\d{3,4}-\d{4}$/),
      zipCode: z.string().regex(/^\d{5}$/),
      roadAddress: text(200),
      detailAddress: z.string().max(200),
      version,
    })
    .transform((address) => ({ kind: 'saved' as const, ...address })),
  [ADDRESS_REMOVED]: z
    .object({ addressId: id, userId: id, version })
    .transform((address) => ({ kind: 'removed' as const, ...address })),
  [ROLE_CHANGED]: z
    .object({ userId: id, deleted: z.boolean().default(false) })
    .transform(({ userId, deleted }) => (deleted ? { kind: 'user-deleted' as const, userId } : null)),
};

/**
 * Reads one users event: an address change, an account deletion, or null for a role change that
 * deletes nothing (orders has no use for roles). MalformedEvent (@radiata/inbox) for another
 * routing key or a malformed payload.
 */
export const parseUsersEvent = (routingKey: string, payload: unknown): AddressEvent | null =>
  readEvent(schemas, routingKey, payload);

/**
 * Feeds orders' projection of users' addresses (AddressProjection) from the durable quorum queue
 * USER_ADDRESSES_QUEUE (@radiata/inbox): each event once, the newest version of each address kept;
 * an account deletion erases the user's addresses. A malformed event is dead-lettered at once;
 * anything else is retried.
 */
export async function startUsersConsumer(options: {
  rabbit: Rabbit;
  addresses: AddressProjection;
  logger: Logger;
  registry?: EventConsumerOptions['registry'];
}): Promise<void> {
  const log = options.logger.child({ component: 'users-consumer' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: USER_ADDRESSES_QUEUE,
    bindings: [{ exchange: USERS_EXCHANGE, routingKeys: [ADDRESS_SAVED, ADDRESS_REMOVED, ROLE_CHANGED] }],
    logger: options.logger,
    registry: options.registry,
    handle: async (event) => {
      const change = parseUsersEvent(event.routingKey, event.payload);
      if (!change) return;
      const outcome = await options.addresses.apply(USER_ADDRESSES_QUEUE, event.messageId, change);
      log.debug({ messageId: event.messageId, routingKey: event.routingKey, outcome }, 'users event');
    },
  });
}

import type { Channel, ConsumeMessage } from '@radiata/rabbitmq';

/** The queue a consumer queue's dead letters go to (plain name, like the consumer queue's). */
export const deadLetterQueueOf = (queue: string): string => `${queue}.dead-letter`;

/**
 * Declares a dead-letter queue (broker name) and resolves with how many messages it holds. The
 * consumer's topology and the depth gauge both use it: an idempotent declaration with the same
 * arguments never fails, where a passive one (checkQueue) on a queue someone deleted would close
 * the channel, and with it the connection's topology.
 */
export const declareDeadLetterQueue = (channel: Channel, name: string): Promise<{ messageCount: number }> =>
  channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } });

/**
 * Headers a replay (`replayDeadLetters`) adds. A replayed message goes straight to the consumer's
 * queue through the default exchange, so its own routing key is the queue's name: the consumer
 * reads the event's routing key from REPLAY_HEADERS.routingKey instead.
 */
export const REPLAY_HEADERS = {
  /** The producer's exchange (broker name) the event was first published to. */
  exchange: 'radiata-original-exchange',
  /** The routing key the event was first published with. */
  routingKey: 'radiata-original-routing-key',
  /** When it was first dead-lettered (ISO 8601): the broker's death headers are not carried over. */
  firstDeathAt: 'radiata-first-death-at',
  /** How many times it has been replayed. */
  replays: 'radiata-replays',
} as const;

/**
 * The event's routing key: the original one for a replayed message. Only a message sent straight
 * to the queue (the default exchange, which only an operator's replay uses) may claim one.
 */
export function eventRoutingKeyOf(message: Pick<ConsumeMessage, 'fields' | 'properties'>): string {
  const original: unknown = message.properties.headers?.[REPLAY_HEADERS.routingKey];
  return message.fields.exchange === '' && typeof original === 'string' ? original : message.fields.routingKey;
}

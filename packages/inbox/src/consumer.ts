import type { Logger } from '@radiata/observability';
import { backoff, declareTopicExchange, type RetryOptions } from '@radiata/outbox';
import { type ConsumeMessage, type Rabbit, RejectMessage } from '@radiata/rabbitmq';
import type { Registry } from 'prom-client';
import { registerDeadLetterGauge } from './dead-letter-gauge.js';
import { deadLetterQueueOf, declareDeadLetterQueue, eventRoutingKeyOf } from './dead-letter-queue.js';
import { MalformedEvent } from './read-event.js';

/** One domain event as a consumer sees it. */
export interface InboxEvent {
  /** The AMQP messageId: the producer's outbox row id, the same on every redelivery. */
  readonly messageId: string;
  /** The routing key the producer published it with (also when an operator replayed it). */
  readonly routingKey: string;
  /** The decoded JSON body; the consumer validates it (`readEvent`). */
  readonly payload: unknown;
}

export interface EventBinding {
  /** The producer's topic exchange (plain name; the connection's namespace applies). */
  readonly exchange: string;
  /** Routing keys or patterns (`catalog.product.#`) the queue receives. */
  readonly routingKeys: readonly string[];
}

export interface EventConsumerOptions {
  readonly rabbit: Rabbit;
  /**
   * The consumer's durable quorum queue (plain name; the connection's namespace applies), which
   * is also its name in the inbox. Messages that fail for good go to `<queue>.dead-letter`.
   */
  readonly queue: string;
  readonly bindings: readonly EventBinding[];
  readonly logger: Logger;
  /**
   * Applies one event, idempotently: in one transaction, `receiveOnce(…, queue, event.messageId)`
   * and the effect (a duplicate skips the effect). Resolve when committed; throw to retry, or
   * throw MalformedEvent (`readEvent` does) for an event no retry can apply.
   */
  readonly handle: (event: InboxEvent) => Promise<void>;
  /**
   * Other errors no retry can fix (the event can never be applied): dead-lettered at once, like
   * MalformedEvent.
   */
  readonly isPermanent?: (error: unknown) => boolean;
  /** Deliveries of one message before it is dead-lettered (the queue's x-delivery-limit). Default 20. */
  readonly deliveryLimit?: number;
  /**
   * Wait before a failed message goes back to the queue, by how often it was delivered: with the
   * defaults (1 s doubling to 30 s, 20 deliveries) an outage of about 8 minutes dead-letters nothing.
   */
  readonly retry?: RetryOptions;
  /** The service's metrics registry: `radiata_dead_letters{queue}` reports the dead-letter queue's depth. */
  readonly registry?: Registry;
}

/** An event without an id or with an unreadable body: retrying cannot help. */
class UnreadableMessage extends Error {
  override readonly name = 'UnreadableMessage';
}

function decode(message: ConsumeMessage): InboxEvent {
  const messageId: unknown = message.properties.messageId;
  if (typeof messageId !== 'string' || messageId === '') {
    throw new UnreadableMessage('no messageId: the event cannot be deduplicated');
  }
  try {
    const payload: unknown = JSON.parse(message.content.toString('utf8'));
    return { messageId, routingKey: eventRoutingKeyOf(message), payload };
  } catch (error) {
    throw new UnreadableMessage(`body is not JSON: ${(error as Error).message}`);
  }
}

/** Quorum queues count every delivery of a message in this header (absent on the first). */
const deliveriesOf = (message: ConsumeMessage): number => {
  const count: unknown = message.properties.headers?.['x-delivery-count'];
  return (typeof count === 'number' ? count : 0) + 1;
};

/**
 * Consumes domain events from a durable quorum queue bound to producers' exchanges, with bounded
 * retries and a dead-letter queue (declared here, now and after every reconnection):
 * - an event that cannot be read (no messageId, not JSON), that `handle` finds malformed
 *   (MalformedEvent) or whose failure `isPermanent` says no retry fixes goes to
 *   `<queue>.dead-letter` at once, logged with the reason;
 * - any other failure (the database is down) waits a growing delay, then goes back to the queue;
 *   after `deliveryLimit` deliveries the broker dead-letters it.
 * An operator sees dead letters (the `radiata_dead_letters` gauge with `registry`,
 * `listDeadLetters`) and moves them back with `replayDeadLetters` once the cause is fixed; the
 * inbox makes a replay of already-applied events harmless.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<void> {
  const { rabbit, queue } = options;
  const log = options.logger.child({ component: 'event-consumer', queue });
  const deliveryLimit = options.deliveryLimit ?? 20;
  const delay = backoff({ initialDelayMs: 1_000, maxDelayMs: 30_000, ...options.retry });
  const isPermanent = options.isPermanent ?? (() => false);

  for (const binding of options.bindings) await declareTopicExchange(rabbit, binding.exchange);
  await rabbit.onConnected(async (channel) => {
    const queueName = rabbit.name(queue, 'queue');
    const deadLetters = rabbit.name(deadLetterQueueOf(queue), 'queue');
    await declareDeadLetterQueue(channel, deadLetters);
    await channel.assertQueue(queueName, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': deliveryLimit,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': deadLetters,
        // At-least-once dead-lettering: a dead letter is kept until the dead-letter queue has it.
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    for (const binding of options.bindings) {
      const exchange = rabbit.name(binding.exchange, 'exchange');
      for (const routingKey of binding.routingKeys) await channel.bindQueue(queueName, exchange, routingKey);
    }
  });

  await rabbit.consume(
    queue,
    async (message) => {
      const routingKey = eventRoutingKeyOf(message);
      let event: InboxEvent;
      try {
        event = decode(message);
      } catch (error) {
        log.error({ err: error, routingKey }, 'dead-lettered an unreadable event');
        throw new RejectMessage((error as Error).message, { cause: error });
      }
      try {
        await options.handle(event);
      } catch (error) {
        const context = { err: error, messageId: event.messageId, routingKey };
        if (error instanceof UnreadableMessage || error instanceof MalformedEvent || isPermanent(error)) {
          log.error(context, 'dead-lettered an event that cannot be applied');
          throw new RejectMessage((error as Error).message, { cause: error });
        }
        const deliveries = deliveriesOf(message);
        if (deliveries > deliveryLimit) {
          log.error({ ...context, deliveries }, 'event failed on its last delivery: the broker dead-letters it');
          throw error;
        }
        const retryInMs = delay(deliveries);
        log.warn({ ...context, deliveries, retryInMs }, 'event failed; it goes back to the queue');
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
        throw error;
      }
    },
    { requeueOnError: true },
  );
  if (options.registry) await registerDeadLetterGauge(options.registry, rabbit, [queue]);
}

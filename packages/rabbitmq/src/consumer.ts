import type { Logger } from '@radiata/observability';
import type { Channel, ConsumeMessage } from 'amqplib';
import { RejectMessage } from './errors.js';

/** Resolve to ack the message; throw to nack it (a RejectMessage is never requeued). */
export type MessageHandler = (message: ConsumeMessage) => Promise<void>;

export interface ConsumeOptions {
  /** Unacknowledged messages this consumer holds at once. Default: the connection's `prefetch`. */
  readonly prefetch?: number;
  /**
   * On a handler error, put the message back on the queue (true) or reject it to the queue's
   * dead-letter exchange, if any (false, the default: a poison message must not loop forever;
   * quorum queues can bound redeliveries with `x-delivery-limit` instead).
   */
  readonly requeueOnError?: boolean;
}

export interface ConsumerSpec {
  readonly queue: string;
  readonly handler: MessageHandler;
  readonly options: ConsumeOptions;
}

/**
 * Starts one consumer with manual acks on `channel`. `track` receives every handler run (so
 * close can let them finish); `onCancelled` hears when the broker cancels the consumer
 * (queue deleted).
 */
export async function startConsumer(
  channel: Channel,
  spec: ConsumerSpec,
  prefetch: number,
  log: Logger,
  track: (work: Promise<void>) => void,
  onCancelled: () => void,
): Promise<string> {
  const { queue, handler, options } = spec;
  await channel.prefetch(options.prefetch ?? prefetch);

  const settle = (message: ConsumeMessage, outcome: 'ack' | 'nack' | 'reject') => {
    try {
      if (outcome === 'ack') channel.ack(message);
      else channel.nack(message, false, outcome === 'nack' && (options.requeueOnError ?? false));
    } catch (error) {
      // The channel closed while the handler ran; the broker redelivers the message.
      log.warn({ err: error, queue, messageId: message.properties.messageId }, `rabbitmq could not ${outcome}`);
    }
  };

  const { consumerTag } = await channel.consume(
    queue,
    (message) => {
      if (message === null) {
        onCancelled();
        return;
      }
      track(
        Promise.resolve(message)
          .then(handler)
          .then(
            () => settle(message, 'ack'),
            (error: unknown) => {
              if (error instanceof RejectMessage) {
                settle(message, 'reject');
                return;
              }
              log.error(
                { err: error, queue, messageId: message.properties.messageId },
                'rabbitmq message handler failed',
              );
              settle(message, 'nack');
            },
          ),
      );
    },
    { noAck: false },
  );
  return consumerTag;
}

import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * What `overhear` needs of @radiata/rabbitmq's `Rabbit` (structurally: that package's tests use
 * this one, so it cannot depend on it).
 */
export interface OverhearingConnection {
  name(plain: string, kind: 'exchange' | 'queue'): string;
  onConnected(setup: (channel: Channel) => Promise<void>): Promise<void>;
  consume(queue: string, handler: (message: ConsumeMessage) => Promise<void>): Promise<void>;
}

/** A message as the broker carried it. */
export interface HeardMessage {
  readonly routingKey: string;
  readonly messageId: string | undefined;
  /** AMQP's correlationId (saga messages: their order). */
  readonly correlationId: string | undefined;
  readonly payload: Record<string, unknown>;
}

/**
 * Records every message published on `exchange` whose routing key matches `pattern` (a topic
 * pattern, e.g. `catalog.saga.*`), through `rabbit` (a test connection in the run's namespace): an
 * exclusive, auto-deleted queue of its own bound to the exchange. The array fills as they arrive.
 */
export async function overhear(
  rabbit: OverhearingConnection,
  exchange: string,
  pattern: string,
): Promise<HeardMessage[]> {
  const heard: HeardMessage[] = [];
  const queue = `test-overhear-${randomUUID()}`;
  await rabbit.onConnected(async (channel) => {
    const named = rabbit.name(exchange, 'exchange');
    await channel.assertExchange(named, 'topic', { durable: true });
    await channel.assertQueue(rabbit.name(queue, 'queue'), { exclusive: true, autoDelete: true });
    await channel.bindQueue(rabbit.name(queue, 'queue'), named, pattern);
  });
  await rabbit.consume(queue, async (message) => {
    heard.push({
      routingKey: message.fields.routingKey,
      messageId: message.properties.messageId as string | undefined,
      correlationId: message.properties.correlationId as string | undefined,
      payload: JSON.parse(message.content.toString('utf8')) as Record<string, unknown>,
    });
  });
  return heard;
}

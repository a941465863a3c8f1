import { type Channel, connect } from 'amqplib';
import { Redis } from 'ioredis';

/** Deletes every Redis key under `prefix` (a test run's namespace). */
export async function deleteRedisKeys(
  prefix: string,
  url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Deletes a (durable) queue a test run declared. */
export async function deleteRabbitQueue(
  queue: string,
  url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/**
 * Deletes the queues, then the exchanges, a test run declared (those already gone are skipped).
 * A busy broker may fail a quorum queue's deletion with a connection error (541 INTERNAL_ERROR):
 * then it reconnects and carries on from that name, a few times before giving up.
 */
export async function deleteBrokerNames(
  names: { readonly exchanges: readonly string[]; readonly queues: readonly string[] },
  url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
): Promise<void> {
  const steps = [
    ...names.queues.map((queue) => (channel: Channel) => channel.deleteQueue(queue)),
    ...names.exchanges.map((exchange) => (channel: Channel) => channel.deleteExchange(exchange)),
  ];
  let done = 0;
  for (let attempt = 1; done < steps.length; attempt += 1) {
    const connection = await connect(url);
    connection.on('error', () => {});
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      // Deleting what does not exist is not an error (RabbitMQ 3.x answers delete-ok).
      for (; done < steps.length; done += 1) await steps[done]?.(channel);
      await channel.close();
      await connection.close();
    } catch (error) {
      await connection.close().catch(() => {});
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export interface QueuedMessage {
  readonly messageId: string | undefined;
  /** The routing key it was published with (for a dead letter, the one before it was dead-lettered). */
  readonly routingKey: string;
  /** Why it was dead-lettered (`rejected`, `delivery_limit`…), if it was. */
  readonly deathReason: string | undefined;
  readonly body: string;
}

/** The messages waiting in a queue, read from the broker and left there (e.g. a dead-letter queue). */
export async function queuedMessages(
  queue: string,
  url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
): Promise<QueuedMessage[]> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    const messages: QueuedMessage[] = [];
    for (let index = 0; index < messageCount; index++) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      const deaths = message.properties.headers?.['x-death'] as
        | { readonly reason?: string; readonly 'routing-keys'?: string[] }[]
        | undefined;
      messages.push({
        messageId: message.properties.messageId as string | undefined,
        routingKey: deaths?.[0]?.['routing-keys']?.[0] ?? message.fields.routingKey,
        deathReason: deaths?.[0]?.reason,
        body: message.content.toString('utf8'),
      });
    }
    await channel.close(); // unacknowledged: they go back to the queue
    return messages;
  } finally {
    await connection.close();
  }
}

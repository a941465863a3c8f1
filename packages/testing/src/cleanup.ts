import { connect } from 'amqplib';
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

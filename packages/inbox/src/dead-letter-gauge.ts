import type { Channel, Rabbit } from '@radiata/rabbitmq';
import { Gauge, type Registry } from 'prom-client';
import { deadLetterQueueOf, declareDeadLetterQueue } from './dead-letter-queue.js';

export const DEAD_LETTER_GAUGE = 'radiata_dead_letters';

/** A scrape does not wait longer than this for the broker (a connection that died silently). */
const CHECK_TIMEOUT_MS = 2_000;

type DepthOf = (queue: string) => Promise<number>;

/** The queues each of our gauges watches, so that consumers of one process share one gauge. */
const watchedBy = new WeakMap<object, Map<string, DepthOf>>();
/** One channel per connection reads the depths (a setup channel, re-opened on every reconnection). */
const readers = new WeakMap<Rabbit, Promise<DepthOf>>();

function depthReader(rabbit: Rabbit): Promise<DepthOf> {
  let reader = readers.get(rabbit);
  if (!reader) {
    let current: Channel | undefined;
    reader = rabbit
      .onConnected(async (channel) => {
        current = channel;
      })
      .then(() => async (queue: string) => {
        if (!current) throw new Error('RabbitMQ is not connected');
        const name = rabbit.name(deadLetterQueueOf(queue), 'queue');
        return (await declareDeadLetterQueue(current, name)).messageCount;
      });
    reader.catch(() => readers.delete(rabbit));
    readers.set(rabbit, reader);
  }
  return reader;
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `radiata_dead_letters{queue}`: messages waiting in each consumer queue's dead-letter queue
 * (`queue` is the consumer queue's plain name), read from the broker at each scrape. Anything
 * above zero needs an operator (`npm run dlq:list`). While the broker does not answer, a queue
 * keeps its last value (none before the first answer) rather than failing the scrape. Consumers
 * registering on the same registry share the gauge.
 */
export async function registerDeadLetterGauge(
  registry: Registry,
  rabbit: Rabbit,
  queues: readonly string[],
): Promise<void> {
  const depthOf = await depthReader(rabbit);
  const existing = registry.getSingleMetric(DEAD_LETTER_GAUGE);
  let watched = existing && watchedBy.get(existing);
  if (existing && !watched) throw new Error(`${DEAD_LETTER_GAUGE} is already registered by something else`);
  if (!watched) {
    const queuesWatched = new Map<string, DepthOf>();
    const gauge = new Gauge({
      name: DEAD_LETTER_GAUGE,
      help: 'Messages in the dead-letter queue of each event consumer queue, waiting for an operator',
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        await Promise.all(
          [...queuesWatched].map(async ([queue, depth]) => {
            const count = await within(CHECK_TIMEOUT_MS, depth(queue)).catch(() => undefined);
            if (count !== undefined) this.set({ queue }, count);
          }),
        );
      },
    });
    watchedBy.set(gauge, queuesWatched);
    watched = queuesWatched;
  }
  for (const queue of queues) watched.set(queue, depthOf);
}

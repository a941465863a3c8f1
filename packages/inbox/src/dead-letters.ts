import { type ChannelModel, type ConfirmChannel, connect, type GetMessage, type Options } from 'amqplib';
import { deadLetterQueueOf, REPLAY_HEADERS } from './dead-letter-queue.js';

/**
 * The broker an operator works on: each call opens a connection of its own and closes it, so a
 * service's long-lived connection (`Rabbit`, which re-runs whatever it is given after every
 * reconnection) is not the tool for it.
 */
export interface BrokerTarget {
  readonly url: string;
  /** The deployment's RABBITMQ_NAMESPACE (prefix of every queue and exchange name). Default none. */
  readonly namespace?: string;
}

/** One message of a dead-letter queue, as an operator needs to see it. */
export interface DeadLetter {
  /** The producer's outbox row id; undefined on a message that had none (refused as unreadable). */
  readonly messageId: string | undefined;
  /** The exchange (broker name) and routing key the event was published with. */
  readonly exchange: string;
  readonly routingKey: string;
  /**
   * Why the broker dead-lettered it last: `rejected` (refused at once: unreadable or refused for
   * good; the consumer's log, by messageId, says why) or `delivery_limit` (failed on every delivery).
   */
  readonly reason: string | undefined;
  /** Times it was dead-lettered since it was published or last replayed. */
  readonly deaths: number;
  /** Times an operator already replayed it. */
  readonly replays: number;
  readonly firstDeathAt: Date | undefined;
  /** The body as UTF-8, cut after `bodyChars` characters (a trailing `…` marks the cut). */
  readonly body: string;
  readonly bodyBytes: number;
}

export interface DeadLetterListing {
  /** Messages in the dead-letter queue. */
  readonly depth: number;
  /** The first `limit` of them, oldest first. */
  readonly deadLetters: DeadLetter[];
}

export interface ReplayResult {
  /** Dead letters sent back to the consumer's queue (and removed from the dead-letter queue). */
  readonly replayed: number;
  /** With `all`: dead letters without a messageId, left where they are (the consumer can only refuse them). */
  readonly skipped: number;
  /** Requested ids no dead letter carries. */
  readonly notFound: string[];
}

const CONNECT_TIMEOUT_MS = 5_000;

/** The broker's own headers on a dead letter: the replayed message is a new delivery without them. */
const BROKER_HEADER = /^x-(death|first-death-.*|last-death-.*|delivery-count|acquired-count)$/;

interface Death {
  readonly count?: unknown;
  readonly reason?: unknown;
  readonly time?: unknown;
  readonly exchange?: unknown;
  readonly 'routing-keys'?: unknown;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** amqplib reads an AMQP timestamp (seconds) as `{ '!': 'timestamp', value }`. */
function timeOf(death: Death): Date | undefined {
  const raw = death.time as { value?: unknown } | number | undefined;
  const seconds = typeof raw === 'number' ? raw : raw?.value;
  return typeof seconds === 'number' ? new Date(seconds * 1000) : undefined;
}

/** Reads a dead letter's headers: `x-death` (most recent death first) and those of earlier replays. */
function describeDeadLetter(
  message: Pick<GetMessage, 'content' | 'fields' | 'properties'>,
  bodyChars = 300,
): DeadLetter {
  const headers = message.properties.headers ?? {};
  const deaths: Death[] = Array.isArray(headers['x-death']) ? headers['x-death'] : [];
  const first = deaths.at(-1);
  const firstRoutingKeys = first?.['routing-keys'];
  const times = deaths.map(timeOf).filter((time) => time !== undefined);
  const replayedFirstDeath = asString(headers[REPLAY_HEADERS.firstDeathAt]);
  const replays: unknown = headers[REPLAY_HEADERS.replays];
  const text = message.content.toString('utf8');
  return {
    messageId: asString(message.properties.messageId) || undefined,
    exchange: asString(headers[REPLAY_HEADERS.exchange]) ?? asString(first?.exchange) ?? message.fields.exchange,
    routingKey:
      asString(headers[REPLAY_HEADERS.routingKey]) ??
      (Array.isArray(firstRoutingKeys) ? asString(firstRoutingKeys[0]) : undefined) ??
      message.fields.routingKey,
    reason: asString(deaths[0]?.reason),
    deaths: deaths.reduce((sum, death) => sum + (typeof death.count === 'number' ? death.count : 1), 0),
    replays: typeof replays === 'number' ? replays : 0,
    firstDeathAt: replayedFirstDeath
      ? new Date(replayedFirstDeath)
      : times.length > 0
        ? new Date(Math.min(...times.map((time) => time.getTime())))
        : undefined,
    body: text.length > bodyChars ? `${text.slice(0, bodyChars)}…` : text,
    bodyBytes: message.content.length,
  };
}

/** What the replayed message carries: the dead letter's properties and headers, less the broker's. */
function replayOptions(message: GetMessage, deadLetter: DeadLetter): Options.Publish {
  const { properties } = message;
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties.headers ?? {})) {
    if (!BROKER_HEADER.test(name)) headers[name] = value;
  }
  headers[REPLAY_HEADERS.exchange] = deadLetter.exchange;
  headers[REPLAY_HEADERS.routingKey] = deadLetter.routingKey;
  if (deadLetter.firstDeathAt) headers[REPLAY_HEADERS.firstDeathAt] = deadLetter.firstDeathAt.toISOString();
  headers[REPLAY_HEADERS.replays] = deadLetter.replays + 1;
  // Not userId (the broker checks it against the publishing user), nor expiration or replyTo.
  const kept = {
    contentType: properties.contentType,
    contentEncoding: properties.contentEncoding,
    correlationId: properties.correlationId,
    messageId: properties.messageId,
    timestamp: properties.timestamp,
    type: properties.type,
    appId: properties.appId,
  };
  return {
    ...Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined)),
    headers,
    persistent: true,
    mandatory: true,
  };
}

const isNotFound = (error: unknown) => (error as { code?: unknown }).code === 404;

interface Broker {
  /** A confirm channel, closed (before the connection) when the work is done. */
  channel(): Promise<ConfirmChannel>;
}

async function withBroker<T>(target: BrokerTarget, work: (broker: Broker) => Promise<T>): Promise<T> {
  const connection: ChannelModel = await connect(target.url, {
    clientProperties: { connection_name: 'radiata dead letters' },
    timeout: CONNECT_TIMEOUT_MS,
  });
  // The broker closing a channel (a queue not found) also emits 'error': the awaited call fails with it.
  connection.on('error', () => {});
  const channels: ConfirmChannel[] = [];
  try {
    return await work({
      channel: async () => {
        const channel = await connection.createConfirmChannel();
        channel.on('error', () => {});
        channels.push(channel);
        return channel;
      },
    });
  } finally {
    // Channels first: their unacknowledged dead letters go back to the queue in order, and their
    // last acks reach the broker before the connection closes.
    for (const channel of channels) await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

class QueueNotFound extends Error {
  override readonly name = 'QueueNotFound';
}

/** A queue's depth; a clear error when it does not exist (the broker then closes the channel). */
async function depthOf(channel: ConfirmChannel, name: string, what: string): Promise<number> {
  try {
    return (await channel.checkQueue(name)).messageCount;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new QueueNotFound(`no queue ${name}: ${what}`, { cause: error });
  }
}

const brokerName = (target: BrokerTarget, plain: string) => `${target.namespace ?? ''}${plain}`;

const notConsumerQueue = (queue: string) =>
  `is "${queue}" an event consumer's queue, started at least once with this RABBITMQ_NAMESPACE?`;

/**
 * How many dead letters each consumer queue has; undefined for a queue whose dead-letter queue
 * does not exist (its consumer never ran against this broker and namespace).
 */
export function countDeadLetters(
  target: BrokerTarget,
  queues: readonly string[],
): Promise<{ queue: string; depth: number | undefined }[]> {
  return withBroker(target, async (broker) => {
    const depths: { queue: string; depth: number | undefined }[] = [];
    for (const queue of queues) {
      // A channel per queue: the broker closes the channel that asked for a queue it lacks.
      const channel = await broker.channel();
      try {
        depths.push({
          queue,
          depth: await depthOf(channel, brokerName(target, deadLetterQueueOf(queue)), notConsumerQueue(queue)),
        });
      } catch (error) {
        if (!(error instanceof QueueNotFound)) throw error;
        depths.push({ queue, depth: undefined });
      }
    }
    return depths;
  });
}

/**
 * Reads the first `limit` messages of the consumer queue's dead-letter queue without removing
 * them. Every message is fetched unacknowledged, then all are handed back with one requeueing
 * nack: a quorum queue puts returned messages behind those nobody fetched, so handing back only
 * the first `limit` would reorder the queue. (A requeueing nack, unlike a closed channel, does not
 * count as a failed delivery on RabbitMQ 4.3+.)
 */
export function listDeadLetters(
  target: BrokerTarget,
  queue: string,
  options: { readonly limit?: number; readonly bodyChars?: number } = {},
): Promise<DeadLetterListing> {
  const limit = options.limit ?? 100;
  return withBroker(target, async (broker) => {
    const channel = await broker.channel();
    const name = brokerName(target, deadLetterQueueOf(queue));
    const depth = await depthOf(channel, name, notConsumerQueue(queue));
    const deadLetters: DeadLetter[] = [];
    let fetched = 0;
    for (; fetched < depth; fetched++) {
      const message = await channel.get(name, { noAck: false });
      if (message === false) break;
      if (deadLetters.length < limit) deadLetters.push(describeDeadLetter(message, options.bodyChars));
    }
    if (fetched > 0) channel.nackAll(true);
    return { depth, deadLetters };
  });
}

/**
 * Moves dead letters back to the consumer's own queue (the default exchange, routing key the
 * queue's name, so no other consumer receives them again): those carrying one of `messageIds`,
 * or with `all` every one that has a messageId. Each keeps its messageId, properties and headers
 * (less the broker's death headers; the original exchange and routing key, the first death and a
 * replay count are added: REPLAY_HEADERS), and is removed from the dead-letter queue only once
 * the broker has confirmed its copy in the consumer's queue: a failure midway loses nothing, and
 * may at worst deliver a message twice, which the consumer's inbox absorbs. Messages that reach
 * the dead-letter queue during the replay wait for the next one.
 */
export async function replayDeadLetters(
  target: BrokerTarget,
  queue: string,
  selection: { readonly messageIds: readonly string[] } | { readonly all: true },
): Promise<ReplayResult> {
  const wanted = 'messageIds' in selection ? new Set(selection.messageIds) : undefined;
  if (wanted?.size === 0) throw new TypeError('replayDeadLetters: no messageIds given');
  return withBroker(target, async (broker) => {
    const channel = await broker.channel();
    const name = brokerName(target, deadLetterQueueOf(queue));
    const destination = brokerName(target, queue);
    const depth = await depthOf(channel, name, notConsumerQueue(queue));
    await depthOf(channel, destination, notConsumerQueue(queue));
    const returned = new Set<unknown>();
    channel.on('return', (message: GetMessage) => returned.add(message.properties.messageId));
    const found = new Set<string>();
    let replayed = 0;
    let skipped = 0;
    let kept = 0;
    for (let index = 0; index < depth; index++) {
      const message = await channel.get(name, { noAck: false });
      if (message === false) break;
      const deadLetter = describeDeadLetter(message);
      const { messageId } = deadLetter;
      if (messageId === undefined && !wanted) skipped += 1;
      if (messageId === undefined || (wanted && !wanted.has(messageId))) {
        kept += 1;
        continue;
      }
      await new Promise<void>((resolve, reject) =>
        channel.publish('', destination, message.content, replayOptions(message, deadLetter), (error: unknown) =>
          error
            ? reject(error instanceof Error ? error : new Error(`broker refused the copy of ${messageId}`))
            : resolve(),
        ),
      );
      // A mandatory message the broker could not route is returned before it is confirmed.
      if (returned.has(messageId)) throw new Error(`queue ${destination} did not take the copy of ${messageId}`);
      channel.ack(message);
      found.add(messageId);
      replayed += 1;
    }
    if (kept > 0) channel.nackAll(true);
    return { replayed, skipped, notFound: wanted ? [...wanted].filter((id) => !found.has(id)) : [] };
  });
}

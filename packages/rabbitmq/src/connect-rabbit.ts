import type { Logger } from '@radiata/observability';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { type ConsumeOptions, type ConsumerSpec, type MessageHandler, startConsumer } from './consumer.js';
import { PublishError } from './errors.js';
import { ConfirmPublisher, type PublishOptions } from './publisher.js';

export interface RabbitOptions {
  /** amqp:// or amqps:// URL. */
  readonly url: string;
  /** Shown as the connection name in the broker's management UI and `rabbitmqctl`. */
  readonly name: string;
  readonly logger: Logger;
  /** Heartbeat period; a dead peer is noticed after about two. Default 10 s. */
  readonly heartbeatSeconds?: number;
  /**
   * Prefix of every exchange and queue name used through this connection (`rabbit.name`,
   * `publish`, `consume`): deployments or test runs sharing a broker stay apart. Default none.
   */
  readonly namespace?: string;
  /** Default consumer prefetch. Default 20. */
  readonly prefetch?: number;
  /** How long `publish` waits for the broker's confirm. Default 10 s. */
  readonly publishTimeoutMs?: number;
  readonly reconnect?: {
    /** First delay of the exponential backoff (jittered). Default 200 ms. */
    readonly initialDelayMs?: number;
    /** Cap of the backoff. Default 10 s. */
    readonly maxDelayMs?: number;
    /**
     * Retries before the first connection gives up, so a wrong URL fails start-up instead of
     * retrying in silence. Once connected the manager retries forever. Default 6 (about 10 s).
     */
    readonly initialRetries?: number;
  };
}

/** Exchanges and queues named through a connection (what a test run deletes afterwards). */
export interface BrokerNames {
  readonly exchanges: readonly string[];
  readonly queues: readonly string[];
}

/** Declares topology (or anything else) on a channel that lives as long as the connection. */
export type TopologySetup = (channel: Channel) => Promise<void>;

export interface Rabbit {
  /**
   * The broker name of an exchange or queue: its name in this connection's namespace. Topology
   * setups declare and bind through it; `publish` and `consume` apply it themselves.
   */
  name(plain: string, kind: 'exchange' | 'queue'): string;
  /** Every exchange and queue named through this connection so far. */
  named(): BrokerNames;
  /**
   * Runs `setup` now (when connected) and after every reconnection, in registration order and
   * before consumers start. Rejects, and forgets the setup, when its first run fails.
   */
  onConnected(setup: TopologySetup): Promise<void>;
  /**
   * Consumes `queue` with manual acks on a channel of its own, re-established after every
   * reconnection. Rejects, and forgets the consumer, when it cannot start now (e.g. no queue).
   */
  consume(queue: string, handler: MessageHandler, options?: ConsumeOptions): Promise<void>;
  /**
   * Publishes a persistent message and resolves once the broker confirms it. Objects are sent
   * as JSON. Rejects with a PublishError, without waiting for a reconnection, when the
   * connection is down, the broker nacks, the channel fails, or no confirm arrives in time.
   * With `mandatory: true` an unroutable message is rejected too.
   */
  publish(exchange: string, routingKey: string, content: Buffer | object, options: PublishOptions): Promise<void>;
  /** For /readyz: resolves while connected with every setup and consumer in place. */
  readonly readiness: () => Promise<void>;
  /** Cancels consumers, lets running handlers finish (bounded), closes, stops reconnecting. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5_000;
const DRAIN_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 2_000;

const within = (ms: number, work: Promise<unknown>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });

/** One live connection with everything registered set up on it. */
interface Session {
  readonly model: ChannelModel;
  readonly publisher: ConfirmPublisher;
  /** Setup and consumer channels, closed one by one on close (see there). */
  readonly channels: Channel[];
  readonly consumers: { readonly channel: Channel; readonly consumerTag: string }[];
}

/**
 * Connects to RabbitMQ and keeps the connection: amqplib's recovery reconnects with jittered
 * exponential backoff whenever the connection drops (not after `close`), and every
 * reconnection re-runs the registered setups and consumers before the manager is ready again.
 */
export async function connectRabbit(options: RabbitOptions): Promise<Rabbit> {
  const log = options.logger.child({ component: 'rabbitmq', connection: options.name });
  const prefetch = options.prefetch ?? 20;
  const setups: TopologySetup[] = [];
  const consumers: ConsumerSpec[] = [];
  const running = new Set<Promise<void>>();
  let session: Session | undefined;
  let closing = false;
  const namespace = options.namespace ?? '';
  const names = { exchange: new Set<string>(), queue: new Set<string>() };
  const name = (plain: string, kind: 'exchange' | 'queue') => {
    const full = `${namespace}${plain}`;
    names[kind].add(full);
    return full;
  };

  const track = (work: Promise<void>) => {
    running.add(work);
    const done = () => running.delete(work);
    work.then(done, done);
  };

  /** Drop and re-establish the connection, when a channel it depends on is gone. */
  const recycle = (model: ChannelModel, why: string) =>
    // Deferred: when the whole connection is dropping, its channels close first and the
    // connection's own 'close' (which ends the session) follows in the same turn.
    setImmediate(() => {
      if (closing || session?.model !== model) return;
      log.error({ why }, 'rabbitmq reconnecting to restore topology and consumers');
      session = undefined;
      model.close().catch(() => undefined);
    });

  /** A channel that, once set up, takes the connection down with it if it closes unexpectedly. */
  const guardedChannel = async (on: Session, role: string) => {
    const { model } = on;
    const channel = await model.createChannel();
    on.channels.push(channel);
    channel.on('error', (err: Error) => log.warn({ err, role }, 'rabbitmq channel closed by the broker'));
    const arm = () => channel.on('close', () => recycle(model, `${role} channel closed`));
    return { channel, arm };
  };

  const runSetup = async (on: Session, setup: TopologySetup) => {
    const { channel, arm } = await guardedChannel(on, 'setup');
    await setup(channel);
    arm();
  };

  const runConsumer = async (on: Session, spec: ConsumerSpec) => {
    const { channel, arm } = await guardedChannel(on, `consumer of ${spec.queue}`);
    const consumerTag = await startConsumer(channel, spec, prefetch, log, track, () =>
      recycle(on.model, `consumer of ${spec.queue} cancelled by the broker`),
    );
    arm();
    on.consumers.push({ channel, consumerTag });
  };

  const establish = async (model: ChannelModel) => {
    // An 'error' event without a listener would crash the process, and amqplib's recovery
    // starts listening only after setup.
    model.on('error', (err: Error) => log.warn({ err }, 'rabbitmq connection error'));
    const publisher = new ConfirmPublisher(model, log, options.publishTimeoutMs ?? 10_000);
    const next: Session = { model, publisher, channels: [], consumers: [] };
    let s = 0;
    let c = 0;
    // Re-checked until nothing is left, so registrations made while this runs are included.
    while (s < setups.length || c < consumers.length) {
      for (; s < setups.length; s++) await runSetup(next, setups[s] as TopologySetup);
      for (; c < consumers.length; c++) await runConsumer(next, consumers[c] as ConsumerSpec);
    }
    model.once('close', () => {
      if (session === next) session = undefined;
    });
    if (!closing) session = next;
  };

  const url = new URL(options.url);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSeconds ?? 10));
  const connection = await connect(url.toString(), {
    clientProperties: { connection_name: options.name },
    timeout: CONNECT_TIMEOUT_MS,
    noDelay: true,
    keepAlive: true,
    recovery: {
      initialDelay: options.reconnect?.initialDelayMs ?? 200,
      maxDelay: options.reconnect?.maxDelayMs ?? 10_000,
      factor: 2,
      jitter: 0.2,
      maxRetries: Number.POSITIVE_INFINITY,
      initialMaxRetries: options.reconnect?.initialRetries ?? 6,
      waitForConnect: false,
      setup: establish,
    },
  });
  connection.on('connect', () => log.info('rabbitmq connected'));
  connection.on('disconnect', (err: Error) => log.warn({ err }, 'rabbitmq connection lost'));
  connection.on('connect-failed', (err: Error) => log.warn({ err }, 'rabbitmq connection attempt failed'));
  connection.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) =>
    log.warn({ attempt, delayMs: delay }, 'rabbitmq reconnecting'),
  );
  connection.on('reconnect-failed', (err: Error) => log.error({ err }, 'rabbitmq gave up reconnecting'));
  connection.on('blocked', (reason: string) => log.warn({ reason }, 'rabbitmq blocked the connection; publishes wait'));
  connection.on('unblocked', () => log.info('rabbitmq unblocked the connection'));
  connection.on('error', (err: Error) => log.warn({ err }, 'rabbitmq connection error'));

  try {
    await connection.waitForConnect();
  } catch (error) {
    throw new Error(`RabbitMQ connection "${options.name}" failed: ${(error as Error).message}`, { cause: error });
  }

  const register = async <T>(list: T[], item: T, start: (current: Session) => Promise<void>) => {
    list.push(item);
    const current = session;
    if (!current) return;
    try {
      await start(current);
    } catch (error) {
      list.splice(list.indexOf(item), 1);
      throw error;
    }
  };

  let closed: Promise<void> | undefined;

  return {
    name,

    named: () => ({ exchanges: [...names.exchange], queues: [...names.queue] }),

    onConnected: (setup) => register(setups, setup, (current) => runSetup(current, setup)),

    consume: (queue, handler, consumeOptions = {}) => {
      const spec: ConsumerSpec = { queue: name(queue, 'queue'), handler, options: consumeOptions };
      return register(consumers, spec, (current) => runConsumer(current, spec));
    },

    publish: async (exchange, routingKey, content, publishOptions) => {
      if (!publishOptions.messageId)
        throw new TypeError('publish needs options.messageId: consumers deduplicate by it');
      const current = closing ? undefined : session;
      if (!current) {
        throw new PublishError(
          'unavailable',
          publishOptions.messageId,
          exchange,
          routingKey,
          'not connected to RabbitMQ',
        );
      }
      const json = !Buffer.isBuffer(content);
      const body = json ? Buffer.from(JSON.stringify(content)) : content;
      await current.publisher.publish(name(exchange, 'exchange'), routingKey, body, {
        ...(json ? { contentType: 'application/json', contentEncoding: 'utf-8' } : {}),
        ...publishOptions,
      });
    },

    readiness: async () => {
      if (!session) throw new Error(closing ? 'RabbitMQ connection closed' : 'RabbitMQ is not connected');
    },

    close: () => {
      closed ??= (async () => {
        closing = true;
        const current = session;
        session = undefined;
        if (current) {
          await Promise.allSettled(current.consumers.map(({ channel, consumerTag }) => channel.cancel(consumerTag)));
        }
        await within(DRAIN_TIMEOUT_MS, Promise.allSettled([...running]));
        // Channel frames (acks) reach the socket through amqplib's muxer a tick later than
        // connection frames: closing the connection straight away can overtake the last acks,
        // and the broker would redeliver those messages. A channel's close queues behind them.
        if (current)
          await within(CLOSE_TIMEOUT_MS, Promise.allSettled(current.channels.map((channel) => channel.close())));
        await within(CLOSE_TIMEOUT_MS, connection.close());
        log.info('rabbitmq closed');
      })();
      return closed;
    },
  };
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { capturingLogger, eventually } from '@radiata/testing';
import { type Channel as AdminChannel, type ChannelModel, connect } from 'amqplib';
import {
  type Channel,
  type ConsumeMessage,
  connectRabbit,
  PublishError,
  type Rabbit,
  type RabbitOptions,
} from '../src/index.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = promisify(execFile);

const unique = (label: string) => `radiata.test.${label}.${randomBytes(4).toString('hex')}`;

const passes = (check: () => Promise<unknown>) => () =>
  check().then(
    () => true,
    () => false,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (message: ConsumeMessage) => JSON.parse(message.content.toString('utf8')) as unknown;

/** Drops the TCP connection under amqplib, as a network failure would (Connection#stream is internal). */
const dropSocket = (channel: Channel) =>
  (channel.connection as unknown as { stream: Socket }).stream.destroy(new Error('test: connection dropped'));

describe('@radiata/rabbitmq', () => {
  let admin: ChannelModel;
  let adminChannel: AdminChannel;
  const queues: string[] = [];
  const exchanges: string[] = [];
  const managers: Rabbit[] = [];

  const open = async (overrides: Partial<RabbitOptions> = {}) => {
    const { logger, lines } = capturingLogger();
    const name = unique('conn');
    const rabbit = await connectRabbit({
      url: RABBITMQ_URL,
      name,
      logger,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
      ...overrides,
    });
    managers.push(rabbit);
    return { rabbit, lines, name };
  };

  /** A durable topic exchange and a durable queue bound to it, declared on every (re)connection. */
  const declareRoute = async (rabbit: Rabbit, queueArguments: Record<string, unknown> = {}) => {
    const exchange = unique('events');
    const queue = unique('queue');
    exchanges.push(exchange);
    queues.push(queue);
    let runs = 0;
    let channel: Channel | undefined;
    await rabbit.onConnected(async (ch) => {
      await ch.assertExchange(exchange, 'topic', { durable: true });
      await ch.assertQueue(queue, { durable: true, arguments: queueArguments });
      await ch.bindQueue(queue, exchange, 'order.*');
      runs++;
      channel = ch;
    });
    return { exchange, queue, runs: () => runs, channel: () => channel as Channel };
  };

  beforeAll(async () => {
    admin = await connect(RABBITMQ_URL);
    adminChannel = await admin.createChannel();
  });

  afterAll(async () => {
    await Promise.all(managers.map((rabbit) => rabbit.close()));
    for (const queue of queues) await adminChannel.deleteQueue(queue);
    for (const exchange of exchanges) await adminChannel.deleteExchange(exchange);
    await admin.close();
  });

  it('round-trips a JSON message with its id, persistent, and acks it', async () => {
    const { rabbit } = await open();
    const { exchange, queue } = await declareRoute(rabbit);
    const received: ConsumeMessage[] = [];
    await rabbit.consume(queue, async (message) => {
      received.push(message);
    });

    const body = { orderId: 'o-1', items: [{ productId: 'p-1', quantity: 2 }], note: 'ünïcode' };
    await rabbit.publish(exchange, 'order.placed', body, { messageId: 'm-round-trip' });

    await eventually(() => received.length === 1);
    const [message] = received as [ConsumeMessage];
    expect(message.properties.messageId).toBe('m-round-trip');
    expect(message.properties.contentType).toBe('application/json');
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.fields.routingKey).toBe('order.placed');
    expect(json(message)).toEqual(body);

    // Acked, not merely delivered: after the consumer is gone nothing is left to redeliver.
    await rabbit.close();
    await expect(adminChannel.checkQueue(queue)).resolves.toMatchObject({ messageCount: 0, consumerCount: 0 });
  }, 15_000);

  it('resolves publish only once the broker has the message, and rejects when it nacks', async () => {
    const { rabbit } = await open();
    // A queue that holds one message and makes the broker nack publishes beyond it.
    const { exchange, queue } = await declareRoute(rabbit, { 'x-max-length': 1, 'x-overflow': 'reject-publish' });

    await rabbit.publish(exchange, 'order.placed', Buffer.from('first'), { messageId: 'm-1' });
    await expect(adminChannel.checkQueue(queue)).resolves.toMatchObject({ messageCount: 1 });

    const rejected = await rabbit
      .publish(exchange, 'order.placed', Buffer.from('second'), { messageId: 'm-2' })
      .catch((e) => e);
    expect(rejected).toBeInstanceOf(PublishError);
    expect(rejected).toMatchObject({ reason: 'nacked', messageId: 'm-2' });

    const kept = await adminChannel.get(queue, { noAck: true });
    expect(kept ? kept.content.toString() : kept).toBe('first');
  }, 15_000);

  it('rejects a publish to a missing exchange with the broker reason, then publishes again', async () => {
    // No confirm would come for minutes: the broker's channel error is what ends the publish.
    const { rabbit, lines } = await open({ publishTimeoutMs: 600_000 });
    const { exchange, queue } = await declareRoute(rabbit);
    const missing = unique('missing');

    const error = await rabbit.publish(missing, 'order.placed', { x: 1 }, { messageId: 'm-missing' }).catch((e) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(error.reason).toBe('channel-closed');
    expect(error.message).toContain(`no exchange '${missing}'`);
    expect(error.message).toContain('404');

    // Only the publish channel was lost: same connection, next publish goes through.
    await rabbit.publish(exchange, 'order.placed', { x: 2 }, { messageId: 'm-after' });
    await expect(adminChannel.checkQueue(queue)).resolves.toMatchObject({ messageCount: 1 });
    expect(lines.filter((line) => line.msg === 'rabbitmq connected')).toHaveLength(1);
  }, 15_000);

  it('rejects a publish that is never confirmed once publishTimeoutMs has passed', async () => {
    const { rabbit } = await open({ publishTimeoutMs: 300 });
    const route = await declareRoute(rabbit);
    await rabbit.publish(route.exchange, 'order.placed', {}, { messageId: 'warm-up' });
    // A black-holed network: amqplib's frames leave the process but never reach the broker.
    const socket = (route.channel().connection as unknown as { stream: Socket }).stream;
    socket.write = (() => true) as Socket['write'];

    const started = Date.now();
    await expect(rabbit.publish(route.exchange, 'order.placed', {}, { messageId: 'lost' })).rejects.toMatchObject({
      reason: 'timeout',
    });
    // Never before the timeout; the connection itself stays up (its heartbeat would take 20 s to notice).
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    socket.destroy(new Error('test: done'));
  }, 10_000);

  it('rejects an unroutable mandatory publish, and refuses a message without an id', async () => {
    const { rabbit } = await open();
    const { exchange } = await declareRoute(rabbit);

    await expect(
      rabbit.publish(exchange, 'nobody.listens', { x: 1 }, { messageId: 'm-lost', mandatory: true }),
    ).rejects.toMatchObject({
      reason: 'unroutable',
    });
    await expect(
      rabbit.publish(exchange, 'nobody.listens', { x: 1 }, { messageId: 'm-dropped' }),
    ).resolves.toBeUndefined();
    await expect(rabbit.publish(exchange, 'order.placed', { x: 1 }, { messageId: '' })).rejects.toThrow(/messageId/);
  }, 15_000);

  it('nacks a message whose handler fails, so it is dead-lettered rather than redelivered forever', async () => {
    const { rabbit } = await open();
    const deadLetters = unique('dlq');
    queues.push(deadLetters);
    await rabbit.onConnected(async (ch) => {
      await ch.assertQueue(deadLetters, { durable: true });
    });
    const { exchange, queue } = await declareRoute(rabbit, {
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetters,
    });
    let attempts = 0;
    await rabbit.consume(queue, async () => {
      attempts++;
      throw new Error('poison');
    });

    await rabbit.publish(exchange, 'order.placed', { bad: true }, { messageId: 'm-poison' });

    await eventually(async () => (await adminChannel.checkQueue(deadLetters)).messageCount === 1);
    const dead = await adminChannel.get(deadLetters, { noAck: true });
    expect(dead ? dead.properties.messageId : dead).toBe('m-poison');
    expect(attempts).toBe(1);
  }, 15_000);

  it('reconnects after the connection drops, re-declares topology, restarts consumers', async () => {
    const { rabbit, lines } = await open();
    const route = await declareRoute(rabbit);
    const received: string[] = [];
    await rabbit.consume(route.queue, async (message) => {
      received.push(message.properties.messageId as string);
    });
    await rabbit.publish(route.exchange, 'order.placed', { n: 1 }, { messageId: 'before-drop' });
    await eventually(() => received.includes('before-drop'));

    dropSocket(route.channel());

    await eventually(async () => !(await passes(rabbit.readiness)()));
    await expect(rabbit.readiness()).rejects.toThrow(/not connected/);
    await expect(
      rabbit.publish(route.exchange, 'order.placed', { n: 2 }, { messageId: 'while-down' }),
    ).rejects.toMatchObject({
      reason: 'unavailable',
    });
    // Sent by another client while ours is away: the re-established consumer must get it.
    await adminChannel.publish(route.exchange, 'order.shipped', Buffer.from('{}'), {
      messageId: 'sent-while-down',
      persistent: true,
    });

    await eventually(passes(rabbit.readiness));
    expect(route.runs()).toBe(2);
    await rabbit.publish(route.exchange, 'order.placed', { n: 3 }, { messageId: 'after-reconnect' });
    await eventually(() => received.includes('after-reconnect') && received.includes('sent-while-down'));
    expect(lines.some((line) => line.msg === 'rabbitmq connection lost')).toBe(true);
    expect(lines.filter((line) => line.msg === 'rabbitmq connected')).toHaveLength(2);
  }, 15_000);

  it('names its connection and negotiates the heartbeat; recovers when the broker closes it', async () => {
    const { rabbit, name } = await open({ heartbeatSeconds: 7 });
    const route = await declareRoute(rabbit);
    const received: string[] = [];
    await rabbit.consume(route.queue, async (message) => {
      received.push(message.properties.messageId as string);
    });

    const ours = async () => {
      const { stdout } = await run('rabbitmqctl', [
        'list_connections',
        '--quiet',
        '--no-table-headers',
        'pid',
        'timeout',
        'client_properties',
      ]);
      return stdout.split('\n').filter((line) => line.includes(`"${name}"`));
    };
    const [line] = await ours();
    expect(line).toMatch(/connection_name/);
    const [pid, heartbeat] = (line as string).split('\t');
    expect(heartbeat).toBe('7');

    await run('rabbitmqctl', ['close_connection', pid as string, 'test: broker-side close']);

    await eventually(async () => (await ours()).length === 1 && !(await ours())[0]?.startsWith(pid as string));
    await eventually(passes(rabbit.readiness));
    await rabbit.publish(route.exchange, 'order.placed', {}, { messageId: 'after-forced-close' });
    await eventually(() => received.includes('after-forced-close'));
  }, 20_000);

  it('lets a running handler finish and ack before close, and never reconnects after close', async () => {
    const { rabbit, lines } = await open();
    const route = await declareRoute(rabbit);
    let finished = false;
    let started = false;
    await rabbit.consume(route.queue, async () => {
      started = true;
      await sleep(300);
      finished = true;
    });
    await rabbit.publish(route.exchange, 'order.placed', {}, { messageId: 'slow' });
    await eventually(() => started);

    await rabbit.close();

    expect(finished).toBe(true);
    await expect(adminChannel.checkQueue(route.queue)).resolves.toMatchObject({ messageCount: 0, consumerCount: 0 });
    await expect(rabbit.readiness()).rejects.toThrow(/closed/);
    await expect(rabbit.publish(route.exchange, 'order.placed', {}, { messageId: 'late' })).rejects.toMatchObject({
      reason: 'unavailable',
    });
    await sleep(600);
    expect(lines.filter((line) => line.msg === 'rabbitmq connected')).toHaveLength(1);
  }, 15_000);

  it('stops a reconnection in progress when closed', async () => {
    const { rabbit, lines } = await open({ reconnect: { initialDelayMs: 300, maxDelayMs: 300 } });
    const route = await declareRoute(rabbit);

    dropSocket(route.channel());
    await eventually(() => lines.some((line) => line.msg === 'rabbitmq reconnecting'));
    await rabbit.close();

    await sleep(800);
    expect(lines.filter((line) => line.msg === 'rabbitmq connected')).toHaveLength(1);
    expect(route.runs()).toBe(1);
  }, 15_000);

  it('fails start-up against an unreachable broker after its bounded retries (instead of retrying forever)', async () => {
    await expect(
      connectRabbit({
        url: 'amqp://guest:guest@127.0.0.1:1',
        name: unique('down'),
        logger: capturingLogger().logger,
        reconnect: { initialDelayMs: 50, maxDelayMs: 100, initialRetries: 2 },
      }),
    ).rejects.toThrow(/RabbitMQ connection "radiata\.test\.down\.[0-9a-f]+" failed: .*ECONNREFUSED/);
  }, 30_000);

  it('rejects a consumer for a queue that does not exist, and forgets it', async () => {
    const { rabbit, lines } = await open();
    await expect(rabbit.consume(unique('nope'), async () => undefined)).rejects.toThrow(/404/);
    await sleep(200);
    await expect(rabbit.readiness()).resolves.toBeUndefined();
    expect(lines.filter((line) => line.msg === 'rabbitmq connected')).toHaveLength(1);
  }, 10_000);
});

import { randomBytes } from 'node:crypto';
import { capturingLogger, eventually, testLogger } from '@radiata/testing';
import {
  closeRedis,
  createRedis,
  createRedisSubscriber,
  type Redis,
  reconnectDelay,
  redisReadiness,
} from '../src/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UNREACHABLE_URL = 'redis://127.0.0.1:1';

const uniqueName = (label: string) => `radiata-test-${label}-${randomBytes(4).toString('hex')}`;

/** `CLIENT LIST` entries as seen by the server, keyed by field. */
async function clientList(observer: Redis): Promise<Record<string, string>[]> {
  const text = (await observer.client('LIST')) as string;
  return text
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((pair) => pair.split('=', 2) as [string, string])));
}

describe('@radiata/redis', () => {
  const opened: Redis[] = [];
  let observer: Redis;

  const open = (client: Redis) => {
    opened.push(client);
    return client;
  };

  beforeAll(() => {
    observer = open(createRedis({ url: REDIS_URL, name: uniqueName('observer'), logger: testLogger('redis-test') }));
  });

  afterAll(async () => {
    await Promise.all(opened.map((client) => closeRedis(client)));
  });

  it('answers PING and passes readiness', async () => {
    const client = open(createRedis({ url: REDIS_URL, name: uniqueName('ping'), logger: capturingLogger().logger }));
    await expect(client.ping()).resolves.toBe('PONG');
    await expect(redisReadiness(client)()).resolves.toBe('PONG');
  });

  it('names its connection so CLIENT LIST shows which service it is', async () => {
    const name = uniqueName('svc');
    const client = open(createRedis({ url: REDIS_URL, name, logger: capturingLogger().logger }));
    await client.ping();
    const entries = (await clientList(observer)).filter((entry) => entry.name === name);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.id).toBe(String(await client.client('ID')));
  });

  it('rejects a name CLIENT SETNAME would refuse', () => {
    expect(() => createRedis({ url: REDIS_URL, name: 'has space', logger: testLogger('redis-test') })).toThrow(
      /without spaces/,
    );
  });

  it('reconnects after the server drops the connection, under the same name', async () => {
    const name = uniqueName('reconnect');
    const { logger, lines } = capturingLogger();
    const client = open(createRedis({ url: REDIS_URL, name, logger }));
    await client.set(`${name}:key`, 'kept', 'EX', 60);
    const firstId = await client.client('ID');

    const reconnected = new Promise((resolve) => client.once('ready', resolve));
    await observer.client('KILL', 'ID', String(firstId));

    await reconnected;
    expect(await client.client('ID')).not.toBe(firstId);
    await expect(client.get(`${name}:key`)).resolves.toBe('kept');
    expect((await clientList(observer)).filter((entry) => entry.name === name)).toHaveLength(1);
    expect(lines.some((line) => line.msg === 'redis reconnecting')).toBe(true);
    await client.del(`${name}:key`);
  });

  it('fails readiness for an unreachable server after one retry (not waiting for it), logging instead of crashing', async () => {
    const { logger, lines } = capturingLogger();
    const client = open(createRedis({ url: UNREACHABLE_URL, name: uniqueName('down'), logger }));
    await expect(redisReadiness(client)()).rejects.toThrow(/max retries per request/i);
    expect(lines.some((line) => line.msg === 'redis error' && JSON.stringify(line.err).includes('ECONNREFUSED'))).toBe(
      true,
    );
  });

  it('delivers pub/sub on a separate subscriber connection that resubscribes after a drop', async () => {
    const name = uniqueName('pubsub');
    const channel = `${name}:events`;
    const publisher = open(createRedis({ url: REDIS_URL, name, logger: capturingLogger().logger }));
    const subscriber = open(createRedisSubscriber({ url: REDIS_URL, name, logger: capturingLogger().logger }));
    const received: string[] = [];
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) received.push(message);
    });

    await subscriber.subscribe(channel);
    await expect(redisReadiness(subscriber)()).resolves.toBeDefined();
    const subscriberEntry = (await clientList(observer)).find((entry) => entry.name === `${name}:subscriber`);
    expect(subscriberEntry).toBeDefined();

    await publisher.publish(channel, 'first');
    await eventually(() => received.includes('first'));

    await observer.client('KILL', 'ID', String(subscriberEntry?.id));
    await eventually(async () => (await publisher.publish(channel, 'second')) === 1);
    await eventually(() => received.includes('second'));
  });

  it('closes gracefully: QUIT, gone from CLIENT LIST, no reconnect', async () => {
    const name = uniqueName('close');
    const client = createRedis({ url: REDIS_URL, name, logger: capturingLogger().logger });
    await client.ping();

    await closeRedis(client);

    expect(client.status).toBe('end');
    await eventually(async () => !(await clientList(observer)).some((entry) => entry.name === name));
    await expect(client.ping()).rejects.toThrow(/Connection is closed/);
    await expect(closeRedis(client)).resolves.toBeUndefined();
  });

  it('closes promptly a client that never reached its server and stops it retrying', async () => {
    const { logger, lines } = capturingLogger();
    const client = createRedis({ url: UNREACHABLE_URL, name: uniqueName('close-down'), logger });
    await eventually(() => lines.some((line) => line.msg === 'redis reconnecting'));

    // Not connected: nothing to QUIT, so it returns without waiting for the server or the timeout.
    await closeRedis(client, 60_000);

    const attempts = lines.filter((line) => line.msg === 'redis reconnecting').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.filter((line) => line.msg === 'redis reconnecting')).toHaveLength(attempts);
  });

  it('backs off exponentially with jitter, capped at 2 s', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(2_000, 50 * 2 ** (attempt - 1));
      const delay = reconnectDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

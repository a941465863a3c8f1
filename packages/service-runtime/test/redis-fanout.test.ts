import { randomBytes } from 'node:crypto';
import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import { capturingLogger, eventually, testLogger } from '@radiata/testing';
import { RedisFanout } from '../src/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = testLogger('redis-fanout-test');

/** Channel names unique to this run: the Redis server is shared with other suites. */
const channelName = (what: string) => `test:fanout:${what}:${process.pid}:${randomBytes(4).toString('hex')}`;

describe('RedisFanout (real Redis)', () => {
  let observer: Redis;
  let fanout: RedisFanout;

  const numsub = async (channel: string) => {
    const reply = (await observer.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return Number(reply[1]);
  };

  beforeAll(() => {
    observer = createRedis({ url: REDIS_URL, name: 'fanout-test-observer', logger });
  });
  beforeEach(() => {
    fanout = new RedisFanout({ url: REDIS_URL, name: 'fanout-test', logger });
  });
  afterEach(async () => {
    await fanout.close();
  });
  afterAll(async () => {
    await closeRedis(observer);
  });

  it('subscribes on the first listener, fans out decoded JSON, unsubscribes after the last', async () => {
    const channel = channelName('lifecycle');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const unlistenA = fanout.listen(channel, (message) => a.push(message));
    const unlistenB = fanout.listen(channel, (message) => b.push(message));
    await Promise.all([unlistenA.ready, unlistenB.ready]);
    expect(await numsub(channel)).toBe(1); // one Redis subscription for both listeners
    expect(fanout.channels).toEqual([channel]);

    await observer.publish(channel, JSON.stringify({ claimId: 'c1', status: 'ISSUED' }));
    await eventually(() => a.length === 1 && b.length === 1);
    expect(a[0]).toEqual({ claimId: 'c1', status: 'ISSUED' });

    unlistenA();
    unlistenA(); // idempotent
    expect(await numsub(channel)).toBe(1);
    unlistenB();
    await eventually(async () => (await numsub(channel)) === 0);
    expect(fanout.channels).toEqual([]);

    await observer.publish(channel, JSON.stringify({ late: true }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(b).toHaveLength(1);
  });

  it('listens during the connection handshake without tripping the ready check (no reconnect)', async () => {
    const { logger: capturing, lines } = capturingLogger();
    const early = new RedisFanout({ url: REDIS_URL, name: 'fanout-test-early', logger: capturing });
    try {
      // The subscriber's socket is open but its ready check (INFO) has not answered yet.
      await new Promise((resolve) => (early as unknown as { subscriber: Redis }).subscriber.once('connect', resolve));
      const channel = channelName('early');
      const got: unknown[] = [];
      const unlisten = early.listen(channel, (m) => got.push(m));
      await unlisten.ready;
      await observer.publish(channel, JSON.stringify('hello'));
      await eventually(() => got.length === 1);
      unlisten();
      await eventually(async () => (await numsub(channel)) === 0);
      expect(lines.filter((l) => Number(l.level) >= 40).map((l) => l.msg)).toEqual([]);
    } finally {
      await early.close();
    }
  });

  it('routes a shared channel by key, and keyless listeners get every message', async () => {
    const channel = channelName('shared');
    const mine: unknown[] = [];
    const theirs: unknown[] = [];
    const all: unknown[] = [];
    const u1 = fanout.listen(channel, (m) => mine.push(m), { key: 'claim-1' });
    const u2 = fanout.listen(channel, (m) => theirs.push(m), { key: 'claim-2' });
    const u3 = fanout.listen(channel, (m) => all.push(m));
    await u3.ready;
    await observer.publish(channel, JSON.stringify({ key: 'claim-1', status: 'ISSUED' }));
    await observer.publish(channel, JSON.stringify({ key: 'claim-3', status: 'FAILED' }));
    await eventually(() => all.length === 2);
    expect(mine).toEqual([{ key: 'claim-1', status: 'ISSUED' }]);
    expect(theirs).toEqual([]);
    u1();
    u2();
    u3();
    await eventually(async () => (await numsub(channel)) === 0);
  });

  it('resubscribes after unsubscribing, and one failing listener does not starve the others', async () => {
    const { logger: capturing, lines } = capturingLogger();
    const local = new RedisFanout({ url: REDIS_URL, name: 'fanout-test-local', logger: capturing });
    try {
      const channel = channelName('again');
      const first = local.listen(channel, () => undefined);
      await first.ready;
      first();
      const got: unknown[] = [];
      const failing = local.listen(channel, () => {
        throw new Error('listener bug');
      });
      const second = local.listen(channel, (m) => got.push(m));
      await second.ready; // SUBSCRIBE queued after the UNSUBSCRIBE: subscribed again
      expect(await numsub(channel)).toBe(1);
      await observer.publish(channel, 'not json');
      await observer.publish(channel, JSON.stringify(42));
      await eventually(() => got.length === 1);
      expect(got).toEqual([42]);
      expect(lines.some((l) => l.msg === 'dropped a pub/sub message that is not JSON')).toBe(true);
      expect(lines.some((l) => l.msg === 'pub/sub listener failed')).toBe(true);
      failing();
      second();
      await expect(local.readiness()).resolves.toBeUndefined();
    } finally {
      await local.close();
    }
    await expect(local.readiness()).rejects.toThrow();
    expect(() => local.listen('x', () => undefined)).toThrow('RedisFanout is closed');
  });
});

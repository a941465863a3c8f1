import { randomBytes } from 'node:crypto';
import { deleteRedisKeys, testLogger } from '@radiata/testing';
import {
  closeRedis,
  consumeRateLimit,
  createRateLimiter,
  createRedis,
  peekRateLimit,
  type Redis,
} from '../src/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:rate-limit:${randomBytes(4).toString('hex')}:`;

describe('createRateLimiter', () => {
  const clients: Redis[] = [];
  const open = (url = REDIS_URL) => {
    const client = createRedis({ url, name: 'rate-limit-test', logger: testLogger('rate-limit-test') });
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    await Promise.all(clients.map((client) => closeRedis(client)));
    await deleteRedisKeys(prefix, REDIS_URL);
  });

  it('counts a key across processes (two limiters on the same prefix), under the key prefix', async () => {
    const rule = { name: 'shared', points: 3, durationSeconds: 3600 };
    const [first, second] = [createRateLimiter(open(), prefix, rule), createRateLimiter(open(), prefix, rule)];
    const decisions = [];
    for (const limiter of [first, second, first, second]) decisions.push(await consumeRateLimit(limiter, 'client'));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: expect.any(Number) });
    expect(await clients[0]?.get(`${prefix}rl:shared:client`)).toBe('4');
    expect(await peekRateLimit(first, 'other')).toEqual({ allowed: true, consumedPoints: 0 });
  });

  it('states the block, not the window, as the wait once over a limit with a block', async () => {
    const limiter = createRateLimiter(open(), prefix, {
      name: 'block',
      points: 2,
      durationSeconds: 86_400,
      blockSeconds: 60,
    });
    const burst = await Promise.all(Array.from({ length: 6 }, () => consumeRateLimit(limiter, 'client')));
    for (const decision of burst.filter((d) => !d.allowed)) {
      expect(decision).toEqual({ allowed: false, retryAfterMs: expect.any(Number) });
      expect(decision.allowed ? 0 : decision.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    const peeked = await peekRateLimit(limiter, 'client');
    expect(peeked.allowed).toBe(false);
    expect(peeked.allowed ? 0 : peeked.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('goes on limiting in process memory when Redis is unreachable', async () => {
    const unreachable = open('redis://127.0.0.1:1');
    const limiter = createRateLimiter(unreachable, prefix, { name: 'insured', points: 2, durationSeconds: 3600 });
    const decisions = [];
    for (let attempt = 0; attempt < 3; attempt += 1) decisions.push(await consumeRateLimit(limiter, 'client'));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
  });
});

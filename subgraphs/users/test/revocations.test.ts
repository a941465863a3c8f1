import { isRevoked, RevocationKeyspace, revocationTtlMs, type VerifiedAccessToken } from '@radiata/auth-context';
import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import { deleteRedisKeys, startTcpProxy, testLogger, testNamespace } from '@radiata/testing';
import { TokenRevocations } from '../src/persistence/revocations.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACCESS_TOKEN_TTL_SECONDS = 900;
const prefix = testNamespace().redisKeyPrefix;
const keys = new RevocationKeyspace(prefix);
const logger = testLogger('users-revocations');

let redis: Redis;
let revocations: TokenRevocations;
beforeAll(() => {
  redis = createRedis({ url: REDIS_URL, name: 'users-revocations-test', logger });
  revocations = new TokenRevocations(redis, keys, ACCESS_TOKEN_TTL_SECONDS, logger);
});
afterAll(async () => {
  await closeRedis(redis);
  await deleteRedisKeys(prefix, REDIS_URL);
});

const token = (userId: string, sessionId: string, issuedAt: Date): VerifiedAccessToken => ({
  viewer: { id: userId, role: 'CUSTOMER' },
  sessionId,
  issuedAt,
  expiresAt: new Date(issuedAt.getTime() + 900_000),
});
/** What the gateway reads for a token: one MGET. */
const read = (t: VerifiedAccessToken) => redis.mget(...keys.keysOf(t));

describe('token revocations in Redis', () => {
  it('ends a session under the prefixed, hash-tagged key, for as long as its tokens can live', async () => {
    const at = new Date();
    await revocations.endSession('user-a', 'session-1', at);

    const key = `${prefix}{auth:user-a}:session:session-1`;
    expect(await redis.get(key)).toBe(String(at.getTime()));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(ttl).toBeLessThanOrEqual(revocationTtlMs(ACCESS_TOKEN_TTL_SECONDS));

    // Whenever they were issued: the session is over.
    const ended = token('user-a', 'session-1', new Date(at.getTime() + 1000));
    expect(isRevoked(ended, await read(ended))).toBe(true);
    const otherSession = token('user-a', 'session-2', at);
    expect(isRevoked(otherSession, await read(otherSession))).toBe(false);
  });

  it('refuses tokens issued before a not-before, which only moves forward', async () => {
    const later = new Date();
    const earlier = new Date(later.getTime() - 5_000);
    await revocations.refuseIssuedBefore('user-b', later);
    await revocations.refuseIssuedBefore('user-b', earlier);

    const key = `${prefix}{auth:user-b}:not-before`;
    expect(await redis.get(key)).toBe(String(later.getTime()));
    expect(await redis.pttl(key)).toBeGreaterThan(ACCESS_TOKEN_TTL_SECONDS * 1000);

    const before = token('user-b', 's', new Date(later.getTime() - 1));
    const after = token('user-b', 's', later);
    expect(isRevoked(before, await read(before))).toBe(true);
    expect(isRevoked(after, await read(after))).toBe(false);
  });

  it('answers a retryable SERVICE_UNAVAILABLE when Redis is unreachable', async () => {
    const { port } = new URL(REDIS_URL);
    const proxy = await startTcpProxy({ host: new URL(REDIS_URL).hostname, port: Number(port || 6379) });
    const cut = createRedis({ url: `redis://127.0.0.1:${proxy.port}`, name: 'users-revocations-cut', logger });
    try {
      await cut.ping();
      await proxy.stop();
      const unreachable = new TokenRevocations(cut, keys, ACCESS_TOKEN_TTL_SECONDS, logger);
      await expect(unreachable.endSession('user-c', 'session-1', new Date())).rejects.toMatchObject({
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 },
      });
      await expect(unreachable.refuseIssuedBefore('user-c', new Date())).rejects.toMatchObject({
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
    } finally {
      await closeRedis(cut);
    }
  });
});

export type { Redis } from 'ioredis';
export { createRedis, createRedisSubscriber, type RedisConnectionOptions, reconnectDelay } from './create-redis.js';
export { closeRedis, redisReadiness } from './lifecycle.js';
export {
  consumeRateLimit,
  createRateLimiter,
  peekRateLimit,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
  retryAfterSeconds,
} from './rate-limit.js';

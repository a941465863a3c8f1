export type { Redis } from 'ioredis';
export { createRedis, createRedisSubscriber, type RedisConnectionOptions, reconnectDelay } from './create-redis.js';
export { closeRedis, redisReadiness } from './lifecycle.js';

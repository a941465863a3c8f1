import type { Logger } from '@radiata/observability';
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  /** Shown by `CLIENT LIST` (CLIENT SETNAME), e.g. the service name. No spaces. */
  readonly name: string;
  readonly logger: Logger;
}

const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 2_000;

/**
 * Exponential backoff capped at 2 s, with "equal jitter" so the replicas of a service do not
 * reconnect in lockstep after a Redis restart. Never gives up: readiness reports the outage.
 */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (Math.max(1, attempt) - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function open(options: RedisConnectionOptions, role: 'commands' | 'subscriber'): Redis {
  if (!/^\S+$/.test(options.name))
    throw new Error(`Redis connection name must be non-empty without spaces: "${options.name}"`);
  const connectionName = role === 'subscriber' ? `${options.name}:subscriber` : options.name;
  const log = options.logger.child({ component: 'redis', connection: connectionName });

  const client = new Redis(options.url, {
    connectionName,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    // How long disconnect() waits for a half-closed socket before destroying it (default 2 s,
    // which also keeps a stopping process, or Jest, alive that long).
    disconnectTimeout: 500,
    // A command in flight when the connection drops is resent once after reconnecting (so a
    // write may apply twice: hot-path scripts must be idempotent), then fails.
    // Subscriptions instead wait for the connection: a SUBSCRIBE that failed would be lost.
    maxRetriesPerRequest: role === 'subscriber' ? null : 1,
    // After a failover the old primary answers writes with READONLY: reconnect and resend.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  });

  if (role === 'commands') {
    // Commands wait in the offline queue only until the first connection, so start-up code
    // need not wait for 'ready'. Later, a command issued while Redis is down fails at once
    // instead of piling up: a flash sale sends thousands a second, and a claim that runs
    // seconds after its caller gave up is worse than a clear error.
    client.once('ready', () => {
      client.options.enableOfflineQueue = false;
    });
  }

  client.on('ready', () => log.info('redis ready'));
  client.on('error', (err: Error) => log.error({ err }, 'redis error'));
  client.on('reconnecting', (delayMs: number) => log.warn({ delayMs }, 'redis reconnecting'));
  client.on('end', () => log.info('redis connection closed'));
  return client;
}

/** The client for commands and scripts, configured for production (see `open`). */
export function createRedis(options: RedisConnectionOptions): Redis {
  return open(options, 'commands');
}

/**
 * A separate connection for pub/sub (a subscribed connection can run nothing else). It is
 * named `<name>:subscriber`, keeps its subscriptions across reconnects (ioredis resubscribes)
 * and lets SUBSCRIBE wait for the connection rather than fail.
 */
export function createRedisSubscriber(options: RedisConnectionOptions): Redis {
  return open(options, 'subscriber');
}

import { type EventPublishing, startEventPublishing } from '@radiata/outbox';
import { closeRedis, createRedis, type Redis, redisReadiness } from '@radiata/redis';
import type { Resource } from './define-subgraph.js';
import type { DatabaseOptions } from './prisma.js';
import { RedisFanout, type RedisFanoutOptions } from './redis-fanout.js';

/** The part of a Prisma client the runtime needs: a probe and a way to close the pool. */
interface Pool {
  $queryRawUnsafe(sql: string): Promise<unknown>;
  $disconnect(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * A client for background work (relays, periodic jobs) beside the one serving requests: a pool
   * of its own of this size, so neither starves the other, no readiness check of its own (the
   * request client's covers the server), and its statements are not reported to a test's
   * `onQuery` (which measures what requests cost).
   */
  readonly backgroundPoolSize?: number;
}

/** The subgraph's own PostgreSQL database, through its Prisma client: readiness `postgres`. */
export const postgres =
  <TDatabase extends Pool>(
    createDatabase: (options: DatabaseOptions) => TDatabase,
    { backgroundPoolSize }: PostgresOptions = {},
  ): Resource<
    TDatabase,
    {
      readonly DATABASE_URL: string;
      readonly DATABASE_POOL_SIZE: number;
      readonly DATABASE_POOL_TIMEOUT_MS: number;
    }
  > =>
  (kit) => {
    const db = createDatabase({
      url: kit.config.DATABASE_URL,
      poolSize: backgroundPoolSize ?? kit.config.DATABASE_POOL_SIZE,
      poolTimeoutMs: kit.config.DATABASE_POOL_TIMEOUT_MS,
      ...(kit.onQuery && backgroundPoolSize === undefined ? { onQuery: kit.onQuery } : {}),
    });
    const stop = () => db.$disconnect();
    if (backgroundPoolSize !== undefined) return { value: db, stop };
    return { value: db, readiness: { postgres: () => db.$queryRawUnsafe('SELECT 1') }, stop };
  };

/** The connection for commands and scripts: readiness `redis`. */
export const redis = (): Resource<Redis, { readonly REDIS_URL: string }> => (kit) => {
  const client = createRedis({ url: kit.config.REDIS_URL, name: kit.name, logger: kit.logger });
  return { value: client, readiness: { redis: redisReadiness(client) }, stop: () => closeRedis(client) };
};

/** The process's one pub/sub connection, fanned out to subscribers: readiness `redisSubscriber`. */
export const redisFanout =
  (options: Pick<RedisFanoutOptions, 'keyOf'> = {}): Resource<RedisFanout, { readonly REDIS_URL: string }> =>
  (kit) => {
    const fanout = new RedisFanout({
      url: kit.config.REDIS_URL,
      name: `${kit.name}-pubsub`,
      logger: kit.logger,
      ...options,
    });
    return { value: fanout, readiness: { redisSubscriber: () => fanout.readiness() }, stop: () => fanout.close() };
  };

/**
 * A RabbitMQ connection (in RABBITMQ_NAMESPACE), the subgraph's own topic exchange and the relay
 * that publishes its committed outbox rows: readiness `rabbitmq`. Event consumers share the
 * connection (`events.rabbit`).
 */
export const eventPublishing =
  (
    exchange: string,
  ): Resource<
    EventPublishing,
    {
      readonly RABBITMQ_URL: string;
      readonly RABBITMQ_NAMESPACE: string;
      readonly DATABASE_URL: string;
      readonly OUTBOX_POLL_INTERVAL_MS: number;
    }
  > =>
  async (kit) => {
    const events = await startEventPublishing({
      name: kit.name,
      rabbitmqUrl: kit.config.RABBITMQ_URL,
      namespace: kit.config.RABBITMQ_NAMESPACE,
      exchange,
      databaseUrl: kit.config.DATABASE_URL,
      logger: kit.logger,
      pollIntervalMs: kit.config.OUTBOX_POLL_INTERVAL_MS,
      registry: kit.metrics.registry,
    });
    return {
      value: events,
      readiness: { rabbitmq: events.rabbit.readiness },
      stop: () => events.stop(),
      brokerNames: () => events.rabbit.named(),
    };
  };

/** Something that runs in the background from `start()` until `stop()` (a persister, a scheduler). */
export interface BackgroundWorker {
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

/** Starts a background worker now and stops it with the subgraph. */
export const worker =
  <TWorker extends BackgroundWorker>(instance: TWorker): Resource<TWorker> =>
  async () => {
    await instance.start();
    return { value: instance, stop: () => instance.stop() };
  };

/**
 * Runs `task` every `intervalMs` (never two at once: a run that outlasts the interval skips the
 * next tick); a failure is logged and the next tick tries again. Stopping waits for a run in flight.
 */
export const periodic =
  (name: string, intervalMs: number, task: () => Promise<void>): Resource<void> =>
  (kit) => {
    const log = kit.logger.child({ component: name });
    let running: Promise<void> | undefined;
    const timer = setInterval(() => {
      running ??= task()
        .catch((error: unknown) => log.error({ err: error }, `${name} failed`))
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
    return {
      value: undefined,
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  };

import { z } from 'zod';

/** Reusable environment fields. Defaults work against local services on standard ports. */

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const port = (defaultPort: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(defaultPort);

/**
 * The interface a service listens on. Loopback by default, so a developer's services are not
 * reachable from the network; containers set HOST=0.0.0.0 (docker-compose.yml).
 */
export const host = z
  .string()
  .regex(/^[\w.:-]+$/, 'must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::)')
  .default('127.0.0.1');

/** Client port + METRICS_PORT_OFFSET is a service's default metrics port (gateway 4000 → 9400, users 4001 → 9401). */
export const METRICS_PORT_OFFSET = 5400;

/** The port Prometheus scrapes (`/metrics`), apart from the client-facing one, which never serves metrics. */
export const metricsPort = (servicePort: number) => port(servicePort + METRICS_PORT_OFFSET);

export const positiveInt = (defaultValue: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be > 0')
    .default(defaultValue);

const urlWithProtocol = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

export const postgresUrl = (database: string) =>
  urlWithProtocol(['postgres:', 'postgresql:']).default(`postgres://postgres@127.0.0.1:5432/${database}`);

export const redisUrl = urlWithProtocol(['redis:', 'rediss:']).default('redis://127.0.0.1:6379');

export const rabbitmqUrl = urlWithProtocol(['amqp:', 'amqps:']).default('amqp://guest:guest@127.0.0.1:5672');

export const httpUrl = urlWithProtocol(['http:', 'https:']);

/** Namespace of a service's Redis keys and channels (deployments or test runs sharing a Redis). */
export const redisKeyPrefix = z
  .string()
  .regex(/^[^{}\s]*$/, 'must not contain braces (they make hash tags) or spaces')
  .default('radiata:');

/** A shared secret: never defaulted, long enough for HMAC-SHA256. */
export const secret = z
  .string({ error: 'required (a random string of at least 32 characters, e.g. `openssl rand -base64 48`)' })
  .min(32, 'must be at least 32 characters');

export const boolean = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** true, false, or undefined when unset (the caller decides what unset means). */
export const optionalBoolean = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

export const duration = (defaultSeconds: number) => positiveInt(defaultSeconds);

/** What every subgraph reads: where it listens (clients and Prometheus), its own database, and the gateway's signing secret. */
export const subgraph = (defaultPort: number, database: string) => ({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  HOST: host,
  PORT: port(defaultPort),
  METRICS_PORT: metricsPort(defaultPort),
  DATABASE_URL: postgresUrl(database),
  DATABASE_POOL_SIZE: positiveInt(10),
  /** How long a query or transaction waits for a pool connection before a retryable SERVICE_UNAVAILABLE. */
  DATABASE_POOL_TIMEOUT_MS: positiveInt(10_000),
  GATEWAY_CONTEXT_SECRET: secret,
});

/** A service on Redis. */
export const redis = {
  REDIS_URL: redisUrl,
  /** Namespace of every Redis key and channel (deployments or test runs sharing a Redis). */
  REDIS_KEY_PREFIX: redisKeyPrefix,
};

/** A service that publishes domain events (transactional outbox relayed to RabbitMQ). */
export const rabbitmq = {
  RABBITMQ_URL: rabbitmqUrl,
  /** Prefix of every exchange and queue name the service uses (deployments or test runs sharing a broker). */
  RABBITMQ_NAMESPACE: z
    .string()
    .regex(/^[\w.:-]*$/, 'may hold only letters, digits and . _ : -')
    .default(''),
  /** Fallback poll of the outbox relay when no NOTIFY wakes it. */
  OUTBOX_POLL_INTERVAL_MS: positiveInt(1000),
};

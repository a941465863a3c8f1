import { failpoint, type Logger } from '@radiata/observability';
import { PublishError, type Rabbit } from '@radiata/rabbitmq';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { backoff, type RetryOptions } from './backoff.js';
import { listenForOutbox } from './listener.js';
import { relayMetrics } from './metrics.js';
import * as store from './store.js';

/** An outbox header that is also published as the message's AMQP `correlationId`. */
export const CORRELATION_HEADER = 'correlation-id';

export interface OutboxRelayOptions {
  /** The subgraph's database. The relay opens a pool of its own (3 connections) and closes it on stop. */
  readonly databaseUrl?: string;
  /**
   * Or a pool to share, left open on stop. One of its connections stays checked out for LISTEN,
   * so it needs at least two.
   */
  readonly pool?: pg.Pool;
  readonly rabbit: Rabbit;
  readonly logger: Logger;
  /** Rows claimed and published per transaction. Default 100. */
  readonly batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (e.g. while the listener reconnects). Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Backoff of a message whose publish failed, and of the relay after a database error. */
  readonly retry?: RetryOptions;
  /** How long published rows are kept. Default 7 days. */
  readonly retentionMs?: number;
  /** How often published rows past the retention are deleted. Default 1 min. */
  readonly purgeIntervalMs?: number;
  /** Registers outbox_pending, outbox_oldest_pending_age_seconds, outbox_published_total, outbox_publish_failures_total. */
  readonly registry?: Registry;
}

export interface OutboxRelay {
  /**
   * Publishes every message due now (waiting for the batch in flight first) and resolves with
   * how many this call published. Stops early, without rejecting, while RabbitMQ is unreachable;
   * rejects on a database error. For tests and for a last flush at shutdown.
   */
  drain(): Promise<number>;
  /** Messages not yet published, due or waiting for a retry. */
  pending(): Promise<number>;
  /** Lets the batch in flight finish, stops timers, releases connections. Idempotent. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;
const PURGE_BATCH = 1_000;
/** How often a relay waiting for RabbitMQ checks the connection (in memory, no database work). */
const BROKER_RECHECK_MS = 250;
const MAX_ERROR_LENGTH = 2_000;

/**
 * Publishes committed outbox rows to RabbitMQ with publisher confirms, at least once: a row is
 * marked published in the transaction that locked it, after its confirm. Several replicas may
 * run against one database (SKIP LOCKED). Database and broker errors are logged and retried;
 * nothing here throws into the process. Resolves once the relay listens for NOTIFY (or the
 * first attempt failed, to be retried in the background).
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  if (!options.pool === !options.databaseUrl) throw new TypeError('startOutboxRelay needs either databaseUrl or pool');
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0))
    throw new TypeError('outbox batchSize must be a positive integer');
  const log = options.logger.child({ component: 'outbox' });
  const { rabbit } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const retentionMs = options.retentionMs ?? 7 * DAY_MS;
  const retryDelay = backoff(options.retry);
  const minWaitMs = options.retry?.initialDelayMs ?? 200;

  // Registered first: a clash (two relays on one registry) then leaves nothing open behind it.
  const metrics = relayMetrics(options.registry, () => store.pendingStats(pool));
  const ownPool = !options.pool;
  const pool: pg.Pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.databaseUrl,
      max: 3,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      application_name: 'radiata-outbox-relay',
    });
  // An idle pooled connection that dies emits 'error' on the pool: fatal without a listener.
  const onPoolError = (err: Error) => log.warn({ err }, 'outbox database connection lost');
  pool.on('error', onPoolError);

  let stopping = false;
  let brokerDown = false;

  // Batches, drains and stop run one at a time.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  /**
   * Checks that RabbitMQ is reachable before rows are claimed, so an outage costs no database writes;
   * when it is back, rows that waited for a retry during the outage become due at once.
   */
  const brokerReady = async (): Promise<boolean> => {
    const ready = await rabbit.readiness().then(
      () => true,
      () => false,
    );
    if (!ready) {
      if (!brokerDown) log.warn('outbox relay waiting for RabbitMQ');
      brokerDown = true;
      return false;
    }
    if (brokerDown) {
      const rescheduled = await store.makeWaitingDue(pool);
      brokerDown = false;
      log.info({ rescheduled }, 'outbox relay reached RabbitMQ again');
    }
    return true;
  };

  const publish = (row: store.OutboxRow) =>
    rabbit.publish(row.exchange, row.routingKey, row.payload, {
      messageId: row.id,
      headers: row.headers,
      // AMQP's own correlation id too, for tools that trace by it (the order of a saga message).
      ...(row.headers[CORRELATION_HEADER] ? { correlationId: row.headers[CORRELATION_HEADER] } : {}),
      contentType: 'application/json',
      timestamp: Math.floor(row.createdAt.getTime() / 1000),
    });

  const runBatch = async () => {
    const client = await pool.connect();
    // Without a listener, a connection dying while the batch awaits confirms crashes the process.
    const onError = (err: Error) => log.warn({ err }, 'outbox batch lost its database connection');
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const rows = await store.claimDue(client, batchSize);
      const outcomes = await Promise.allSettled(rows.map(publish));
      const published: string[] = [];
      const failures: store.Failure[] = [];
      let firstError: unknown;
      outcomes.forEach((outcome, i) => {
        const row = rows[i] as store.OutboxRow;
        if (outcome.status === 'fulfilled') {
          published.push(row.id);
          metrics.published(row.exchange);
          return;
        }
        const error = outcome.reason as Error;
        firstError ??= error;
        const reason = error instanceof PublishError ? error.reason : 'error';
        if (reason === 'unavailable') brokerDown = true;
        metrics.failed(reason);
        failures.push({
          id: row.id,
          error: String(error.message).slice(0, MAX_ERROR_LENGTH),
          delayMs: retryDelay(row.attempts + 1),
        });
      });
      // Crash tests: published and confirmed, not yet marked: a new relay publishes them again.
      failpoint('outbox.after-publish');
      await store.markPublished(client, published);
      await store.markFailed(client, failures);
      await client.query('COMMIT');
      if (failures.length > 0)
        log.warn(
          { err: firstError, failed: failures.length, published: published.length },
          'outbox publish failed; will retry',
        );
      return { claimed: rows.length, published: published.length };
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
      client.removeListener('error', onError);
    }
  };

  /** Publishes due batches until one is not full (or, with `untilEmpty`, finds nothing) or publishes nothing. */
  const pump = async (untilEmpty: boolean) => {
    let published = 0;
    while (!stopping) {
      if (!(await brokerReady())) return { published, waitingForBroker: true };
      const batch = await runBatch();
      published += batch.published;
      if (batch.published === 0 || (!untilEmpty && batch.claimed < batchSize)) break;
    }
    return { published, waitingForBroker: false };
  };

  const untilNextDue = async () => {
    const due = await store.nextDueInMs(pool);
    if (due === undefined) return pollIntervalMs;
    // Due now but not claimed: another replica holds those rows for a moment.
    return Math.min(pollIntervalMs, Math.max(minWaitMs, due));
  };

  let timer: NodeJS.Timeout | undefined;
  let wakeQueued = false;
  let databaseFailures = 0;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopping) return;
    timer = setTimeout(wake, ms);
    timer.unref();
  };

  function wake(): void {
    if (stopping || wakeQueued) return;
    wakeQueued = true;
    void exclusive(async () => {
      wakeQueued = false;
      if (stopping) return;
      let next: number;
      try {
        const { waitingForBroker } = await pump(false);
        next = waitingForBroker ? BROKER_RECHECK_MS : await untilNextDue();
        if (databaseFailures > 0) log.info('outbox relay reached the database again');
        databaseFailures = 0;
      } catch (error) {
        databaseFailures++;
        next = retryDelay(databaseFailures);
        log.error({ err: error, retryInMs: next }, 'outbox relay failed; retrying');
      }
      schedule(next);
    });
  }

  let purging: Promise<void> | undefined;
  const purge = async () => {
    try {
      let purged = 0;
      let deleted: number;
      do {
        deleted = await store.purgePublished(pool, retentionMs, PURGE_BATCH);
        purged += deleted;
      } while (deleted === PURGE_BATCH && !stopping);
      if (purged > 0) log.info({ purged }, 'outbox purged published messages past retention');
    } catch (error) {
      log.warn({ err: error }, 'outbox purge failed; retrying at the next interval');
    }
  };
  const purgeTimer = setInterval(() => {
    purging ??= purge().finally(() => {
      purging = undefined;
    });
  }, options.purgeIntervalMs ?? 60_000);
  purgeTimer.unref();

  const listener = listenForOutbox(pool, log, retryDelay, wake);
  await listener.ready;
  wake();
  log.info({ batchSize, pollIntervalMs }, 'outbox relay started');

  let stopped: Promise<void> | undefined;
  return {
    drain: () => {
      if (stopping) return Promise.reject(new Error('outbox relay is stopped'));
      return exclusive(async () => (await pump(true)).published);
    },

    pending: async () => (await store.pendingStats(pool)).count,

    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        clearInterval(purgeTimer);
        listener.close();
        await exclusive(async () => undefined);
        await purging;
        metrics.unregister();
        if (ownPool) {
          await pool.end();
          // The listener stays: a connection still closing when its database is dropped (tests
          // do that right after stop) reports its error through the pool.
        } else {
          pool.removeListener('error', onPoolError);
        }
        log.info('outbox relay stopped');
      })();
      return stopped;
    },
  };
}

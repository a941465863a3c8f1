import type { Logger } from '@radiata/observability';
import type pg from 'pg';
import type { Backoff } from './backoff.js';
import { OUTBOX_CHANNEL } from './store.js';

export interface OutboxListener {
  /** Settles once the first LISTEN attempt has succeeded or failed (never rejects). */
  readonly ready: Promise<void>;
  close(): void;
}

/**
 * Holds one pool connection that LISTENs on the outbox channel and calls `onWake` for every
 * notification, and once after each (re)connection for what committed while nobody listened.
 * A lost connection is replaced with backoff; the relay's poll covers the gap.
 */
export function listenForOutbox(pool: pg.Pool, log: Logger, backoff: Backoff, onWake: () => void): OutboxListener {
  let closed = false;
  let failures = 0;
  let dropCurrent: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const retry = (err: unknown) => {
    if (closed) return;
    failures++;
    const delayMs = backoff(failures);
    log.warn({ err, delayMs }, 'outbox listener lost its database connection; reconnecting');
    retryTimer = setTimeout(() => void connect(), delayMs);
    retryTimer.unref();
  };

  const connect = async (): Promise<void> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      retry(error);
      return;
    }
    let released = false;
    const notified = (message: pg.Notification) => {
      if (message.channel === OUTBOX_CHANNEL) onWake();
    };
    const release = (err: Error | true) => {
      if (released) return false;
      released = true;
      client.removeListener('notification', notified);
      // Destroyed, never returned to the pool: no pooled connection keeps listening.
      client.release(err);
      return true;
    };
    const lost = (err?: Error) => {
      if (release(err ?? new Error('outbox listener connection ended'))) retry(err);
    };
    // A checked-out pg client emits 'error' when its connection dies, and an 'error' without a
    // listener crashes the process (the pool listens only while the client is idle). It stays
    // attached after release: a late error must not crash anything either.
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', notified);
    try {
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (closed) {
      release(true);
      return;
    }
    dropCurrent = () => release(true);
    failures = 0;
    log.debug('outbox listener listening');
    onWake();
  };

  return {
    ready: connect(),
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      dropCurrent?.();
      dropCurrent = undefined;
    },
  };
}

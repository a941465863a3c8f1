import { once } from 'node:events';
import type { Redis } from 'ioredis';

/** A /readyz check: PING answers. Fails fast once the client has given up waiting. */
export function redisReadiness(client: Redis): () => Promise<unknown> {
  return () => client.ping();
}

/**
 * QUIT, so replies to commands already sent are still read, and resolve once the connection
 * has ended. Drops the socket instead when Redis does not answer within `timeoutMs` or the
 * client is not connected. Either way the client stops reconnecting.
 */
export async function closeRedis(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // Not connected: QUIT would wait in the offline queue. (While 'reconnecting', ioredis
    // cancels the pending attempt but never emits 'end', so there is nothing to wait for.)
    client.disconnect();
    return;
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    await Promise.all([client.quit(), once(client, 'end', { signal: abort.signal })]);
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}

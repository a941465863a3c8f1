import type pg from 'pg';

/** Name of the table and of the NOTIFY channel its insert trigger signals. */
export const OUTBOX_CHANNEL = 'outbox_messages';

export interface OutboxRow {
  readonly id: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly payload: object;
  readonly headers: Record<string, string>;
  readonly createdAt: Date;
  readonly attempts: number;
}

export interface Failure {
  readonly id: string;
  readonly error: string;
  readonly delayMs: number;
}

export interface PendingStats {
  readonly count: number;
  /** Age of the oldest pending message; 0 when none is pending. */
  readonly oldestAgeSeconds: number;
}

/**
 * Locks up to `limit` due rows for the caller's transaction. SKIP LOCKED lets relay replicas
 * share the table: a row one of them holds is invisible to the others until it commits.
 * Ordered by (available_at, created_at), the pending index's order, so the scan stops at the
 * limit; rows that never failed keep their available_at = created_at and come oldest first.
 */
export async function claimDue(client: pg.ClientBase, limit: number): Promise<OutboxRow[]> {
  const { rows } = await client.query<{
    id: string;
    exchange: string;
    routing_key: string;
    payload: object;
    headers: Record<string, string>;
    created_at: Date;
    attempts: number;
  }>(
    `SELECT id, exchange, routing_key, payload, headers, created_at, attempts
       FROM outbox_messages
      WHERE published_at IS NULL AND available_at <= now()
      ORDER BY available_at, created_at
      LIMIT $1
        FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    exchange: row.exchange,
    routingKey: row.routing_key,
    payload: row.payload,
    headers: row.headers,
    createdAt: row.created_at,
    attempts: row.attempts,
  }));
}

export async function markPublished(client: pg.ClientBase, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query('UPDATE outbox_messages SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])', [ids]);
}

export async function markFailed(client: pg.ClientBase, failures: readonly Failure[]): Promise<void> {
  if (failures.length === 0) return;
  await client.query(
    `UPDATE outbox_messages AS m
        SET attempts = m.attempts + 1,
            last_error = f.error,
            available_at = clock_timestamp() + f.delay_ms * interval '1 millisecond'
       FROM unnest($1::uuid[], $2::text[], $3::integer[]) AS f (id, error, delay_ms)
      WHERE m.id = f.id`,
    [failures.map((f) => f.id), failures.map((f) => f.error), failures.map((f) => f.delayMs)],
  );
}

export async function pendingStats(pool: pg.Pool): Promise<PendingStats> {
  const { rows } = await pool.query<{ count: number; age: number }>(
    `SELECT count(*)::int AS count,
            coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
       FROM outbox_messages WHERE published_at IS NULL`,
  );
  const [row] = rows;
  return { count: row?.count ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}

/** Milliseconds until the earliest pending row is due (0 or less: due now), or undefined when none is pending. */
export async function nextDueInMs(pool: pg.Pool): Promise<number | undefined> {
  const { rows } = await pool.query<{ ms: number | null }>(
    `SELECT (extract(epoch FROM min(available_at) - clock_timestamp()) * 1000)::float8 AS ms
       FROM outbox_messages WHERE published_at IS NULL`,
  );
  return rows[0]?.ms ?? undefined;
}

/** Makes every pending row that waits for a retry due now (after RabbitMQ came back). */
export async function makeWaitingDue(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    'UPDATE outbox_messages SET available_at = now() WHERE published_at IS NULL AND available_at > now()',
  );
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` rows published more than `retentionMs` ago; pending rows are never touched. */
export async function purgePublished(pool: pg.Pool, retentionMs: number, limit: number): Promise<number> {
  const result = await pool.query(
    // = ANY(ARRAY(…)) keeps the delete on the primary key; IN (…) can plan a sequential scan.
    `DELETE FROM outbox_messages WHERE id = ANY(ARRAY(
       SELECT id FROM outbox_messages
        WHERE published_at < now() - $1 * interval '1 millisecond'
        ORDER BY published_at
        LIMIT $2
          FOR UPDATE SKIP LOCKED))`,
    [retentionMs, limit],
  );
  return result.rowCount ?? 0;
}

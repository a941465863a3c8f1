/**
 * Runs one parameterised statement ($1, $2, …) on the caller's transaction and resolves with the
 * number of rows it changed, e.g. `(sql, values) => tx.$executeRawUnsafe(sql, ...values)`.
 */
export type CountingSqlExecutor = (sql: string, values: unknown[]) => Promise<number>;

/**
 * Records that `consumer` has received `messageId`, inside the transaction that applies the
 * message: true the first time, false for a duplicate (whose effect is already committed). Both
 * commit or roll back together, so a crash at any point neither loses nor repeats an effect.
 */
export async function receiveOnce(execute: CountingSqlExecutor, consumer: string, messageId: string): Promise<boolean> {
  const inserted = await execute(
    'INSERT INTO inbox_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [consumer, messageId],
  );
  return inserted === 1;
}

/**
 * Deletes inbox rows received before `before`, in batches, and resolves with how many. Keep rows
 * far longer than any message can be redelivered (the outbox republishes for minutes at most).
 */
export async function pruneInbox(execute: CountingSqlExecutor, before: Date, batchSize = 1_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await execute(
      `DELETE FROM inbox_messages WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM inbox_messages WHERE received_at < $1 LIMIT $2))`,
      [before, batchSize],
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** How long an inbox row is kept: far longer than any redelivery (the outbox republishes for minutes). */
export const INBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/** How often a consuming service prunes its inbox. */
export const INBOX_PRUNE_INTERVAL_MS = 3_600_000;

/** Deletes inbox rows received more than INBOX_RETENTION_MS before `now`; resolves with how many. */
export const pruneExpiredInbox = (execute: CountingSqlExecutor, now: Date): Promise<number> =>
  pruneInbox(execute, new Date(now.getTime() - INBOX_RETENTION_MS));

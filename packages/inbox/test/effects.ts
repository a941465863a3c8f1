import type pg from 'pg';
import type { InboxEvent } from '../src/index.js';
import { receiveOnce } from '../src/index.js';

/** The table the tests' consumers write their effect to. */
export const EFFECTS_TABLE = 'CREATE TABLE effects (consumer text NOT NULL, message_id text NOT NULL)';

/** Applies an event as a consumer should: the inbox row and the effect in one transaction. */
export async function applyOnce(pool: pg.Pool, consumer: string, event: InboxEvent): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const execute = async (sql: string, values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0;
    if (await receiveOnce(execute, consumer, event.messageId)) {
      await client.query('INSERT INTO effects (consumer, message_id) VALUES ($1, $2)', [consumer, event.messageId]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** How many times `consumer` applied `messageId` (any consumer when none is named). */
export const effectsOf = async (pool: pg.Pool, messageId: string, consumer?: string): Promise<number> =>
  (
    await pool.query('SELECT 1 FROM effects WHERE message_id = $1 AND consumer = coalesce($2, consumer)', [
      messageId,
      consumer ?? null,
    ])
  ).rowCount ?? 0;

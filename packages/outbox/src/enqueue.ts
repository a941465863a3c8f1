import { validate as isUuid, v7 as uuidv7 } from 'uuid';

/**
 * Runs one parameterised statement ($1, $2, …) on the caller's transaction, e.g.
 * `(sql, values) => tx.$executeRawUnsafe(sql, ...values)` in a Prisma interactive transaction or
 * `(sql, values) => client.query(sql, values)` with a pg client.
 */
export type SqlExecutor = (sql: string, values: unknown[]) => Promise<unknown>;

export interface OutboxEvent {
  readonly exchange: string;
  readonly routingKey: string;
  /** Sent as JSON. */
  readonly payload: object;
  /** A UUID; a new UUIDv7 when absent. It becomes the AMQP messageId consumers deduplicate by. */
  readonly messageId?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const COLUMNS = 5;
// PostgreSQL takes at most 65 535 bind parameters per statement.
const ROWS_PER_STATEMENT = 1_000;

function check(event: OutboxEvent): void {
  if (typeof event.exchange !== 'string') throw new TypeError('outbox event needs an exchange name');
  if (typeof event.routingKey !== 'string') throw new TypeError('outbox event needs a routing key');
  if (typeof event.payload !== 'object' || event.payload === null)
    throw new TypeError('outbox event payload must be an object');
  if (event.messageId !== undefined && !isUuid(event.messageId))
    throw new TypeError(`outbox messageId must be a UUID, got "${event.messageId}"`);
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (typeof value !== 'string') throw new TypeError(`outbox header "${name}" must be a string`);
}

/**
 * Inserts events into `outbox_messages` through `execute`, which must run on the transaction
 * that makes the business change: the events then exist exactly when that change commits.
 * Returns the message ids, in the order of `events`.
 */
export async function enqueue(execute: SqlExecutor, events: readonly OutboxEvent[]): Promise<string[]> {
  for (const event of events) check(event);
  const ids = events.map((event) => event.messageId ?? uuidv7());
  for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
    const chunk = events.slice(start, start + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    const rows = chunk.map((event, i) => {
      values.push(
        ids[start + i],
        event.exchange,
        event.routingKey,
        JSON.stringify(event.payload),
        JSON.stringify(event.headers ?? {}),
      );
      const p = i * COLUMNS;
      return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}::jsonb, $${p + 5}::jsonb)`;
    });
    await execute(
      `INSERT INTO outbox_messages (id, exchange, routing_key, payload, headers) VALUES ${rows.join(', ')}`,
      values,
    );
  }
  return ids;
}

import type { Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import {
  type InTransaction,
  inboxLookup,
  type SagaOutcome,
  sagaReplyCommitter,
  startSagaParticipant,
} from '../src/index.js';

/**
 * A saga participant for the tests, shaped like the real ones: its domain service is idempotent
 * per order (one reservations row per order), and a release is final (a late reserve is refused).
 */
export const WAREHOUSE_SCHEMA = `
  CREATE TABLE stock (
    sku      text PRIMARY KEY,
    quantity integer NOT NULL CHECK (quantity >= 0)
  );
  CREATE TABLE reservations (
    order_id uuid PRIMARY KEY,
    sku      text NOT NULL REFERENCES stock,
    quantity integer NOT NULL,
    status   text NOT NULL DEFAULT 'RESERVED' CHECK (status IN ('RESERVED', 'RELEASED'))
  );`;

export async function inTransactionOf<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const reserveData = z.object({ sku: z.string().min(1), quantity: z.number().int().min(1) });

/** The domain service: takes stock for an order once; the same order again gets the same answer. */
async function reserve(pool: pg.Pool, orderId: string, sku: string, quantity: number): Promise<SagaOutcome> {
  return inTransactionOf(pool, async (client) => {
    const previous = await client.query<{ sku: string; quantity: number; status: string }>(
      'SELECT sku, quantity, status FROM reservations WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    const [reservation] = previous.rows;
    if (reservation?.status === 'RELEASED') return { outcome: 'REFUSED', reason: 'ALREADY_RELEASED' };
    if (reservation) return { outcome: 'DONE', data: { sku: reservation.sku, quantity: reservation.quantity } };
    const taken = await client.query('UPDATE stock SET quantity = quantity - $2 WHERE sku = $1 AND quantity >= $2', [
      sku,
      quantity,
    ]);
    if (taken.rowCount !== 1) return { outcome: 'REFUSED', reason: 'OUT_OF_STOCK' };
    // Two deliveries of one order at once: the loser's unique violation is retried and sees the winner's row.
    await client.query('INSERT INTO reservations (order_id, sku, quantity) VALUES ($1, $2, $3)', [
      orderId,
      sku,
      quantity,
    ]);
    return { outcome: 'DONE', data: { sku, quantity } };
  });
}

/** Gives an order's stock back once; answers with what the order had reserved (0 for none). */
async function release(pool: pg.Pool, orderId: string): Promise<SagaOutcome> {
  return inTransactionOf(pool, async (client) => {
    const released = await client.query<{ sku: string; quantity: number }>(
      `UPDATE reservations SET status = 'RELEASED' WHERE order_id = $1 AND status = 'RESERVED' RETURNING sku, quantity`,
      [orderId],
    );
    for (const row of released.rows) {
      await client.query('UPDATE stock SET quantity = quantity + $2 WHERE sku = $1', [row.sku, row.quantity]);
    }
    const reserved = await client.query<{ quantity: number }>('SELECT quantity FROM reservations WHERE order_id = $1', [
      orderId,
    ]);
    return { outcome: 'DONE', data: { released: reserved.rows[0]?.quantity ?? 0 } };
  });
}

export interface WarehouseFaults {
  /** Orders whose reserve handler throws once, right after its effect committed (a crash before the reply). */
  readonly crashAfterEffect: Set<string>;
  /** Transactions of the reply commit that fail after their work, before COMMIT (rolled back). */
  commitFailures: number;
}

export interface Warehouse {
  /** Every handler run: which order, action and attempt. */
  readonly calls: { readonly orderId: string; readonly action: string; readonly attempt: number }[];
  readonly faults: WarehouseFaults;
}

/** Starts the `warehouse` participant on `rabbit`, committing replies to `pool`'s outbox. */
export async function startWarehouse(options: {
  rabbit: Rabbit;
  pool: pg.Pool;
  logger: Logger;
  registry?: Registry;
  /** Skip commands already answered with the read-only inbox check. */
  lookup: boolean;
}): Promise<Warehouse> {
  const { pool } = options;
  const warehouse: Warehouse = { calls: [], faults: { crashAfterEffect: new Set(), commitFailures: 0 } };
  const counting = (client: pg.PoolClient) => async (sql: string, values: unknown[]) =>
    (await client.query(sql, values)).rowCount ?? 0;
  const inTransaction: InTransaction = (work) =>
    inTransactionOf(pool, async (client) => {
      const result = await work(counting(client));
      if (warehouse.faults.commitFailures > 0) {
        warehouse.faults.commitFailures -= 1;
        throw new Error('connection lost before COMMIT');
      }
      return result;
    });
  await startSagaParticipant({
    rabbit: options.rabbit,
    logger: options.logger,
    registry: options.registry,
    participant: 'warehouse',
    retry: { initialDelayMs: 10, maxDelayMs: 50 },
    actions: {
      reserve: {
        data: reserveData,
        result: 'reserved',
        handle: async (command) => {
          warehouse.calls.push({ orderId: command.orderId, action: 'reserve', attempt: command.attempt });
          const outcome = await reserve(pool, command.orderId, command.data.sku, command.data.quantity);
          if (warehouse.faults.crashAfterEffect.delete(command.orderId)) throw new Error('crashed after the effect');
          return outcome;
        },
      },
      release: {
        data: z.object({}),
        result: 'released',
        handle: async (command) => {
          warehouse.calls.push({ orderId: command.orderId, action: 'release', attempt: command.attempt });
          return release(pool, command.orderId);
        },
      },
    },
    commit: sagaReplyCommitter(inTransaction),
    ...(options.lookup
      ? { alreadyCommitted: inboxLookup(async (sql, values) => (await pool.query(sql, values)).rowCount ?? 0) }
      : {}),
  });
  return warehouse;
}

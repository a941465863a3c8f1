import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { SaleReservation, TimeSaleProduct } from '../../generated/prisma/client.js';
import type { Database } from '../../persistence/database.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';
import {
  BelowSoldError,
  type HeldState,
  parseOrderEntry,
  releasedEntry,
  reservedEntry,
  restoreSaleProduct,
  writeSaleProductRules,
} from '../../redis/scripts.js';
import { rulesOf } from '../sales/writes.js';
import type { SaleStock } from './sale-stock.js';

export interface StockReconcileReport {
  /** Sale products whose Redis state was missing and rebuilt from PostgreSQL. */
  readonly restored: string[];
  /** Reservations only Redis had, now recorded in PostgreSQL. */
  readonly recorded: number;
  /** Reservations given back in Redis (released in PostgreSQL, or the order released before recording). */
  readonly givenBack: number;
  /** Reservations only PostgreSQL had, now counted in Redis. */
  readonly adopted: number;
}

export interface StockReconcileDependencies {
  readonly db: Database;
  readonly redis: Redis;
  readonly keyspace: TimesalesKeyspace;
  readonly clock: Clock;
  readonly stock: SaleStock;
  readonly logger: Logger;
}

/** What the RESERVE script would have written for these reservations. */
function heldState(reservations: readonly SaleReservation[]): HeldState {
  const orders: Record<string, string> = {};
  const users: Record<string, number> = {};
  let sold = 0;
  for (const reservation of reservations) {
    if (reservation.status === 'RESERVED') {
      orders[reservation.orderId] = reservedEntry(reservation.quantity, reservation.userId);
      users[reservation.userId] = (users[reservation.userId] ?? 0) + reservation.quantity;
      sold += reservation.quantity;
    } else {
      orders[reservation.orderId] = releasedEntry(reservation.quantity, reservation.userId);
    }
  }
  return { sold, orders, users };
}

/**
 * Brings Redis and PostgreSQL together for every sale product that can still sell, at start-up
 * (safe alongside live traffic on other replicas). A sale product without Redis state is rebuilt
 * from PostgreSQL. Otherwise its rules are rewritten from PostgreSQL and the reservations
 * compared: Redis is read before PostgreSQL, so a reservation in flight is seen in PostgreSQL
 * at least as far along as in Redis, and every repair is idempotent.
 */
export async function reconcileSaleStock(deps: StockReconcileDependencies): Promise<StockReconcileReport> {
  const { db, clock } = deps;
  const saleProducts = await db.timeSaleProduct.findMany({
    where: { saleDeleted: false, saleEndAt: { gt: clock.now() } },
    orderBy: { id: 'asc' },
  });
  const report = { restored: [] as string[], recorded: 0, givenBack: 0, adopted: 0 };
  for (const saleProduct of saleProducts) {
    const found = await reconcileSaleProduct(deps, saleProduct);
    if (found === 'restored') report.restored.push(saleProduct.id);
    else {
      report.recorded += found.recorded;
      report.givenBack += found.givenBack;
      report.adopted += found.adopted;
    }
  }
  return report;
}

async function reconcileSaleProduct(
  deps: StockReconcileDependencies,
  saleProduct: TimeSaleProduct,
): Promise<'restored' | { recorded: number; givenBack: number; adopted: number }> {
  const { db, redis, keyspace, stock } = deps;
  const keys = keyspace.saleProduct(saleProduct.id);
  const entries = await redis.hgetall(keys.orders);
  const reservations = await db.saleReservation.findMany({ where: { timeSaleProductId: saleProduct.id } });
  if (await restoreSaleProduct(redis, keyspace, saleProduct.id, rulesOf(saleProduct), heldState(reservations))) {
    return 'restored';
  }
  try {
    await writeSaleProductRules(redis, keyspace, saleProduct.id, rulesOf(saleProduct));
  } catch (error) {
    if (!(error instanceof BelowSoldError)) throw error;
    deps.logger.warn({ timeSaleProductId: saleProduct.id, sold: error.sold }, 'Redis holds more than the total');
  }

  const byOrder = new Map(reservations.map((reservation) => [reservation.orderId, reservation]));
  const counts = { recorded: 0, givenBack: 0, adopted: 0 };
  for (const [orderId, entry] of Object.entries(entries)) {
    const held = parseOrderEntry(entry);
    if (held?.outcome !== 'RESERVED') continue;
    const row = byOrder.get(orderId);
    if (row?.status === 'RELEASED') {
      if ((await stock.giveBack(saleProduct.id, orderId, 'release')) > 0) counts.givenBack += 1;
    } else if (!row) {
      const request = {
        orderId,
        userId: held.userId,
        timeSaleProductId: saleProduct.id,
        quantity: held.quantity,
      };
      const recorded = await stock.record(request, deps.clock.now());
      if (recorded.kind === 'recorded') counts.recorded += 1;
      if (recorded.kind === 'order-released' && (await stock.giveBack(saleProduct.id, orderId, 'release')) > 0) {
        counts.givenBack += 1;
      }
    }
  }
  for (const reservation of reservations) {
    if (
      reservation.status !== 'RESERVED' ||
      parseOrderEntry(entries[reservation.orderId] ?? '')?.outcome === 'RESERVED'
    )
      continue;
    const adopted = await redis.saleAdopt(
      keys.sold,
      keys.orders,
      keys.users,
      reservation.orderId,
      reservation.userId,
      reservation.quantity,
    );
    if (adopted === 0) continue;
    counts.adopted += 1;
    // A release may have committed since PostgreSQL was read: its Redis side then found nothing to give back.
    const now = await db.saleReservation.findUnique({
      where: { orderId_timeSaleProductId: { orderId: reservation.orderId, timeSaleProductId: saleProduct.id } },
      select: { status: true },
    });
    if (now?.status === 'RELEASED') await stock.giveBack(saleProduct.id, reservation.orderId, 'release');
  }
  return counts;
}

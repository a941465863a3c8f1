import type { Logger } from '@radiata/observability';
import { type Clock, isId } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { Database, Transaction } from '../../persistence/database.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';
import type { ReserveOutcome } from '../../redis/scripts.js';
import type { QuantityAnnouncement, SaleAnnouncements } from '../schedule/announcements.js';
import type { SaleTransitions } from '../schedule/transitions.js';

export interface ReserveRequest {
  readonly orderId: string;
  readonly userId: string;
  readonly timeSaleProductId: string;
  readonly quantity: number;
}

export interface ReserveResult {
  /** RESERVED: the quantity is the order's, durably (PostgreSQL has it); anything else holds nothing. */
  readonly outcome: ReserveOutcome;
  /** What is left of the sale product after this decision. */
  readonly remainingQuantity: number;
}

/** What recording a reservation Redis accepted found. */
export type Recorded =
  | { readonly kind: 'recorded'; readonly timeSaleId: string; readonly productId: string; readonly soldOut: boolean }
  | { readonly kind: 'already-recorded' }
  | { readonly kind: 'order-released' };

/** Serializes the PostgreSQL side of reserving and releasing one order (see `record` and `release`). */
const lockOrder = (tx: Transaction, orderId: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderId}, 0))`;

/**
 * Sale quantity for the order saga. Redis decides (one atomic script per sale product: selling
 * now, enough left, per-user limit, idempotent per order); PostgreSQL records each accepted
 * reservation right after, in one transaction (sale_reservations row, with the sale product's
 * discount rate at that moment, + sold_quantity), and only then is RESERVED answered. So every
 * RESERVED a caller hears is durable in PostgreSQL whatever happens to Redis, and Redis can be
 * rebuilt from it.
 *
 * Crash windows, and what closes each:
 * - Redis accepted, PostgreSQL write failed: the reservation is forgotten in Redis and the error
 *   thrown; the order may try again.
 * - Redis accepted, then the process died before PostgreSQL committed: Redis holds quantity the
 *   caller never heard about. The caller's retry (same order) records it; a release of the order
 *   meanwhile leaves a released_orders row that makes any later recording give it back instead;
 *   the start-up reconciliation records or gives back whatever is still only in Redis.
 *   Remaining gap: until one of those happens the quantity is held without an owner (it can
 *   only be undersold, never oversold), and if Redis loses its data in that time the
 *   reservation is gone, which is harmless as nobody was told RESERVED.
 * - PostgreSQL released, the process died before Redis gave it back: Redis still counts it
 *   (undersold) until the release is redelivered (every release re-applies the Redis side of all
 *   the order's released rows) or the start-up reconciliation does it.
 * - Refusals are remembered in Redis only: after Redis loses its data a replayed reserve of a
 *   refused order is decided again, unless the order was released (released_orders).
 */
export class SaleStock {
  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly keyspace: TimesalesKeyspace,
    private readonly clock: Clock,
    private readonly transitions: SaleTransitions,
    private readonly announcements: SaleAnnouncements,
    private readonly logger: Logger,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const { orderId, userId, timeSaleProductId, quantity } = request;
    if (!isId(orderId) || !isId(userId)) throw new TypeError('orderId and userId must be UUIDs');
    if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`invalid quantity ${quantity}`);
    if (!isId(timeSaleProductId)) return { outcome: 'NOT_FOUND', remainingQuantity: 0 };

    const keys = this.keyspace.saleProduct(timeSaleProductId);
    const now = this.clock.now();
    const [outcome, remainingQuantity, heldQuantity, heldBy] = await this.redis.saleReserve(
      keys.meta,
      keys.sold,
      keys.orders,
      keys.users,
      orderId,
      userId,
      quantity,
      now.getTime(),
    );
    if (outcome !== 'RESERVED') return { outcome, remainingQuantity };

    let recorded: Recorded;
    try {
      // What Redis holds for the order: a replay asking for another quantity changes nothing.
      recorded = await this.record({ ...request, quantity: heldQuantity, userId: heldBy }, now);
    } catch (error) {
      await this.giveBack(timeSaleProductId, orderId, 'forget');
      throw error;
    }
    if (recorded.kind === 'order-released') {
      const left = remainingQuantity + (await this.giveBack(timeSaleProductId, orderId, 'release'));
      return { outcome: 'ALREADY_RELEASED', remainingQuantity: left };
    }
    if (recorded.kind === 'recorded') {
      if (recorded.soldOut) await this.soldOutIfComplete(recorded.timeSaleId);
      const announcement: QuantityAnnouncement = {
        key: timeSaleProductId,
        timeSaleId: recorded.timeSaleId,
        productId: recorded.productId,
        remainingQuantity,
      };
      await this.announcements.quantities([announcement]);
    }
    return { outcome: 'RESERVED', remainingQuantity };
  }

  /**
   * Gives back everything an order holds, once: a redelivered release (or one for an order that
   * never reserved) gives nothing back twice, and a reserve of the order arriving later answers
   * ALREADY_RELEASED. Returns how many sale products it gave back quantity of.
   */
  async release(orderId: string): Promise<{ released: number }> {
    if (!isId(orderId)) throw new TypeError('orderId must be a UUID');
    const { released, all } = await this.db.$transaction(async (tx) => {
      await lockOrder(tx, orderId);
      await tx.$executeRaw`INSERT INTO released_orders (order_id) VALUES (${orderId}::uuid) ON CONFLICT DO NOTHING`;
      const rows = await tx.$queryRaw<{ time_sale_product_id: string; quantity: number }[]>`
          UPDATE sale_reservations SET status = 'RELEASED', released_at = ${this.clock.now()}::timestamptz
          WHERE order_id = ${orderId}::uuid AND status = 'RESERVED'
          RETURNING time_sale_product_id::text, quantity`;
      // A fixed order (by id) keeps concurrent releases from deadlocking.
      rows.sort((a, b) => a.time_sale_product_id.localeCompare(b.time_sale_product_id));
      for (const row of rows) {
        await tx.$executeRaw`
            UPDATE time_sale_products SET sold_quantity = sold_quantity - ${row.quantity}::int, updated_at = now()
            WHERE id = ${row.time_sale_product_id}::uuid`;
      }
      const everything = await tx.saleReservation.findMany({
        where: { orderId },
        select: { timeSaleProductId: true },
      });
      return { released: rows.length, all: everything.map((row) => row.timeSaleProductId) };
    });
    // Every released row, not only the ones released now: a redelivery finishes what a crash interrupted.
    for (const timeSaleProductId of all) await this.giveBack(timeSaleProductId, orderId, 'release');
    if (released > 0) {
      const products = await this.db.timeSaleProduct.findMany({
        where: { id: { in: all } },
        select: { id: true, timeSaleId: true, productId: true, totalQuantity: true },
      });
      await this.announceRemaining(products).catch((error: unknown) => {
        this.logger.warn({ err: error, orderId }, 'announcing released sale quantity failed');
      });
    }
    return { released };
  }

  /** Quantity held per sale product, live from Redis (null where Redis has no state for it). */
  async soldCounts(timeSaleProductIds: readonly string[]): Promise<(number | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of timeSaleProductIds) pipeline.get(this.keyspace.saleProduct(id).sold);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, sold]) => {
      if (error) throw error;
      return sold === null ? null : Number(sold);
    });
  }

  /**
   * Records in PostgreSQL a reservation Redis accepted, unless the order was released meanwhile
   * (then the caller gives it back in Redis). Idempotent: the (order, sale product) key makes a
   * second recording a no-op. Also used by the reconciliation for reservations only Redis has.
   */
  async record(request: ReserveRequest, reservedAt: Date): Promise<Recorded> {
    const { orderId, userId, timeSaleProductId, quantity } = request;
    return this.db.$transaction(async (tx): Promise<Recorded> => {
      await lockOrder(tx, orderId);
      const released = await tx.releasedOrder.findUnique({ where: { orderId } });
      if (released) return { kind: 'order-released' };
      // The rate goes with the reservation: the saga's reply reports it, the same to every resend.
      const inserted = await tx.$executeRaw`
          INSERT INTO sale_reservations (order_id, time_sale_product_id, user_id, quantity, discount_rate, reserved_at)
          VALUES (${orderId}::uuid, ${timeSaleProductId}::uuid, ${userId}::uuid, ${quantity}::int,
                  (SELECT discount_rate FROM time_sale_products WHERE id = ${timeSaleProductId}::uuid),
                  ${reservedAt}::timestamptz)
          ON CONFLICT DO NOTHING`;
      if (inserted === 0) return { kind: 'already-recorded' };
      const [product] = await tx.$queryRaw<
        { time_sale_id: string; product_id: string; sold_quantity: number; total_quantity: number }[]
      >`
          UPDATE time_sale_products SET sold_quantity = sold_quantity + ${quantity}::int, updated_at = now()
          WHERE id = ${timeSaleProductId}::uuid
          RETURNING time_sale_id::text, product_id::text, sold_quantity, total_quantity`;
      if (!product) throw new Error(`time sale product ${timeSaleProductId} is not in PostgreSQL`);
      return {
        kind: 'recorded',
        timeSaleId: product.time_sale_id,
        productId: product.product_id,
        soldOut: product.sold_quantity >= product.total_quantity,
      };
    });
  }

  /** Gives an order's quantity of one sale product back in Redis (see the RELEASE script); returns it. */
  async giveBack(timeSaleProductId: string, orderId: string, mode: 'release' | 'forget'): Promise<number> {
    const keys = this.keyspace.saleProduct(timeSaleProductId);
    try {
      return await this.redis.saleRelease(keys.sold, keys.orders, keys.users, orderId, mode);
    } catch (error) {
      // Redis keeps counting it: undersold until a redelivery or the start-up reconciliation.
      this.logger.error({ err: error, timeSaleProductId, orderId, mode }, 'giving sale quantity back in Redis failed');
      return 0;
    }
  }

  /** After a reservation committed: SOLD_OUT when it sold the sale's last unit. */
  private async soldOutIfComplete(timeSaleId: string): Promise<void> {
    try {
      await this.transitions.soldOutIfComplete(timeSaleId);
    } catch (error) {
      // The scheduler's next pass checks sold-out sales too.
      this.logger.error({ err: error, timeSaleId }, 'recording a sold-out sale failed');
    }
  }

  /** What is left of sale products after a release, announced for live views. */
  private async announceRemaining(
    products: readonly {
      readonly id: string;
      readonly timeSaleId: string;
      readonly productId: string;
      readonly totalQuantity: number;
    }[],
  ): Promise<void> {
    const sold = await this.soldCounts(products.map((product) => product.id));
    await this.announcements.quantities(
      products.map((product, index) => ({
        key: product.id,
        timeSaleId: product.timeSaleId,
        productId: product.productId,
        remainingQuantity: Math.max(0, product.totalQuantity - (sold[index] ?? 0)),
      })),
    );
  }
}

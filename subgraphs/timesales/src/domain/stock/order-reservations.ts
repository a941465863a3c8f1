import type { Clock } from '@radiata/service-runtime';
import type { Database } from '../../persistence/database.js';
import { phaseAt, sellingWindow } from '../sales/window-rules.js';
import {
  mergeItems,
  refusalOf,
  refusalReasonOf,
  type SaleItem,
  type SaleItemRef,
  type SaleProductCandidate,
  type SaleRefusal,
  type SaleRefusalReason,
  saleProductFor,
} from './order-reservation-rules.js';
import type { SaleStock } from './sale-stock.js';

/** A line of an order the sale quantity is held for, at the rate it was reserved at. */
export interface ReservedSaleItem extends SaleItemRef {
  readonly timeSaleProductId: string;
  readonly quantity: number;
  /** The sale product's discount rate (%) when it was reserved. */
  readonly discountRate: number;
}

export type OrderReservation =
  | { readonly ok: true; readonly items: readonly ReservedSaleItem[] }
  | ({ readonly ok: false } & SaleRefusal);

/**
 * The order saga's sale-quantity step: all of an order's sale items or none, over SaleStock's
 * reservation of one sale product.
 *
 * Every answer holds for good, so a resent command gets the same one: a reservation is answered
 * from what PostgreSQL recorded with it (quantity, discount rate), and a refusal is stored in the
 * order's tombstone (released_orders.refusal) before what the order already held is given back
 * (SaleStock.release, which also makes any late reservation of the order give itself back). A
 * crash between the two is finished by the next delivery, which finds the stored refusal.
 */
export class OrderReservations {
  constructor(
    private readonly db: Database,
    private readonly stock: SaleStock,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves every item for the order (lines naming the same sale product count as one), or
   * none: the first item refused is the answer, and what the items before it took is given back.
   * Throws only what a retry may fix (PostgreSQL or Redis unavailable, Redis without the state of
   * a sale product that sells now).
   */
  async reserve(orderId: string, userId: string, items: readonly SaleItem[]): Promise<OrderReservation> {
    const lines = mergeItems(items);
    if (lines.length === 0) throw new RangeError('an order reserves at least one item');
    const tombstone = await this.tombstoneOf(orderId);
    if (tombstone) {
      // A refusal is stored before the order's holdings are given back: finish that, should a crash have stopped it.
      if (tombstone.refusal) await this.stock.release(orderId);
      return { ok: false, ...refusalOf(tombstone, lines) };
    }
    const saleProducts = await this.saleProductsOf(orderId, lines);
    const reserved: string[] = [];
    for (const [index, line] of lines.entries()) {
      const saleProduct = saleProducts[index];
      if (!saleProduct) return this.refuse(orderId, 'NOT_IN_SALE', line, lines);
      const { outcome } = await this.stock.reserve({
        orderId,
        userId,
        timeSaleProductId: saleProduct.id,
        quantity: line.quantity,
      });
      if (outcome !== 'RESERVED') {
        const reason =
          outcome === 'NOT_FOUND' ? await this.whyUnknownToRedis(saleProduct.id) : refusalReasonOf(outcome);
        return this.refuse(orderId, reason, line, lines);
      }
      reserved.push(saleProduct.id);
    }
    return this.recorded(orderId, lines, reserved);
  }

  /**
   * Gives back everything the order holds and leaves its tombstone (SaleStock.release). Answers
   * how many sale products the order had given back, the same to every resend.
   */
  async release(orderId: string): Promise<{ released: number }> {
    await this.stock.release(orderId);
    return { released: await this.db.saleReservation.count({ where: { orderId, status: 'RELEASED' } }) };
  }

  private tombstoneOf(orderId: string) {
    return this.db.releasedOrder.findUnique({
      where: { orderId },
      select: { refusal: true, refusedTimeSaleId: true, refusedProductId: true },
    });
  }

  /** Per line, the sale product it reserves (undefined: the sale does not hold that product). */
  private async saleProductsOf(
    orderId: string,
    lines: readonly SaleItem[],
  ): Promise<(SaleProductCandidate | undefined)[]> {
    const rows = await this.db.timeSaleProduct.findMany({
      where: { OR: lines.map(({ timeSaleId, productId }) => ({ timeSaleId, productId })) },
      select: {
        id: true,
        timeSaleId: true,
        productId: true,
        saleDeleted: true,
        startAt: true,
        endAt: true,
        saleStartAt: true,
        saleEndAt: true,
        product: { select: { deleted: true } },
        reservations: { where: { orderId }, select: { orderId: true } },
      },
      orderBy: { id: 'asc' },
    });
    const candidates = rows.map(
      (row): SaleProductCandidate => ({
        id: row.id,
        timeSaleId: row.timeSaleId,
        productId: row.productId,
        window: sellingWindow(row),
        withdrawn: row.saleDeleted || row.product.deleted,
        heldByOrder: row.reservations.length > 0,
      }),
    );
    const now = this.clock.now();
    return lines.map((line) => saleProductFor(line, candidates, now));
  }

  /**
   * Redis knows no rules for a sale product PostgreSQL found: its sale was deleted meanwhile, or
   * it cannot sell now (the start-up reconciliation restores only those that still can); else
   * Redis lost its state, and the command is retried until a reconciliation has restored it.
   */
  private async whyUnknownToRedis(timeSaleProductId: string): Promise<SaleRefusalReason> {
    const saleProduct = await this.db.timeSaleProduct.findUnique({ where: { id: timeSaleProductId } });
    if (!saleProduct || saleProduct.saleDeleted) return 'NOT_IN_SALE';
    if (phaseAt(sellingWindow(saleProduct), this.clock.now()) !== 'RUNNING') return 'SALE_NOT_LIVE';
    throw new Error(`Redis has no state for sale product ${timeSaleProductId}; a reconciliation restores it`);
  }

  /** Stores the refusal, gives back what the order holds, and answers what is stored (the first refusal stored wins). */
  private async refuse(
    orderId: string,
    reason: SaleRefusalReason,
    item: SaleItemRef,
    lines: readonly SaleItemRef[],
  ): Promise<OrderReservation> {
    // ALREADY_RELEASED: the tombstone is there already.
    if (reason !== 'ALREADY_RELEASED') {
      await this.db.$executeRaw`
          INSERT INTO released_orders (order_id, refusal, refused_time_sale_id, refused_product_id)
          VALUES (${orderId}::uuid, ${reason}::sale_refusal, ${item.timeSaleId}::uuid, ${item.productId}::uuid)
          ON CONFLICT DO NOTHING`;
    }
    await this.stock.release(orderId);
    const tombstone = await this.tombstoneOf(orderId);
    if (!tombstone) throw new Error(`order ${orderId} was released without a tombstone`);
    return { ok: false, ...refusalOf(tombstone, lines) };
  }

  /** The answer once every line is reserved: what PostgreSQL recorded, unless the order was released meanwhile. */
  private async recorded(
    orderId: string,
    lines: readonly SaleItem[],
    timeSaleProductIds: readonly string[],
  ): Promise<OrderReservation> {
    const rows = await this.db.saleReservation.findMany({
      where: { orderId, timeSaleProductId: { in: [...timeSaleProductIds] } },
      select: { timeSaleProductId: true, quantity: true, discountRate: true, status: true },
    });
    const byId = new Map(rows.map((row) => [row.timeSaleProductId, row]));
    const items: ReservedSaleItem[] = [];
    for (const [index, line] of lines.entries()) {
      const row = byId.get(timeSaleProductIds[index] as string);
      if (row?.status !== 'RESERVED') {
        // A release of the order committed after SaleStock answered RESERVED.
        const tombstone = await this.tombstoneOf(orderId);
        if (tombstone) return { ok: false, ...refusalOf(tombstone, lines) };
        throw new Error(`order ${orderId} holds no recorded reservation of ${timeSaleProductIds[index]}`);
      }
      items.push({
        timeSaleId: line.timeSaleId,
        productId: line.productId,
        timeSaleProductId: row.timeSaleProductId,
        quantity: row.quantity,
        discountRate: row.discountRate,
      });
    }
    return { ok: true, items };
  }
}

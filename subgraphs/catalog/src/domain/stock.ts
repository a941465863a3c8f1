import { type Clock, isUniqueViolation, newId } from '@radiata/service-runtime';
import { Prisma, type Product } from '../generated/prisma/client.js';
import { CATALOG_EXCHANGE, productEvents, type RecordEvents } from '../messaging/catalog-events.js';
import type { Database, Transaction } from '../persistence/database.js';

type StockRow = Pick<Product, 'id' | 'brandId' | 'price' | 'discountAmount' | 'stock' | 'status' | 'version'> & {
  previousStatus: Product['status'];
};

/** What the stock UPDATE returns. */
interface UpdatedStockRow {
  id: string;
  brand_id: string;
  price: number;
  discount_amount: number;
  stock: number;
  status: Product['status'];
  version: number;
  updated_at: Date;
}

/**
 * The conditional UPDATE every stock change is: it never takes stock below zero, whatever runs
 * concurrently. Status follows: ON_SALE ↔ SOLD_OUT at zero (HIDDEN stays HIDDEN). No row when
 * the product does not exist, is deleted, has too little stock, or (with `onSaleOnly`) is not ON_SALE.
 */
const stockUpdate = (productId: string, delta: number, onSaleOnly: boolean): Prisma.Sql => Prisma.sql`
    UPDATE products p SET
      stock = p.stock + ${delta}::int,
      status = CASE
        WHEN p.status = 'HIDDEN' THEN p.status
        WHEN p.stock + ${delta}::int = 0 THEN 'SOLD_OUT'::product_status
        ELSE 'ON_SALE'::product_status
      END,
      version = p.version + 1,
      updated_at = now()
    WHERE p.id = ${productId}::uuid
      AND p.deleted_at IS NULL
      AND p.stock + ${delta}::int >= 0
      AND (NOT ${onSaleOnly}::boolean OR p.status = 'ON_SALE')
    RETURNING p.id, p.brand_id, p.price, p.discount_amount, p.stock, p.status, p.version, p.updated_at`;

// Status is a function of stock (outside HIDDEN), so the one before is known without reading it.
const previousStatusOf = (row: Pick<UpdatedStockRow, 'status' | 'stock'>, delta: number): Product['status'] =>
  row.status === 'HIDDEN' ? 'HIDDEN' : row.stock - delta === 0 ? 'SOLD_OUT' : 'ON_SALE';

const stockRow = (row: UpdatedStockRow, delta: number): StockRow => ({
  id: row.id,
  brandId: row.brand_id,
  price: row.price,
  discountAmount: row.discount_amount,
  stock: row.stock,
  status: row.status,
  previousStatus: previousStatusOf(row, delta),
  version: row.version,
});

/**
 * Adds `delta` (negative: removes) to a product's stock inside the caller's transaction (see
 * stockUpdate). Null when the product does not exist, is deleted, has too little stock, or
 * (with `onSaleOnly`) is not ON_SALE.
 */
export async function changeStock(
  tx: Transaction,
  productId: string,
  delta: number,
  options: { onSaleOnly?: boolean } = {},
): Promise<StockRow | null> {
  const [row] = await tx.$queryRaw<UpdatedStockRow[]>(stockUpdate(productId, delta, options.onSaleOnly ?? false));
  return row ? stockRow(row, delta) : null;
}

/**
 * Adds `delta` to a product's stock and records its `catalog.product.stock-changed` event in ONE
 * statement: the conditional UPDATE, and the outbox row built from the row it returned (the
 * columns `enqueue` of @radiata/outbox writes), committed together. Concurrent adjustments of a
 * product then queue on its row lock inside PostgreSQL for the length of one statement, instead
 * of each holding a pool connection through an interactive transaction while it waits (which
 * ran the pool dry under a burst). Null when there is no live product or too little stock.
 */
export async function adjustStockAtomically(
  db: Database,
  product: Pick<Product, 'id' | 'brandId'>,
  delta: number,
  at: Date,
): Promise<(StockRow & { updatedAt: Date }) | null> {
  // The event as productEvents builds it; what only the UPDATE knows is filled in by SQL below.
  const event = productEvents.stockChanged(
    { ...product, price: 0, discountAmount: 0, stock: 0, status: '', version: 0 },
    { delta, previousStatus: '' },
    at,
  );
  const [row] = await db.$queryRaw<UpdatedStockRow[]>`
    WITH changed AS (${stockUpdate(product.id, delta, false)}),
    recorded AS (
      INSERT INTO outbox_messages (id, exchange, routing_key, payload)
      SELECT ${newId()}::uuid, ${CATALOG_EXCHANGE}, ${event.routingKey},
        ${JSON.stringify(event.payload)}::jsonb || jsonb_build_object(
          'stock', c.stock,
          'status', c.status,
          'version', c.version,
          'previousStatus', CASE
            WHEN c.status = 'HIDDEN' THEN 'HIDDEN'
            WHEN c.stock - ${delta}::int = 0 THEN 'SOLD_OUT'
            ELSE 'ON_SALE'
          END)
      FROM changed c
    )
    SELECT * FROM changed`;
  return row ? { ...stockRow(row, delta), updatedAt: row.updated_at } : null;
}

export interface ReservationItem {
  readonly productId: string;
  readonly quantity: number;
}

export type ReserveResult =
  | { readonly ok: true; readonly alreadyReserved: boolean }
  | { readonly ok: false; readonly reason: 'OUT_OF_STOCK' | 'ALREADY_RELEASED'; readonly productId?: string };

class OutOfStock extends Error {
  constructor(readonly productId: string) {
    super(`product ${productId} is out of stock`);
  }
}

/**
 * Stock for the order saga: an order reserves all its items or none, and releases them on
 * compensation. Both are idempotent per order (one stock_reservations row per order and
 * product), so a redelivered message changes nothing.
 */
export class StockService {
  constructor(
    private readonly db: Database,
    private readonly recordEvents: RecordEvents,
    private readonly clock: Clock,
  ) {}

  async reserve(orderId: string, items: readonly ReservationItem[]): Promise<ReserveResult> {
    const merged = mergeItems(items);
    try {
      return await this.db.$transaction(async (tx) => {
        const previous = await tx.stockReservation.findMany({ where: { orderId }, select: { status: true } });
        if (previous.some((row) => row.status === 'RELEASED')) return { ok: false, reason: 'ALREADY_RELEASED' };
        if (previous.length > 0) return { ok: true, alreadyReserved: true };
        // A fixed order (by product id) keeps concurrent multi-item orders from deadlocking.
        for (const item of merged) {
          const product = await changeStock(tx, item.productId, -item.quantity, { onSaleOnly: true });
          if (!product) throw new OutOfStock(item.productId);
          await tx.stockReservation.create({ data: { orderId, productId: item.productId, quantity: item.quantity } });
          await this.recordEvents(tx, [
            productEvents.stockChanged(
              product,
              {
                delta: -item.quantity,
                previousStatus: product.previousStatus,
                orderId,
              },
              this.clock.now(),
            ),
          ]);
        }
        return { ok: true, alreadyReserved: false };
      });
    } catch (error) {
      if (error instanceof OutOfStock) return { ok: false, reason: 'OUT_OF_STOCK', productId: error.productId };
      // The same order reserving twice at the same instant: the loser sees the winner's rows.
      if (isUniqueViolation(error)) return { ok: true, alreadyReserved: true };
      throw error;
    }
  }

  /** Gives an order's reserved stock back; a second call (or one for an unknown order) releases nothing. */
  async release(orderId: string): Promise<{ released: number }> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ product_id: string; quantity: number }[]>`
        UPDATE stock_reservations SET status = 'RELEASED', released_at = now()
        WHERE order_id = ${orderId}::uuid AND status = 'RESERVED'
        RETURNING product_id, quantity`;
      rows.sort((a, b) => a.product_id.localeCompare(b.product_id));
      for (const row of rows) {
        // Released stock goes back even to a product hidden since (a deleted one sells nothing more).
        const product = await changeStock(tx, row.product_id, row.quantity);
        if (product) {
          await this.recordEvents(tx, [
            productEvents.stockChanged(
              product,
              {
                delta: row.quantity,
                previousStatus: product.previousStatus,
                orderId,
              },
              this.clock.now(),
            ),
          ]);
        }
      }
      return { released: rows.length };
    });
  }
}

function mergeItems(items: readonly ReservationItem[]): ReservationItem[] {
  const quantities = new Map<string, number>();
  for (const item of items) {
    if (!Number.isInteger(item.quantity) || item.quantity < 1) throw new Error(`invalid quantity ${item.quantity}`);
    quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  }
  return [...quantities]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

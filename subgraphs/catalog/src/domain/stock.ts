import { type Clock, isId, newId } from '@radiata/service-runtime';
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

/** One product an order holds, as it was when reserved: what the saga's `reserved` reply reports. */
export interface ReservedItem {
  readonly productId: string;
  readonly brandId: string;
  /** The brand's owner (a SELLER's user id). */
  readonly sellerId: string;
  /** Won. */
  readonly price: number;
  /** Won off the price. */
  readonly discountAmount: number;
  readonly quantity: number;
}

/** Why an item could not be reserved: PRODUCT_NOT_FOUND for an unknown, deleted or HIDDEN product. */
export type StockRefusalReason = 'OUT_OF_STOCK' | 'PRODUCT_NOT_FOUND';

export type ReserveResult =
  | {
      readonly ok: true;
      /** True when an earlier call made the reservation (`items` are what it stored). */
      readonly alreadyReserved: boolean;
      /** By product id, one per product. */
      readonly items: readonly ReservedItem[];
    }
  | { readonly ok: false; readonly reason: StockRefusalReason; readonly productId: string }
  | { readonly ok: false; readonly reason: 'ALREADY_RELEASED' };

export interface ReleaseResult {
  /** Products whose stock this call gave back (0 when an earlier call did). */
  readonly released: number;
  /** Products the order has given back in all, by this call or an earlier one: the same on every repeat. */
  readonly releasedInAll: number;
}

// Stock is a PostgreSQL integer: no product holds more.
const MAX_QUANTITY = 2_147_483_647;

/**
 * Serializes reserving and releasing one order, so a release cannot slip between a reserve's
 * look at the order and its commit (which would reserve for an order already released).
 */
const lockOrder = (tx: Transaction, orderId: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderId}, 0))`;

const byProductId = (a: { productId: string }, b: { productId: string }) => a.productId.localeCompare(b.productId);

/**
 * Stock for the order saga (docs/ARCHITECTURE.md, "Order saga"): an order reserves all its items
 * or none, and releases them on compensation. Each order is decided once, and that decision is
 * stored and answered again to every repeat of the command (a redelivery, or orders resending it):
 * the reservation with its prices (stock_reservations), the refusal (stock_refusals), the release
 * (released_orders, written even for an order that reserved nothing, so a reserve arriving after
 * its compensation is refused ALREADY_RELEASED instead of holding stock).
 */
export class StockService {
  constructor(
    private readonly db: Database,
    private readonly recordEvents: RecordEvents,
    private readonly clock: Clock,
  ) {}

  async reserve(orderId: string, items: readonly ReservationItem[]): Promise<ReserveResult> {
    if (!isId(orderId)) throw new TypeError('orderId must be a UUID');
    const merged = mergeItems(items);
    return this.db.$transaction(async (tx): Promise<ReserveResult> => {
      await lockOrder(tx, orderId);
      const decided = await this.decision(tx, orderId);
      if (decided) return decided;
      // A refusal undoes the items taken before it and keeps only its own record.
      await tx.$executeRaw`SAVEPOINT reserve_items`;
      const reserved: ReservedItem[] = [];
      // A fixed order (by product id) keeps concurrent multi-item orders from deadlocking.
      for (const item of merged) {
        const taken = await this.take(tx, orderId, item);
        if (typeof taken === 'string') {
          await tx.$executeRaw`ROLLBACK TO SAVEPOINT reserve_items`;
          await tx.stockRefusal.create({ data: { orderId, reason: taken, productId: item.productId } });
          return { ok: false, reason: taken, productId: item.productId };
        }
        reserved.push(taken);
      }
      return { ok: true, alreadyReserved: false, items: reserved };
    });
  }

  /** Gives an order's reserved stock back once, and leaves the order's tombstone (see the class). */
  async release(orderId: string): Promise<ReleaseResult> {
    if (!isId(orderId)) throw new TypeError('orderId must be a UUID');
    return this.db.$transaction(async (tx) => {
      await lockOrder(tx, orderId);
      await tx.$executeRaw`INSERT INTO released_orders (order_id) VALUES (${orderId}::uuid) ON CONFLICT DO NOTHING`;
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
      const releasedInAll = await tx.stockReservation.count({ where: { orderId, status: 'RELEASED' } });
      return { released: rows.length, releasedInAll };
    });
  }

  /** What was decided for the order already, if anything: the answer every repeat gets. */
  private async decision(tx: Transaction, orderId: string): Promise<ReserveResult | null> {
    if (await tx.releasedOrder.findUnique({ where: { orderId } })) return { ok: false, reason: 'ALREADY_RELEASED' };
    const refusal = await tx.stockRefusal.findUnique({ where: { orderId } });
    if (refusal) return { ok: false, reason: refusal.reason, productId: refusal.productId };
    const rows = await tx.stockReservation.findMany({ where: { orderId } });
    if (rows.length === 0) return null;
    const items = rows.map(
      ({ productId, brandId, sellerId, price, discountAmount, quantity }): ReservedItem => ({
        productId,
        brandId,
        sellerId,
        price,
        discountAmount,
        quantity,
      }),
    );
    return { ok: true, alreadyReserved: true, items: items.sort(byProductId) };
  }

  /** Takes one item's stock and records it with the product's price and seller; the reason when it cannot. */
  private async take(
    tx: Transaction,
    orderId: string,
    item: ReservationItem,
  ): Promise<ReservedItem | StockRefusalReason> {
    const product =
      item.quantity <= MAX_QUANTITY
        ? await changeStock(tx, item.productId, -item.quantity, { onSaleOnly: true })
        : null;
    if (!product) return refusalOf(tx, item.productId);
    const brand = await tx.brand.findUniqueOrThrow({ where: { id: product.brandId }, select: { ownerId: true } });
    const reserved: ReservedItem = {
      productId: item.productId,
      brandId: product.brandId,
      sellerId: brand.ownerId,
      price: product.price,
      discountAmount: product.discountAmount,
      quantity: item.quantity,
    };
    await tx.stockReservation.create({ data: { orderId, ...reserved } });
    await this.recordEvents(tx, [
      productEvents.stockChanged(
        product,
        { delta: -item.quantity, previousStatus: product.previousStatus, orderId },
        this.clock.now(),
      ),
    ]);
    return reserved;
  }
}

/** Why a product's stock could not be taken (its conditional UPDATE changed nothing). */
async function refusalOf(tx: Transaction, productId: string): Promise<StockRefusalReason> {
  const product = await tx.product.findUnique({ where: { id: productId }, select: { status: true, deletedAt: true } });
  return product && product.deletedAt === null && product.status !== 'HIDDEN' ? 'OUT_OF_STOCK' : 'PRODUCT_NOT_FOUND';
}

/** One item per product (quantities added up), by product id; a malformed item is a programming error. */
function mergeItems(items: readonly ReservationItem[]): ReservationItem[] {
  if (items.length === 0) throw new Error('an order reserves at least one item');
  const quantities = new Map<string, number>();
  for (const item of items) {
    if (!isId(item.productId)) throw new TypeError(`invalid product id ${item.productId}`);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) throw new Error(`invalid quantity ${item.quantity}`);
    // PostgreSQL answers ids in lower case: one spelling per product.
    const productId = item.productId.toLowerCase();
    quantities.set(productId, (quantities.get(productId) ?? 0) + item.quantity);
  }
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity })).sort(byProductId);
}

import { receiveOnce } from '@radiata/inbox';
import { isId } from '@radiata/service-runtime';
import {
  CATALOG_PRODUCTS_QUEUE,
  type CatalogMessage,
  type CatalogProductChange,
  parseCatalogEvent,
} from '../../messaging/catalog-events.js';
import type { Database, Transaction } from '../../persistence/database.js';

/** A catalog product as a key the catalog subgraph resolves. */
export interface ProductReference {
  readonly id: string;
}

/** What a time sale needs to know of a product: whose brand it is. */
export interface SaleableProduct {
  readonly id: string;
  readonly brandId: string;
  /** The brand owner; null when no catalog event has told it (only ADMINs may sell it then). */
  readonly ownerId: string | null;
}

/**
 * Events after which a product's lowest price is recomputed: its price group and its existence;
 * status changes (hidden, shown) too, although status is not part of the formula today (they are
 * rare, and only a changed answer is pushed). Stock changes (every order) are left out.
 */
const PRICE_ROUTING_KEYS: ReadonlySet<string> = new Set([
  'catalog.product.created',
  'catalog.product.price-changed',
  'catalog.product.status-changed',
  'catalog.product.deleted',
]);

/**
 * applied: the projection now holds what the event says; stale: every group it carries is older
 * than the projection's; duplicate: this message was applied before.
 */
export type ProjectionOutcome = 'applied' | 'stale' | 'duplicate';

/**
 * The timesales subgraph's copy of catalog products, fed by the catalog's product events. Each
 * event carries a snapshot of one group of fields (price, availability) and the product's
 * version; a group is replaced only by a newer version of that group. One version per group,
 * not per product: the catalog publishes price-changed and status-changed of one update with
 * the same version, and relays deliver out of order, so a product-wide version would drop one
 * of the two, or a late older event of one group would be dropped for a newer one of another.
 */
export class CatalogProjection {
  /**
   * @param priceChanged called after a price, status or deletion event committed (or arrived
   *   again: a redelivery follows a failure of this call), so the product's lowest price is
   *   recomputed; when it throws, so does `apply`, and the consumer puts the message back.
   */
  constructor(
    private readonly db: Database,
    private readonly priceChanged: ((productId: string) => Promise<void>) | undefined,
  ) {}

  /**
   * Applies one catalog message once: its inbox row (consumer CATALOG_PRODUCTS_QUEUE) and its
   * effect commit together. MalformedEvent (@radiata/inbox) if it cannot be read.
   */
  async apply(message: CatalogMessage): Promise<ProjectionOutcome> {
    const row = parseCatalogEvent(message);
    const outcome = await this.db.$transaction(async (tx): Promise<ProjectionOutcome> => {
      const execute = (sql: string, values: unknown[]) => tx.$executeRawUnsafe(sql, ...values);
      if (!(await receiveOnce(execute, CATALOG_PRODUCTS_QUEUE, message.messageId))) return 'duplicate';
      return upsert(tx, row);
    });
    if (outcome !== 'stale' && PRICE_ROUTING_KEYS.has(message.routingKey)) await this.priceChanged?.(row.productId);
    return outcome;
  }

  /** Products a sale may contain: known (price included), not deleted. */
  async saleable(tx: Transaction, productIds: readonly string[]): Promise<Map<string, SaleableProduct>> {
    const ids = [...new Set(productIds.filter(isId))];
    if (ids.length === 0) return new Map();
    const rows = await tx.product.findMany({
      where: { id: { in: ids }, deleted: false, price: { not: null } },
      select: { id: true, brandId: true, ownerId: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The current owners of products already in sales (deleted ones included: they stay in their sales). */
  async owners(tx: Transaction, productIds: readonly string[]): Promise<(string | null)[]> {
    if (productIds.length === 0) return [];
    const rows = await tx.product.findMany({
      where: { id: { in: [...productIds] } },
      select: { id: true, ownerId: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row.ownerId]));
    return productIds.map((productId) => byId.get(productId) ?? null);
  }
}

async function upsert(tx: Transaction, row: CatalogProductChange): Promise<ProjectionOutcome> {
  const priceVersion = row.price ? row.version : null;
  const availabilityVersion = row.availability ? row.version : null;
  const [stored] = await tx.$queryRaw<
    { price_version: number | null; availability_version: number | null; deleted: boolean }[]
  >`
    INSERT INTO products AS p (id, brand_id, owner_id, price, discount_amount, price_version,
                               status, stock, availability_version, deleted, version)
    VALUES (${row.productId}::uuid, ${row.brandId}::uuid, ${row.ownerId}::uuid,
            ${row.price?.price ?? null}::int, ${row.price?.discountAmount ?? null}::int, ${priceVersion}::int,
            ${row.availability?.status ?? null}, ${row.availability?.stock ?? null}::int, ${availabilityVersion}::int,
            ${row.deleted}, ${row.version}::int)
    ON CONFLICT (id) DO UPDATE SET
      owner_id = CASE WHEN EXCLUDED.owner_id IS NOT NULL AND (p.owner_id IS NULL OR EXCLUDED.version >= p.version)
                      THEN EXCLUDED.owner_id ELSE p.owner_id END,
      price = CASE WHEN EXCLUDED.price_version > coalesce(p.price_version, -1) THEN EXCLUDED.price ELSE p.price END,
      discount_amount = CASE WHEN EXCLUDED.price_version > coalesce(p.price_version, -1)
                             THEN EXCLUDED.discount_amount ELSE p.discount_amount END,
      price_version = CASE WHEN EXCLUDED.price_version > coalesce(p.price_version, -1)
                           THEN EXCLUDED.price_version ELSE p.price_version END,
      status = CASE WHEN EXCLUDED.availability_version > coalesce(p.availability_version, -1)
                    THEN EXCLUDED.status ELSE p.status END,
      stock = CASE WHEN EXCLUDED.availability_version > coalesce(p.availability_version, -1)
                   THEN EXCLUDED.stock ELSE p.stock END,
      availability_version = CASE WHEN EXCLUDED.availability_version > coalesce(p.availability_version, -1)
                                  THEN EXCLUDED.availability_version ELSE p.availability_version END,
      deleted = p.deleted OR EXCLUDED.deleted,
      version = greatest(p.version, EXCLUDED.version),
      updated_at = now()
    RETURNING price_version, availability_version, deleted`;
  const holds =
    (priceVersion !== null && stored?.price_version === priceVersion) ||
    (availabilityVersion !== null && stored?.availability_version === availabilityVersion) ||
    (row.deleted && stored?.deleted === true);
  return holds ? 'applied' : 'stale';
}

import type { Logger } from '@radiata/observability';
import { type Clock, isId } from '@radiata/service-runtime';
import type { Database } from '../../persistence/database.js';
import type { PriceCache, PriceEntry } from '../../redis/price-cache.js';
import type { SaleStock } from '../stock/sale-stock.js';
import {
  computeLowestPrice,
  deserializeLowestPrice,
  type LowestPriceComputation,
  type LowestPriceRecord,
  type SaleOffer,
  serializeLowestPrice,
} from './lowest-price-rules.js';

interface InputRow {
  readonly product_id: string;
  readonly price: number | null;
  readonly discount_amount: number | null;
  readonly deleted: boolean;
  readonly offers: readonly {
    readonly timeSaleProductId: string;
    readonly timeSaleId: string;
    readonly discountRate: number;
    readonly totalQuantity: number;
    readonly soldQuantity: number;
    readonly startAt: number;
    readonly endAt: number;
  }[];
}

export interface LowestPricesDependencies {
  readonly db: Database;
  readonly cache: PriceCache;
  readonly saleStock: Pick<SaleStock, 'soldCounts'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Products' lowest prices (DOMAIN.md "Lowest price"), computed from the products projection,
 * the sale products that have not stopped selling and their live remaining quantities (Redis),
 * and served from the Redis cache (redis/price-cache.ts). A batch of products costs one Redis
 * round trip when every answer is cached; the misses cost one SQL statement together, one
 * round trip for their live quantities and one to store them.
 */
export class LowestPrices {
  private readonly log: Logger;

  constructor(private readonly deps: LowestPricesDependencies) {
    this.log = deps.logger.child({ component: 'lowest-prices' });
  }

  /** Answers in the order asked (null: the projection does not know the product, or the catalog deleted it). */
  async get(productIds: readonly string[]): Promise<(LowestPriceRecord | null)[]> {
    const now = this.deps.clock.now();
    const ids = productIds.filter(isId);
    const answers = new Map<string, LowestPriceRecord | null>();
    if (ids.length > 0) {
      const cached = await this.readCache(ids, now);
      const misses: { productId: string; generation: string }[] = [];
      ids.forEach((productId, index) => {
        const entry = cached?.[index];
        if (entry?.hit) answers.set(productId, deserializeLowestPrice(JSON.parse(entry.answer)));
        else misses.push({ productId, generation: entry?.generation ?? '' });
      });
      if (misses.length > 0) {
        const computed = await this.compute(
          misses.map((miss) => miss.productId),
          now,
        );
        for (const miss of misses) answers.set(miss.productId, computed.get(miss.productId)?.price ?? null);
        // Not stored when Redis could not be read (no generation): the next read tries again.
        if (cached) {
          await this.store(misses, computed, now, false).catch((error: unknown) => {
            this.log.warn({ err: error }, 'caching lowest prices failed');
          });
        }
      }
    }
    return productIds.map((productId) => answers.get(productId) ?? null);
  }

  /**
   * Recomputes the products' answers after a change that may have moved them, stores them and
   * publishes those that changed. Invalidates first, so no computation that began before the
   * change can store its answer after this one. Throws when Redis or PostgreSQL fails (the
   * invalidation may have happened: readers then recompute).
   */
  async refresh(productIds: readonly string[]): Promise<void> {
    const ids = [...new Set(productIds.filter(isId))];
    if (ids.length === 0) return;
    const generations = await this.deps.cache.invalidate(ids);
    const now = this.deps.clock.now();
    const computed = await this.compute(ids, now);
    const published = await this.store(
      ids.map((productId, index) => ({ productId, generation: generations[index] as string })),
      computed,
      now,
      true,
    );
    this.log.debug({ products: ids.length, published }, 'lowest prices refreshed');
  }

  /** The products of the given sales (any state), whose answers a change of those sales may move. */
  async productsOfSales(timeSaleIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(timeSaleIds.filter(isId))];
    if (ids.length === 0) return [];
    const rows = await this.deps.db.timeSaleProduct.findMany({
      where: { timeSaleId: { in: ids } },
      select: { productId: true },
      distinct: ['productId'],
    });
    return rows.map((row) => row.productId);
  }

  private async readCache(ids: readonly string[], now: Date) {
    try {
      return await this.deps.cache.read(ids, now);
    } catch (error) {
      this.log.warn({ err: error }, 'reading cached lowest prices failed; computing them');
      return undefined;
    }
  }

  private async store(
    targets: readonly { productId: string; generation: string }[],
    computed: ReadonlyMap<string, LowestPriceComputation | null>,
    now: Date,
    publishIfNew: boolean,
  ): Promise<number> {
    const entries: PriceEntry[] = targets.map(({ productId, generation }) => {
      const computation = computed.get(productId) ?? null;
      return {
        productId,
        generation,
        answer: serializeLowestPrice(computation?.price ?? null),
        nextChangeAt: computation?.nextChangeAt ?? null,
        soldOut: computation?.soldOut ?? [],
      };
    });
    return this.deps.cache.write(entries, now, publishIfNew);
  }

  /** One SQL statement for every product, one Redis round trip for the live quantities of the offers selling now. */
  private async compute(productIds: readonly string[], now: Date): Promise<Map<string, LowestPriceComputation | null>> {
    const rows = await this.deps.db.$queryRaw<InputRow[]>`
      SELECT p.id::text AS product_id, p.price, p.discount_amount, p.deleted,
             coalesce(json_agg(json_build_object(
               'timeSaleProductId', s.id, 'timeSaleId', s.time_sale_id, 'discountRate', s.discount_rate,
               'totalQuantity', s.total_quantity, 'soldQuantity', s.sold_quantity,
               'startAt', floor(extract(epoch FROM coalesce(s.start_at, s.sale_start_at)) * 1000),
               'endAt', floor(extract(epoch FROM coalesce(s.end_at, s.sale_end_at)) * 1000)
             )) FILTER (WHERE s.id IS NOT NULL), '[]'::json) AS offers
      FROM products p
      LEFT JOIN time_sale_products s
        ON s.product_id = p.id AND NOT s.sale_deleted AND coalesce(s.end_at, s.sale_end_at) > ${now}::timestamptz
      WHERE p.id = ANY(${[...productIds]}::uuid[])
      GROUP BY p.id`;
    const selling = rows.flatMap((row) =>
      row.offers.filter((offer) => offer.startAt <= now.getTime() && now.getTime() < offer.endAt),
    );
    const sold = await this.liveSold(selling.map((offer) => offer.timeSaleProductId));
    const results = new Map<string, LowestPriceComputation | null>();
    for (const row of rows) {
      if (row.deleted || row.price === null || row.discount_amount === null) {
        results.set(row.product_id, null);
        continue;
      }
      const offers: SaleOffer[] = row.offers.map((offer) => ({
        timeSaleProductId: offer.timeSaleProductId,
        timeSaleId: offer.timeSaleId,
        discountRate: offer.discountRate,
        startAt: new Date(offer.startAt),
        endAt: new Date(offer.endAt),
        remainingQuantity: offer.totalQuantity - (sold.get(offer.timeSaleProductId) ?? offer.soldQuantity),
      }));
      results.set(
        row.product_id,
        computeLowestPrice(
          { productId: row.product_id, price: row.price, discountAmount: row.discount_amount },
          offers,
          now,
        ),
      );
    }
    return results;
  }

  /** Quantity held per sale product, live from Redis; PostgreSQL's count where Redis has none (or is down). */
  private async liveSold(timeSaleProductIds: readonly string[]): Promise<Map<string, number>> {
    if (timeSaleProductIds.length === 0) return new Map();
    try {
      const counts = await this.deps.saleStock.soldCounts(timeSaleProductIds);
      const sold = new Map<string, number>();
      timeSaleProductIds.forEach((id, index) => {
        const count = counts[index];
        if (count !== null && count !== undefined) sold.set(id, count);
      });
      return sold;
    } catch (error) {
      this.log.warn({ err: error }, 'reading live sale quantities failed; using PostgreSQL’s');
      return new Map();
    }
  }
}

import type { Clock } from '@radiata/service-runtime';
import type { Database } from '../../persistence/database.js';
import type { PriceRefresher } from '../pricing/price-refresher.js';
import type { ScheduledWork } from './scheduler.js';

/**
 * The starts and ends of sale products' own windows (narrower than their sale's, whose start
 * and end are transitions): at each, the product's lowest price may change, so it is recomputed
 * and pushed. Driven by a SaleScheduler. Boundaries are taken from the process start on (cached
 * answers never outlive one anyway: they hold only until their next boundary); every replica
 * running a scheduler recomputes, and only a changed answer is published.
 */
export class SellingBoundaries implements ScheduledWork {
  private processedUntil: Date;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly refresher: Pick<PriceRefresher, 'products'>,
  ) {
    this.processedUntil = clock.now();
  }

  /** Recomputes the products with a boundary since the last pass; returns how many. */
  async fireDue(): Promise<number> {
    const now = this.clock.now();
    const from = this.processedUntil;
    if (now <= from) return 0;
    const rows = await this.db.$queryRaw<{ product_id: string }[]>`
      SELECT DISTINCT product_id::text FROM time_sale_products
      WHERE NOT sale_deleted
        AND ((start_at IS DISTINCT FROM sale_start_at AND start_at > ${from}::timestamptz AND start_at <= ${now}::timestamptz)
          OR (end_at IS DISTINCT FROM sale_end_at AND end_at > ${from}::timestamptz AND end_at <= ${now}::timestamptz))`;
    await this.refresher.products(rows.map((row) => row.product_id));
    this.processedUntil = now;
    return rows.length;
  }

  async nextInstant(): Promise<Date | null> {
    const from = this.processedUntil;
    const [row] = await this.db.$queryRaw<{ at: Date | null }[]>`
      SELECT least(
        (SELECT min(start_at) FROM time_sale_products
         WHERE NOT sale_deleted AND start_at IS DISTINCT FROM sale_start_at AND start_at > ${from}::timestamptz),
        (SELECT min(end_at) FROM time_sale_products
         WHERE NOT sale_deleted AND end_at IS DISTINCT FROM sale_end_at AND end_at > ${from}::timestamptz)) AS at`;
    return row?.at ?? null;
  }
}

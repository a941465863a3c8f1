import type { PriceCache } from '../../redis/price-cache.js';
import type { AnnouncementObserver, QuantityAnnouncement, TransitionAnnouncement } from '../schedule/announcements.js';
import type { LowestPrices } from './lowest-prices.js';

/**
 * Recomputes (and so pushes) lowest prices after the changes that can move them, in the
 * process that made each change (see AnnouncementObserver): a sale created, changed or deleted
 * and its products added or changed; a sale started, ended or sold out; a sale product sold out
 * or, after a release, selling again; and (through the products projection) a catalog price,
 * status or deletion. Starts and ends of a sale product's own narrower window come from
 * SellingBoundaries.
 */
export class PriceRefresher implements AnnouncementObserver {
  constructor(
    private readonly prices: LowestPrices,
    private readonly cache: PriceCache,
  ) {}

  async changed(timeSaleId: string): Promise<void> {
    await this.prices.refresh(await this.prices.productsOfSales([timeSaleId]));
  }

  async transitioned(announcements: readonly TransitionAnnouncement[]): Promise<void> {
    await this.prices.refresh(await this.prices.productsOfSales(announcements.map((announcement) => announcement.key)));
  }

  /**
   * A reservation only moves a price when it takes the last unit; a release only when it revives
   * a sale product the cached answer left out as sold out, or when no answer is cached (one
   * small read per announcement).
   */
  async quantities(announcements: readonly QuantityAnnouncement[]): Promise<void> {
    const due: string[] = [];
    for (const announcement of announcements) {
      if (
        announcement.remainingQuantity <= 0 ||
        (await this.cache.leftOutAsSoldOut(announcement.productId, announcement.key))
      ) {
        due.push(announcement.productId);
      }
    }
    await this.prices.refresh(due);
  }

  products(productIds: readonly string[]): Promise<void> {
    return this.prices.refresh(productIds);
  }
}

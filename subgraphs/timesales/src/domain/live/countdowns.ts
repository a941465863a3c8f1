import { notFound } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import { type Clock, eventStream, isId, type RedisFanout, type Unlisten } from '@radiata/service-runtime';
import type { Database } from '../../persistence/database.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';
import type { TimeSaleProductRecord, TimeSaleRecord } from '../sales/records.js';
import type { QuantityAnnouncement } from '../schedule/announcements.js';
import type { SaleStock } from '../stock/sale-stock.js';
import { type CountdownSnapshot, countdownAt, delayToNextSecond } from './countdown-rules.js';

export interface CountdownsDependencies {
  readonly db: Database;
  readonly saleStock: Pick<SaleStock, 'soldCounts'>;
  readonly keyspace: TimesalesKeyspace;
  readonly clock: Clock;
  /** Must route quantities-channel messages by their timeSaleId (see fanoutKeyOf in redis/keys.ts). */
  readonly fanout: RedisFanout;
  readonly logger: Logger;
}

interface Subscriber {
  push(snapshot: CountdownSnapshot): void;
  readonly finish: AbortController;
}

/**
 * Live countdowns of sales (timeSaleCountdown). Subscribers of one sale in a process share one
 * feed: one timer, one Redis read per second, one set of pub/sub listeners. Each feed emits
 * at once to a new subscriber, then on every whole second of the service clock (a timeout re-armed
 * to the next second, so ticks do not drift), and at once on a status change: a transition any
 * replica announces, a change of the sale, or a quantity announcement that sells the sale out
 * (or brings it back). Other quantity changes show in the next tick (a rush would otherwise
 * flood every subscriber). When the sale ends (or is deleted) the last event is sent and the
 * subscriptions complete.
 */
export class SaleCountdowns {
  private readonly feeds = new Map<string, CountdownFeed>();

  constructor(private readonly deps: CountdownsDependencies) {}

  /** NOT_FOUND for a sale that does not exist (or was deleted). */
  async follow(timeSaleId: string): Promise<AsyncIterableIterator<CountdownSnapshot>> {
    if (!isId(timeSaleId)) throw notFound('Time sale');
    const finish = new AbortController();
    let feed: CountdownFeed | undefined;
    const stream = eventStream<CountdownSnapshot>(
      (push) => {
        const subscriber = { push, finish };
        const joined = this.join(timeSaleId, subscriber);
        feed = joined;
        return () => joined.leave(subscriber);
      },
      { signal: finish.signal },
    );
    let found: boolean;
    try {
      found = await (feed as CountdownFeed).opened;
    } catch (error) {
      await stream.return();
      throw error;
    }
    if (!found) {
      await stream.return();
      throw notFound('Time sale');
    }
    return stream;
  }

  /** Ends every feed (the service is stopping; the subscription server has closed its streams already). */
  close(): void {
    for (const feed of [...this.feeds.values()]) feed.close();
  }

  private join(timeSaleId: string, subscriber: Subscriber): CountdownFeed {
    let feed = this.feeds.get(timeSaleId);
    if (!feed || feed.closed) {
      const created = new CountdownFeed(timeSaleId, this.deps, () => {
        if (this.feeds.get(timeSaleId) === created) this.feeds.delete(timeSaleId);
      });
      this.feeds.set(timeSaleId, created);
      feed = created;
    }
    feed.join(subscriber);
    return feed;
  }
}

class CountdownFeed {
  /** Whether the sale exists; settles once its first state is loaded. */
  readonly opened: Promise<boolean>;
  closed = false;
  private readonly subscribers = new Set<Subscriber>();
  private readonly unlistens: Unlisten[] = [];
  private readonly log: Logger;
  private sale: TimeSaleRecord | undefined;
  private products: TimeSaleProductRecord[] = [];
  /** Held quantity per sale product, as last read or announced. */
  private readonly sold = new Map<string, number>();
  private last: CountdownSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Work on the feed's state, one step after another. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly timeSaleId: string,
    private readonly deps: CountdownsDependencies,
    private readonly onClose: () => void,
  ) {
    this.log = deps.logger.child({ component: 'countdown', timeSaleId });
    this.opened = this.open();
    // Every follower awaits it; this only keeps a failure from counting as unhandled meanwhile.
    this.opened.catch(() => undefined);
  }

  join(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
    // Before the first load the opening's first emit reaches it.
    if (this.sale) subscriber.push(this.snapshot());
  }

  leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    for (const unlisten of this.unlistens.splice(0)) unlisten();
    for (const subscriber of [...this.subscribers]) subscriber.finish.abort();
    this.subscribers.clear();
    this.onClose();
  }

  private async open(): Promise<boolean> {
    const { fanout, keyspace } = this.deps;
    const key = { key: this.timeSaleId };
    // Listen before reading, so nothing announced in between is missed.
    this.unlistens.push(
      fanout.listen(keyspace.transitionsChannel, () => this.enqueue(() => this.refreshQuantities()), key),
      fanout.listen(keyspace.changesChannel, () => this.enqueue(() => this.reload()), key),
      fanout.listen<QuantityAnnouncement>(keyspace.quantitiesChannel, (message) => this.quantity(message), key),
    );
    try {
      await Promise.all(this.unlistens.map((unlisten) => unlisten.ready));
      const loaded = this.chain.then(() => this.reload());
      this.chain = loaded.catch(() => undefined);
      await loaded;
    } catch (error) {
      this.close();
      throw error;
    }
    if (!this.sale) return false;
    this.arm();
    return true;
  }

  /** Runs a step after the ones queued before it; its failure is logged (the next tick tries again). */
  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.closed ? undefined : step()))
      .catch((error: unknown) => this.log.error({ err: error }, 'updating a countdown failed'));
  }

  /** Re-reads the sale and its products (created, changed, deleted), then emits. */
  private async reload(): Promise<void> {
    const { db } = this.deps;
    const sale = await db.timeSale.findFirst({ where: { id: this.timeSaleId, deletedAt: null } });
    if (!sale) {
      this.sale = undefined;
      this.close();
      return;
    }
    const products = await db.timeSaleProduct.findMany({ where: { timeSaleId: sale.id }, orderBy: { id: 'asc' } });
    await this.refreshQuantities(sale, products);
  }

  /**
   * Live quantities from Redis (PostgreSQL's where Redis has none), then emits. The sale and its
   * products are swapped in only with their quantities: a subscriber joining meanwhile is sent the
   * state before (or, during the first load, the first emit), never a sale without its products.
   */
  private async refreshQuantities(sale = this.sale, products = this.products): Promise<void> {
    const counts = await this.deps.saleStock.soldCounts(products.map((product) => product.id));
    this.sale = sale;
    this.products = products;
    products.forEach((product, index) => {
      this.sold.set(product.id, counts[index] ?? product.soldQuantity);
    });
    this.emit();
  }

  private quantity(message: QuantityAnnouncement): void {
    const product = this.products.find((candidate) => candidate.id === message.key);
    if (!product || !this.sale) return;
    this.sold.set(product.id, product.totalQuantity - message.remainingQuantity);
    if (this.snapshot().status !== this.last?.status) this.emit();
  }

  private snapshot(): CountdownSnapshot {
    const remaining = this.products.map(
      (product) => product.totalQuantity - (this.sold.get(product.id) ?? product.soldQuantity),
    );
    return countdownAt(this.sale as TimeSaleRecord, remaining, this.deps.clock.now());
  }

  private emit(): void {
    if (!this.sale || this.closed) return;
    const snapshot = this.snapshot();
    this.last = snapshot;
    for (const subscriber of this.subscribers) subscriber.push(snapshot);
    if (snapshot.status === 'ENDED') this.close();
  }

  private arm(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.enqueue(() => this.refreshQuantities());
      void this.chain.then(() => this.arm());
    }, delayToNextSecond(this.deps.clock.now().getTime()));
  }
}

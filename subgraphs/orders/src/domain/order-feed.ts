import type { Viewer } from '@radiata/auth-context';
import { forbidden, notFound } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import { eventStream, type RedisFanout, requireViewer } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import type { OrderStatus } from '../generated/prisma/client.js';
import type { OrderRecord, Orders } from './orders.js';

/** Statuses an order never leaves: its live view completes after showing one. */
const FINAL: readonly OrderStatus[] = ['CANCELLED', 'REFUNDED', 'DELIVERED'];

/** What the announcement of a change carries: which order (its key for the fanout). */
interface ChangeAnnouncement {
  readonly key: string;
}

/**
 * Live order status for its shopper and admins: the current order at once, then every change
 * (each committed change is announced on one Redis channel, keyed by order id, after its commit),
 * until it reaches a final status. Pub/sub drops what is published while a connection is down,
 * so the view also re-reads the order every `pollMs`; it shows each version at most once.
 */
export class OrderFeed {
  constructor(
    private readonly redis: Redis,
    private readonly fanout: RedisFanout,
    private readonly channel: string,
    private readonly orders: Orders,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  /** Announces a committed change (best effort: the views' poll covers a lost one). */
  announce(orderId: string): void {
    const announcement: ChangeAnnouncement = { key: orderId };
    this.redis.publish(this.channel, JSON.stringify(announcement)).catch((error: unknown) => {
      this.logger.warn({ err: error, orderId }, 'announcing an order change failed');
    });
  }

  /** UNAUTHENTICATED without a viewer; NOT_FOUND or FORBIDDEN (a seller) at once when it is not theirs. */
  follow(viewer: Viewer | null, orderId: string): AsyncIterableIterator<OrderRecord> {
    const follower = requireViewer(viewer);
    const finished = new AbortController();
    let shown = -1;
    return eventStream<OrderRecord>(
      (push, fail) => {
        let reading = Promise.resolve();
        const show = () => {
          reading = reading.then(async () => {
            if (finished.signal.aborted) return;
            try {
              const order = await this.orders.find(orderId);
              if (finished.signal.aborted) return;
              if (!order) return fail(notFound('Order'));
              if (follower.role !== 'ADMIN' && follower.id !== order.userId) {
                return fail(
                  order.items.some((item) => item.sellerId === follower.id)
                    ? forbidden('Only its shopper follows an order')
                    : notFound('Order'),
                );
              }
              if (order.version <= shown) return;
              shown = order.version;
              push(order);
              if (FINAL.includes(order.status)) finished.abort();
            } catch (error) {
              this.logger.error({ err: error, orderId }, 'reading an order for its live view failed');
            }
          });
        };
        const unlisten = this.fanout.listen(this.channel, show, { key: orderId });
        void unlisten.ready.then(show, (error: unknown) =>
          this.logger.error({ err: error, orderId }, 'subscribing to order changes failed'),
        );
        const poll = setInterval(show, this.pollMs);
        poll.unref();
        return () => {
          clearInterval(poll);
          unlisten();
        };
      },
      { signal: finished.signal },
    );
  }
}

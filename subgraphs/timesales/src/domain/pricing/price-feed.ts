import { badUserInput } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import { eventStream, isId, type RedisFanout } from '@radiata/service-runtime';
import { deserializeLowestPrice, type LowestPriceRecord, serializeLowestPrice } from './lowest-price-rules.js';
import type { LowestPrices } from './lowest-prices.js';

/** Products one lowestPriceChanged subscription may follow. */
export const MAX_FOLLOWED_PRODUCTS = 100;

/** One event of lowestPriceChanged. */
export interface PriceChangeRecord {
  readonly productId: string;
  /** null: the product is unknown (not heard of yet, or deleted by the catalog). */
  readonly lowestPrice: LowestPriceRecord | null;
}

interface PriceMessage {
  readonly key: string;
  readonly price: unknown;
}

/**
 * Live lowest prices of up to MAX_FOLLOWED_PRODUCTS products: first the current answer of
 * each, then every change, from whichever replica recomputed it (Redis pub/sub, keyed by
 * product: one SUBSCRIBE per process whatever the number of subscribers). It listens before it
 * reads, and a product that already had an event skips its current answer (the event is newer);
 * an answer equal to the last one sent for the product is not sent again.
 */
export class PriceFeed {
  constructor(
    private readonly fanout: RedisFanout,
    private readonly channel: string,
    private readonly prices: Pick<LowestPrices, 'get'>,
    private readonly logger: Logger,
  ) {}

  follow(productIds: readonly string[]): AsyncIterableIterator<PriceChangeRecord> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0 || ids.length > MAX_FOLLOWED_PRODUCTS) {
      throw badUserInput(`productIds: between 1 and ${MAX_FOLLOWED_PRODUCTS} products`, [
        { field: 'productIds', message: `must list between 1 and ${MAX_FOLLOWED_PRODUCTS} products` },
      ]);
    }
    const invalid = ids.findIndex((id) => !isId(id));
    if (invalid >= 0) {
      throw badUserInput('productIds: not a product id', [
        { field: `productIds.${invalid}`, message: 'is not a product id' },
      ]);
    }
    return eventStream<PriceChangeRecord>(
      (push) => {
        const sent = new Map<string, string>();
        const deliver = (productId: string, answer: string, record: LowestPriceRecord | null) => {
          if (sent.get(productId) === answer) return;
          sent.set(productId, answer);
          push({ productId, lowestPrice: record });
        };
        const unlistens = ids.map((productId) =>
          this.fanout.listen<PriceMessage>(
            this.channel,
            (message) => {
              const record = deserializeLowestPrice(message.price);
              deliver(productId, serializeLowestPrice(record), record);
            },
            { key: productId },
          ),
        );
        let stopped = false;
        const current = async () => {
          await Promise.all(unlistens.map((unlisten) => unlisten.ready));
          const answers = await this.prices.get(ids);
          if (stopped) return;
          ids.forEach((productId, index) => {
            const record = answers[index] ?? null;
            if (!sent.has(productId)) deliver(productId, serializeLowestPrice(record), record);
          });
        };
        current().catch((error: unknown) =>
          this.logger.error({ err: error, products: ids.length }, 'reading current lowest prices failed'),
        );
        return () => {
          stopped = true;
          for (const unlisten of unlistens) unlisten();
        };
      },
      // Room for every product's first answer and a few changes each before the oldest go.
      { maxBuffered: MAX_FOLLOWED_PRODUCTS * 10 },
    );
  }
}

/**
 * Every Redis key and channel of the timesales subgraph, under a prefix (REDIS_KEY_PREFIX) so
 * deployments or test runs sharing a Redis never see each other's sales. The keys of one sale
 * product share the hash tag `{tsp:<id>}`, so a script touching one runs on a single Redis
 * Cluster slot.
 */
export class TimesalesKeyspace {
  constructor(private readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new Error('REDIS_KEY_PREFIX must not contain braces (they make hash tags)');
  }

  saleProduct(timeSaleProductId: string) {
    const tag = `${this.prefix}{tsp:${timeSaleProductId}}`;
    return {
      /** Hash: start, end (epoch ms of its own selling window), total, limit (-1: none), deleted ("1"). */
      meta: `${tag}:meta`,
      /** Integer: quantity held by orders. */
      sold: `${tag}:sold`,
      /** Hash: orderId → "RESERVED:<quantity>:<userId>", "RELEASED:<quantity>:<userId>" or the refusal given. */
      orders: `${tag}:orders`,
      /** Hash: userId → quantity the user holds (for the per-user limit). */
      users: `${tag}:users`,
    } as const;
  }

  /**
   * Hash: the cached lowest price of a catalog product (see redis/price-cache.ts), under the hash
   * tag `{lp:<productId>}`.
   */
  lowestPrice(productId: string): string {
    return `${this.prefix}{lp:${productId}}`;
  }

  /** Pub/sub: a product's lowest price changed ({ key: productId, price }). */
  get lowestPricesChannel(): string {
    return `${this.prefix}timesales:lowest-prices`;
  }

  /** Pub/sub: a sale started, ended or sold out ({ key: timeSaleId, kind, … }). */
  get transitionsChannel(): string {
    return `${this.prefix}timesales:transitions`;
  }

  /** Pub/sub: a sale was created or changed ({ key: timeSaleId }); schedulers re-arm on it. */
  get changesChannel(): string {
    return `${this.prefix}timesales:changes`;
  }

  /** Pub/sub: the remaining quantity of a sale product changed ({ key: timeSaleProductId, … }). */
  get quantitiesChannel(): string {
    return `${this.prefix}timesales:quantities`;
  }
}

/**
 * keyOf of the process's RedisFanout: quantity announcements go to the listeners of their sale
 * (countdowns), every other message to the listeners of its `key` (a sale, a product).
 */
export function fanoutKeyOf(keyspace: TimesalesKeyspace) {
  return (message: unknown, channel: string): string | undefined => {
    if (typeof message !== 'object' || message === null) return undefined;
    const field = channel === keyspace.quantitiesChannel ? 'timeSaleId' : 'key';
    const key = (message as Record<string, unknown>)[field];
    return typeof key === 'string' ? key : undefined;
  };
}

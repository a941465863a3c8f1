import type { Redis, Result } from 'ioredis';
import type { TimesalesKeyspace } from './keys.js';

/*
 * One hash per product (`{lp:<productId>}`), fields:
 *   v  the answer (serializeLowestPrice; "null": the product is unknown)
 *   c  when it was computed, r  when it was last read (see READ), n  when it stops holding by the clock
 *      ("" never) — epoch ms of the service clock, so tests move time with their clock
 *   x  sale products that did not count because they were sold out (comma-separated)
 *   s  "1": invalidated (not served; the old answer stays to tell whether the new one differs)
 *   g  generation: bumped by every invalidation, so a computation that began before it never
 *      overwrites what the invalidation's recomputation writes
 * Redis' own expiry (PEXPIRE, renewed by every read and write) only frees memory; whether an
 * entry is served is decided by the fields and the clock.
 */

/**
 * {hit (0|1), answer, generation}: served when read within the TTL, computed within the cap and
 * still holding. A hit extends the entry (time-to-idle), at most once per ARGV[4] ms: a page read
 * thousands of times a second is not also written (replicated, appended to the AOF) as often.
 */
const READ = `
local e = redis.call('HMGET', KEYS[1], 'v', 'c', 'r', 'n', 's', 'g')
local gen = e[6] or '0'
if not e[1] or e[5] == '1' then return {0, '', gen} end
local now = tonumber(ARGV[1])
local computed = tonumber(e[2])
local idle = now - tonumber(e[3])
if now < computed or now - computed >= tonumber(ARGV[3]) or idle >= tonumber(ARGV[2])
   or (e[4] and e[4] ~= '' and now >= tonumber(e[4])) then
  return {0, '', gen}
end
if idle >= tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'r', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {1, e[1], gen}
`;

/** Marks the entry stale and returns the new generation. */
const INVALIDATE = `
local gen = redis.call('HINCRBY', KEYS[1], 'g', 1)
redis.call('HSET', KEYS[1], 's', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return gen
`;

/**
 * Stores an answer computed since generation ARGV[1] was read; refused (0) if an invalidation
 * came in between. Publishes ARGV[8] on channel ARGV[7] when the answer differs from the one
 * stored (or, with ARGV[9] = "1", when none was stored): 2 when it published, 1 otherwise.
 */
const WRITE = `
local e = redis.call('HMGET', KEYS[1], 'g', 'v')
if (e[1] or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'c', ARGV[3], 'r', ARGV[3], 'n', ARGV[4], 'x', ARGV[5], 's', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if e[2] ~= ARGV[2] and (e[2] or ARGV[9] == '1') then
  redis.call('PUBLISH', ARGV[7], ARGV[8])
  return 2
end
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    lowestPriceRead(
      key: string,
      nowMs: number,
      ttlMs: number,
      maxAgeMs: number,
      extendEveryMs: number,
    ): Result<[hit: 0 | 1, answer: string, generation: string], Context>;
    lowestPriceInvalidate(key: string, ttlMs: number): Result<number, Context>;
    lowestPriceWrite(
      key: string,
      generation: string,
      answer: string,
      nowMs: number,
      nextChangeMs: number | '',
      soldOut: string,
      ttlMs: number,
      channel: string,
      message: string,
      publishIfNew: '0' | '1',
    ): Result<0 | 1 | 2, Context>;
  }
}

export function definePriceCacheScripts(redis: Redis): void {
  redis.defineCommand('lowestPriceRead', { numberOfKeys: 1, lua: READ });
  redis.defineCommand('lowestPriceInvalidate', { numberOfKeys: 1, lua: INVALIDATE });
  redis.defineCommand('lowestPriceWrite', { numberOfKeys: 1, lua: WRITE });
}

export interface PriceCacheOptions {
  /** Time-to-idle: an entry not read for this long is not served. */
  readonly ttlMs: number;
  /** Hard cap: an entry computed this long ago is not served, however often it is read. */
  readonly maxAgeMs: number;
}

/** A cache lookup: the serialized answer on a hit, and the generation a recomputation must store under. */
export interface CachedPrice {
  readonly hit: boolean;
  readonly answer: string;
  readonly generation: string;
}

/** One answer to store. */
export interface PriceEntry {
  readonly productId: string;
  readonly generation: string;
  readonly answer: string;
  readonly nextChangeAt: Date | null;
  readonly soldOut: readonly string[];
}

/**
 * The lowest-price cache in Redis: every operation on a batch of products is one pipeline (one
 * round trip, whatever the batch size). On Redis Cluster the keys of a batch are on different
 * slots: a pipeline per node would be needed (ioredis refuses a cross-slot pipeline).
 */
export class PriceCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: TimesalesKeyspace,
    private readonly options: PriceCacheOptions,
  ) {}

  async read(productIds: readonly string[], now: Date): Promise<CachedPrice[]> {
    const { ttlMs, maxAgeMs } = this.options;
    // Reads are recorded to within a tenth of the TTL, a second at most.
    const extendEveryMs = Math.min(1_000, Math.floor(ttlMs / 10));
    const pipeline = this.redis.pipeline();
    for (const id of productIds) {
      pipeline.lowestPriceRead(this.keyspace.lowestPrice(id), now.getTime(), ttlMs, maxAgeMs, extendEveryMs);
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, reply]) => {
      if (error) throw error;
      const [hit, answer, generation] = reply as [number, string, string | number];
      return { hit: hit === 1, answer, generation: String(generation) };
    });
  }

  /** Marks the entries stale (nothing serves them until recomputed); returns their new generations. */
  async invalidate(productIds: readonly string[]): Promise<string[]> {
    const pipeline = this.redis.pipeline();
    for (const id of productIds) pipeline.lowestPriceInvalidate(this.keyspace.lowestPrice(id), this.options.ttlMs);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, generation]) => {
      if (error) throw error;
      return String(generation);
    });
  }

  /**
   * Stores answers, each unless invalidated since its generation was read, and publishes each
   * that changed on the lowest-prices channel (`publishIfNew`: also those with nothing stored
   * before). Returns how many it published.
   */
  async write(entries: readonly PriceEntry[], now: Date, publishIfNew: boolean): Promise<number> {
    if (entries.length === 0) return 0;
    const pipeline = this.redis.pipeline();
    for (const entry of entries) {
      pipeline.lowestPriceWrite(
        this.keyspace.lowestPrice(entry.productId),
        entry.generation,
        entry.answer,
        now.getTime(),
        entry.nextChangeAt?.getTime() ?? '',
        entry.soldOut.join(','),
        this.options.ttlMs,
        this.keyspace.lowestPricesChannel,
        `{"key":${JSON.stringify(entry.productId)},"price":${entry.answer}}`,
        publishIfNew ? '1' : '0',
      );
    }
    const results = (await pipeline.exec()) ?? [];
    let published = 0;
    for (const [error, outcome] of results) {
      if (error) throw error;
      if (outcome === 2) published += 1;
    }
    return published;
  }

  /**
   * Whether the product's cached answer left this sale product out as sold out, or there is no
   * answer to tell (it idled out while subscribers may still follow the product).
   */
  async leftOutAsSoldOut(productId: string, timeSaleProductId: string): Promise<boolean> {
    const [answer, soldOut] = await this.redis.hmget(this.keyspace.lowestPrice(productId), 'v', 'x');
    if (answer === null) return true;
    return soldOut ? soldOut.split(',').includes(timeSaleProductId) : false;
  }
}

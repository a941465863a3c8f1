import type { Redis, Result } from 'ioredis';
import type { TimesalesKeyspace } from './keys.js';

/**
 * The whole reservation decision for one sale product in one atomic step: selling now, enough
 * left, the shopper's per-user limit held. The answer is recorded for the order, so the same
 * order asking again (a command resent after a reconnect, a redelivered saga message) gets the
 * same answer and nothing is counted twice. NOT_FOUND is not recorded (there is nothing to
 * record it in). Replies {outcome, remaining, quantity, userId}: for RESERVED (and a released
 * order) the quantity and shopper the order actually holds, which a replay must not change.
 */
const RESERVE = `
local meta = redis.call('HMGET', KEYS[1], 'start', 'end', 'total', 'limit', 'deleted')
if not meta[1] or meta[5] == '1' then return {'NOT_FOUND', 0, 0, ''} end
local total = tonumber(meta[3])
local sold = tonumber(redis.call('GET', KEYS[2]) or '0')
local previous = redis.call('HGET', KEYS[3], ARGV[1])
if previous then
  local outcome, held, user = string.match(previous, '^([^:]+):(%d+):(.+)$')
  if not outcome then return {previous, total - sold, 0, ''} end
  if outcome == 'RELEASED' then outcome = 'ALREADY_RELEASED' end
  return {outcome, total - sold, tonumber(held), user}
end
local quantity = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local refusal
if now < tonumber(meta[1]) then
  refusal = 'NOT_STARTED'
elseif now >= tonumber(meta[2]) then
  refusal = 'ENDED'
elseif total - sold <= 0 then
  refusal = 'SOLD_OUT'
elseif total - sold < quantity then
  refusal = 'INSUFFICIENT_QUANTITY'
else
  local limit = tonumber(meta[4])
  local held = tonumber(redis.call('HGET', KEYS[4], ARGV[2]) or '0')
  if limit >= 0 and held + quantity > limit then refusal = 'LIMIT_EXCEEDED' end
end
if refusal then
  redis.call('HSET', KEYS[3], ARGV[1], refusal)
  return {refusal, total - sold, 0, ''}
end
redis.call('INCRBY', KEYS[2], quantity)
redis.call('HINCRBY', KEYS[4], ARGV[2], quantity)
redis.call('HSET', KEYS[3], ARGV[1], 'RESERVED:' .. quantity .. ':' .. ARGV[2])
return {'RESERVED', total - sold - quantity, quantity, ARGV[2]}
`;

/**
 * Gives back what an order holds, once: RESERVED becomes RELEASED (mode "release": a later
 * reserve of the order answers ALREADY_RELEASED) or is forgotten (mode "forget": PostgreSQL could
 * not record the reservation, so the order may try again). Anything else changes nothing.
 * Returns the quantity given back.
 */
const RELEASE = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if not previous then return 0 end
local outcome, quantity, user = string.match(previous, '^([^:]+):(%d+):(.+)$')
if outcome ~= 'RESERVED' then return 0 end
quantity = tonumber(quantity)
redis.call('DECRBY', KEYS[1], quantity)
if redis.call('HINCRBY', KEYS[3], user, -quantity) <= 0 then redis.call('HDEL', KEYS[3], user) end
if ARGV[2] == 'release' then
  redis.call('HSET', KEYS[2], ARGV[1], 'RELEASED:' .. quantity .. ':' .. user)
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return quantity
`;

/** Sets a sale product's rules. Refuses (BELOW_SOLD <sold>) a total below what orders hold now. */
const SET_RULES = `
local sold = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[3]) < sold then return redis.error_reply('BELOW_SOLD ' .. sold) end
redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'total', ARGV[3], 'limit', ARGV[4], 'deleted', ARGV[5])
return sold
`;

/**
 * Rebuilds a sale product's state from PostgreSQL in one atomic step, only when its rules are
 * missing (so replicas restoring at the same time, or a restore racing live reservations after
 * another replica restored, change nothing). The rules go last: until they exist every reserve
 * answers NOT_FOUND, which is not recorded. Returns 1 when it restored.
 */
const RESTORE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('SET', KEYS[2], ARGV[6])
for order, entry in pairs(cjson.decode(ARGV[7])) do redis.call('HSET', KEYS[3], order, entry) end
for user, held in pairs(cjson.decode(ARGV[8])) do redis.call('HSET', KEYS[4], user, held) end
redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'total', ARGV[3], 'limit', ARGV[4], 'deleted', ARGV[5])
return 1
`;

/**
 * Counts a reservation PostgreSQL holds but Redis does not (its entry is missing, or a refusal
 * after Redis forgot a reservation whose commit only looked failed). Never touches a RESERVED or
 * RELEASED entry. Returns 1 when it counted it.
 */
const ADOPT = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if previous and (string.sub(previous, 1, 9) == 'RESERVED:' or string.sub(previous, 1, 9) == 'RELEASED:') then
  return 0
end
redis.call('INCRBY', KEYS[1], ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], 'RESERVED:' .. ARGV[3] .. ':' .. ARGV[2])
return 1
`;

export type ReserveOutcome =
  | 'RESERVED'
  | 'SOLD_OUT'
  | 'INSUFFICIENT_QUANTITY'
  | 'LIMIT_EXCEEDED'
  | 'NOT_STARTED'
  | 'ENDED'
  | 'NOT_FOUND'
  | 'ALREADY_RELEASED';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    saleReserve(
      meta: string,
      sold: string,
      orders: string,
      users: string,
      orderId: string,
      userId: string,
      quantity: number,
      nowMs: number,
    ): Result<[outcome: ReserveOutcome, remaining: number, heldQuantity: number, heldBy: string], Context>;
    saleRelease(
      sold: string,
      orders: string,
      users: string,
      orderId: string,
      mode: 'release' | 'forget',
    ): Result<number, Context>;
    saleAdopt(
      sold: string,
      orders: string,
      users: string,
      orderId: string,
      userId: string,
      quantity: number,
    ): Result<number, Context>;
    saleSetRules(
      meta: string,
      sold: string,
      start: number,
      end: number,
      total: number,
      limit: number,
      deleted: '0' | '1',
    ): Result<number, Context>;
    saleRestore(
      meta: string,
      sold: string,
      orders: string,
      users: string,
      start: number,
      end: number,
      total: number,
      limit: number,
      deleted: '0' | '1',
      soldQuantity: number,
      ordersJson: string,
      usersJson: string,
    ): Result<number, Context>;
  }
}

/** Registers the scripts on a client (EVALSHA, falling back to EVAL once after a SCRIPT FLUSH). */
export function defineSaleScripts(redis: Redis): void {
  redis.defineCommand('saleReserve', { numberOfKeys: 4, lua: RESERVE });
  redis.defineCommand('saleRelease', { numberOfKeys: 3, lua: RELEASE });
  redis.defineCommand('saleAdopt', { numberOfKeys: 3, lua: ADOPT });
  redis.defineCommand('saleSetRules', { numberOfKeys: 2, lua: SET_RULES });
  redis.defineCommand('saleRestore', { numberOfKeys: 4, lua: RESTORE });
}

/** What a reservation of one sale product is decided by. */
export interface SaleProductRules {
  /** Its own selling window. */
  readonly start: Date;
  readonly end: Date;
  readonly total: number;
  readonly perUserLimit: number | null;
  /** Its sale was deleted: nothing sells. */
  readonly deleted: boolean;
}

const rulesArguments = (rules: SaleProductRules) =>
  [
    rules.start.getTime(),
    rules.end.getTime(),
    rules.total,
    rules.perUserLimit ?? -1,
    rules.deleted ? '1' : '0',
  ] as const;

export class BelowSoldError extends Error {
  constructor(readonly sold: number) {
    super(`${sold} already sold`);
  }
}

/** Writes a sale product's rules; resolves with what orders hold, rejects with BelowSoldError. */
export async function writeSaleProductRules(
  redis: Redis,
  keyspace: TimesalesKeyspace,
  timeSaleProductId: string,
  rules: SaleProductRules,
): Promise<number> {
  const keys = keyspace.saleProduct(timeSaleProductId);
  try {
    return await redis.saleSetRules(keys.meta, keys.sold, ...rulesArguments(rules));
  } catch (error) {
    const match = /BELOW_SOLD (\d+)/.exec((error as Error).message);
    if (match) throw new BelowSoldError(Number(match[1]));
    throw error;
  }
}

/** The reservations of a sale product as PostgreSQL holds them, to rebuild its Redis state. */
export interface HeldState {
  readonly sold: number;
  /** orderId → the entry RESERVE would have written. */
  readonly orders: Readonly<Record<string, string>>;
  /** userId → quantity held. */
  readonly users: Readonly<Record<string, number>>;
}

/** Restores a sale product whose Redis state is missing; true when it did. */
export async function restoreSaleProduct(
  redis: Redis,
  keyspace: TimesalesKeyspace,
  timeSaleProductId: string,
  rules: SaleProductRules,
  held: HeldState,
): Promise<boolean> {
  const keys = keyspace.saleProduct(timeSaleProductId);
  const restored = await redis.saleRestore(
    keys.meta,
    keys.sold,
    keys.orders,
    keys.users,
    ...rulesArguments(rules),
    held.sold,
    JSON.stringify(held.orders),
    JSON.stringify(held.users),
  );
  return restored === 1;
}

export const reservedEntry = (quantity: number, userId: string): string => `RESERVED:${quantity}:${userId}`;
export const releasedEntry = (quantity: number, userId: string): string => `RELEASED:${quantity}:${userId}`;

/** Parses an orders-hash entry: the decision and, for held or released quantity, what and whose. */
export function parseOrderEntry(
  entry: string,
): { readonly outcome: string; readonly quantity: number; readonly userId: string } | null {
  const match = /^([A-Z_]+):(\d+):(.+)$/.exec(entry);
  if (!match) return null;
  return { outcome: match[1] as string, quantity: Number(match[2]), userId: match[3] as string };
}

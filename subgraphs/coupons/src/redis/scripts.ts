import type { Redis, Result } from 'ioredis';
import { type CouponKeyspace, PERSISTER_GROUP } from './keys.js';

/**
 * The whole first-come-first-served decision in one atomic step: window open, not claimed by
 * this user, quantity left; on acceptance the claim is recorded for the user and appended to
 * the coupon's stream in the same step, so no crash can separate "accepted" from "recorded".
 * Replaying the same claim id (a command resent after a reconnect) answers ACCEPTED again
 * without recording anything twice.
 */
const CLAIM = `
local meta = redis.call('HMGET', KEYS[1], 'start', 'end', 'total', 'deleted')
if not meta[1] or meta[4] == '1' then return 'NOT_FOUND' end
local now = tonumber(ARGV[2])
if now < tonumber(meta[1]) then return 'NOT_OPEN_YET' end
if now >= tonumber(meta[2]) then return 'CLOSED' end
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if previous then
  if previous == ARGV[3] then return 'ACCEPTED' end
  return 'ALREADY_CLAIMED'
end
local total = tonumber(meta[3])
if total >= 0 and redis.call('HLEN', KEYS[2]) >= total then return 'SOLD_OUT' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('XADD', KEYS[3], '*', 'claim', ARGV[3], 'user', ARGV[1], 'at', ARGV[2])
return 'ACCEPTED'
`;

/**
 * Sets a coupon's window and quantity. Refuses (returns the claimed count as an error) a total
 * below what has been claimed, including claims not persisted yet.
 */
const SET_META = `
local total = tonumber(ARGV[3])
local claimed = redis.call('HLEN', KEYS[2])
if total >= 0 and claimed > total then return redis.error_reply('BELOW_CLAIMED ' .. claimed) end
redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'total', ARGV[3], 'deleted', ARGV[4])
return claimed
`;

export type ClaimDecision = 'ACCEPTED' | 'SOLD_OUT' | 'ALREADY_CLAIMED' | 'NOT_OPEN_YET' | 'CLOSED' | 'NOT_FOUND';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    couponClaim(
      meta: string,
      claims: string,
      stream: string,
      userId: string,
      nowMs: number,
      claimId: string,
    ): Result<ClaimDecision, Context>;
    couponSetMeta(
      meta: string,
      claims: string,
      start: number,
      end: number,
      total: number,
      deleted: '0' | '1',
    ): Result<number, Context>;
  }
}

/** Registers the scripts on a client (EVALSHA, falling back to EVAL once after a SCRIPT FLUSH). */
export function defineCouponScripts(redis: Redis): void {
  redis.defineCommand('couponClaim', { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand('couponSetMeta', { numberOfKeys: 2, lua: SET_META });
}

export interface CouponWindow {
  readonly start: Date;
  readonly end: Date;
  /** null: unlimited. */
  readonly total: number | null;
  readonly deleted: boolean;
}

export class BelowClaimedError extends Error {
  constructor(readonly claimed: number) {
    super(`${claimed} already claimed`);
  }
}

/** Writes a coupon's claim rules to Redis and makes sure its stream has the persisters' group. */
export async function writeCouponMeta(
  redis: Redis,
  keyspace: CouponKeyspace,
  couponId: string,
  window: CouponWindow,
): Promise<number> {
  const keys = keyspace.coupon(couponId);
  try {
    const claimed = await redis.couponSetMeta(
      keys.meta,
      keys.claims,
      window.start.getTime(),
      window.end.getTime(),
      window.total ?? -1,
      window.deleted ? '1' : '0',
    );
    await ensurePersisterGroup(redis, keyspace, couponId);
    return claimed;
  } catch (error) {
    const match = /BELOW_CLAIMED (\d+)/.exec((error as Error).message);
    if (match) throw new BelowClaimedError(Number(match[1]));
    throw error;
  }
}

export async function ensurePersisterGroup(redis: Redis, keyspace: CouponKeyspace, couponId: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', keyspace.coupon(couponId).stream, PERSISTER_GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error as Error).message.includes('BUSYGROUP')) throw error;
  }
}

import { hostname } from 'node:os';
import type { Logger } from '@radiata/observability';
import { enqueue } from '@radiata/outbox';
import { type Clock, newId } from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { issuedEvent } from '../messaging/coupons-events.js';
import type { Database } from '../persistence/database.js';
import { type CouponKeyspace, PERSISTER_GROUP } from '../redis/keys.js';
import { ensurePersisterGroup } from '../redis/scripts.js';
import type { CouponRecord } from './coupons.js';

const DAY_MS = 86_400_000;
const COUPON_CACHE_MS = 5_000;
/**
 * How long a coupon of the active set may have no row before the persister stops reading it.
 * Coupons.create puts the coupon in the set before its transaction commits (claims must see the
 * rules at once), so a pass can meet a coupon whose row is not visible yet: dropping it then left
 * its accepted claims unissued. Only a creation that rolled back (its id never reached anyone)
 * stays missing.
 */
const MISSING_COUPON_GRACE_MS = 60_000;

export interface ClaimPersisterOptions {
  readonly db: Database;
  readonly redis: Redis;
  readonly keyspace: CouponKeyspace;
  /** The service clock: when a coupon's issue window is over, and the pace of take-overs and re-reads. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Claims persisted per transaction. Default 500. */
  readonly batchSize?: number;
  /** Pause when every stream is empty. Default 50 ms. */
  readonly idleMs?: number;
  /** A claim another persister took but has not acknowledged for this long is taken over. Default 30 s. */
  readonly takeOverAfterMs?: number;
  /** Shown in XINFO CONSUMERS. Default host-pid. */
  readonly consumerName?: string;
}

interface StreamClaim {
  readonly entryId: string;
  readonly claimId: string;
  readonly userId: string;
  readonly at: Date;
}

/** The message each persisted claim is announced with on the issued channel (keyed for RedisFanout). */
export interface IssuedAnnouncement {
  /** The claim id. */
  readonly key: string;
}

type StreamEntries = [id: string, fields: string[]][];

function parseEntries(entries: StreamEntries | null | undefined): StreamClaim[] {
  return (entries ?? []).flatMap(([entryId, fields]) => {
    // XAUTOCLAIM answers null fields for entries deleted meanwhile
    if (!fields) return [];
    const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
    return [{ entryId, claimId: field('claim'), userId: field('user'), at: new Date(Number(field('at'))) }];
  });
}

export const expiryOf = (coupon: Pick<CouponRecord, 'validUntil' | 'validDays'>, issuedAt: Date): Date =>
  coupon.validUntil ?? new Date(issuedAt.getTime() + (coupon.validDays ?? 0) * DAY_MS);

/**
 * Moves accepted claims from the coupons' Redis streams into PostgreSQL, in batches, then
 * acknowledges them. Idempotent: a batch redelivered after a crash (the same stream entries,
 * taken over from the dead consumer) inserts nothing twice (unique claim and coupon+user), and
 * only newly inserted issues produce a `coupons.issued` event (transactional outbox).
 */
export class ClaimPersister {
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly takeOverAfterMs: number;
  private readonly consumer: string;
  private readonly coupons = new Map<string, { coupon: CouponRecord | null; readAt: number }>();
  private readonly lastTakeOver = new Map<string, number>();
  /** Active coupons without a row, since when (see MISSING_COUPON_GRACE_MS). */
  private readonly missingSince = new Map<string, number>();
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: ClaimPersisterOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 50;
    this.takeOverAfterMs = options.takeOverAfterMs ?? 30_000;
    this.consumer = options.consumerName ?? `${hostname()}-${process.pid}`;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Finishes the batch in flight; unacknowledged claims stay in their stream for the next persister. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Persists every claim waiting now, across all active coupons; resolves with how many were processed. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const processed = await this.passOverActiveCoupons();
      total += processed;
      if (processed === 0) return total;
    }
  }

  private async loop(): Promise<void> {
    const log = this.options.logger.child({ component: 'claim-persister', consumer: this.consumer });
    while (!this.stopping) {
      try {
        if ((await this.passOverActiveCoupons()) === 0) await sleep(this.idleMs);
      } catch (error) {
        log.error({ err: error }, 'persisting claims failed; retrying');
        await sleep(Math.max(this.idleMs, 500));
      }
    }
  }

  private async passOverActiveCoupons(): Promise<number> {
    const couponIds = await this.options.redis.smembers(this.options.keyspace.active);
    let processed = 0;
    for (const couponId of couponIds) {
      if (this.stopping) break;
      processed += await this.persistStream(couponId);
    }
    return processed;
  }

  private async persistStream(couponId: string): Promise<number> {
    const { redis, keyspace } = this.options;
    const { stream } = keyspace.coupon(couponId);
    const coupon = await this.coupon(couponId);
    if (!coupon) {
      await this.missing(couponId);
      return 0;
    }
    this.missingSince.delete(couponId);
    let claims = await this.takeOver(couponId);
    if (claims.length === 0) {
      const fresh = await this.readNew(couponId);
      claims = parseEntries(fresh);
    }
    if (claims.length === 0) {
      if (coupon.issueEndAt < this.options.clock.now() && (await redis.xlen(stream)) === 0) {
        await redis.srem(keyspace.active, couponId);
      }
      return 0;
    }
    await this.persist(coupon, claims);
    const entryIds = claims.map((claim) => claim.entryId);
    await redis
      .multi()
      .xack(stream, PERSISTER_GROUP, ...entryIds)
      .xdel(stream, ...entryIds)
      .exec();
    const announcements = redis.pipeline();
    for (const claim of claims) {
      const announcement: IssuedAnnouncement = { key: claim.claimId };
      announcements.publish(keyspace.issuedChannel, JSON.stringify(announcement));
    }
    await announcements.exec();
    return claims.length;
  }

  /**
   * Claims a dead persister took and never acknowledged come first. Only they can be taken
   * over, and only once idle for takeOverAfterMs, so a stream is scanned for them at that pace,
   * not on every pass of the loop.
   */
  private async takeOver(couponId: string): Promise<StreamClaim[]> {
    const now = this.options.clock.now().getTime();
    if (within(now, this.lastTakeOver.get(couponId), this.takeOverAfterMs)) return [];
    const [, abandoned] = (await this.options.redis.xautoclaim(
      this.options.keyspace.coupon(couponId).stream,
      PERSISTER_GROUP,
      this.consumer,
      this.takeOverAfterMs,
      '0-0',
      'COUNT',
      this.batchSize,
    )) as [string, StreamEntries];
    const claims = parseEntries(abandoned);
    // More may be waiting behind a full batch: look again on the next pass.
    if (claims.length < this.batchSize) this.lastTakeOver.set(couponId, now);
    return claims;
  }

  private async readNew(couponId: string): Promise<StreamEntries | undefined> {
    const { redis, keyspace } = this.options;
    const { stream } = keyspace.coupon(couponId);
    const read = () =>
      redis.xreadgroup(
        'GROUP',
        PERSISTER_GROUP,
        this.consumer,
        'COUNT',
        this.batchSize,
        'STREAMS',
        stream,
        '>',
      ) as Promise<[string, StreamEntries][] | null>;
    try {
      return (await read())?.[0]?.[1];
    } catch (error) {
      // The stream or its group vanished (Redis lost its data): recreate, reconcile restores the rest.
      if (!(error as Error).message.includes('NOGROUP')) throw error;
      await ensurePersisterGroup(redis, keyspace, couponId);
      return (await read())?.[0]?.[1];
    }
  }

  private async persist(coupon: CouponRecord, claims: readonly StreamClaim[]): Promise<void> {
    const { db } = this.options;
    await db.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<
        { id: string; claim_id: string; user_id: string; issued_at: Date; expires_at: Date }[]
      >`
        INSERT INTO coupon_issues (id, coupon_id, user_id, claim_id, issued_at, expires_at)
        SELECT id, ${coupon.id}::uuid, user_id, claim_id, issued_at, expires_at
        FROM unnest(
          ${claims.map(() => newId())}::uuid[],
          ${claims.map((claim) => claim.userId)}::uuid[],
          ${claims.map((claim) => claim.claimId)}::uuid[],
          ${claims.map((claim) => claim.at)}::timestamptz[],
          ${claims.map((claim) => expiryOf(coupon, claim.at))}::timestamptz[]
        ) AS claim(id, user_id, claim_id, issued_at, expires_at)
        ON CONFLICT DO NOTHING
        RETURNING id, claim_id, user_id, issued_at, expires_at`;
      if (inserted.length === 0) return;
      await tx.$executeRaw`
        UPDATE coupons SET issued_quantity = issued_quantity + ${inserted.length}, updated_at = now()
        WHERE id = ${coupon.id}::uuid`;
      await enqueue(
        (sql, values) => tx.$executeRawUnsafe(sql, ...values),
        inserted.map((issue) =>
          issuedEvent({
            id: issue.id,
            couponId: coupon.id,
            userId: issue.user_id,
            claimId: issue.claim_id,
            issuedAt: issue.issued_at,
            expiresAt: issue.expires_at,
          }),
        ),
      );
    });
  }

  /**
   * Coupon definitions the streams need (validity), re-read every few seconds so an admin's
   * change applies to later claims. A deleted coupon's accepted claims are still persisted.
   */
  /** A row not found is not cached: it may be committed by the next pass. */
  private async coupon(couponId: string): Promise<CouponRecord | null> {
    const now = this.options.clock.now().getTime();
    const cached = this.coupons.get(couponId);
    if (cached && within(now, cached.readAt, COUPON_CACHE_MS)) return cached.coupon;
    const coupon = await this.options.db.coupon.findUnique({ where: { id: couponId } });
    if (coupon) this.coupons.set(couponId, { coupon, readAt: now });
    return coupon;
  }

  /** An active coupon without a row: read again on later passes, dropped once missing for the grace. */
  private async missing(couponId: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const since = this.missingSince.get(couponId);
    if (since === undefined) {
      this.missingSince.set(couponId, now);
    } else if (!within(now, since, MISSING_COUPON_GRACE_MS)) {
      this.missingSince.delete(couponId);
      await this.options.redis.srem(this.options.keyspace.active, couponId);
    }
  }
}

/**
 * Less than `ms` has passed since `since` (never set: no). A clock set back before `since` (a
 * test clock, or a corrected wall clock) counts as elapsed, so nothing waits for time to catch up.
 */
const within = (now: number, since: number | undefined, ms: number): boolean =>
  since !== undefined && now >= since && now - since < ms;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

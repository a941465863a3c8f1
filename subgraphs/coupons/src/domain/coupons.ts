import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isId,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  validateInput,
} from '@radiata/service-runtime';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Coupon } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
import type { CouponKeyspace } from '../redis/keys.js';
import { BelowClaimedError, writeCouponMeta } from '../redis/scripts.js';

export type CouponRecord = Coupon;
export type CouponState = 'UPCOMING' | 'OPEN' | 'ENDED';

export const MAX_AMOUNT = 1_000_000_000;
export const MAX_QUANTITY = 10_000_000;

export const couponState = (coupon: Pick<CouponRecord, 'issueStartAt' | 'issueEndAt'>, now: Date): CouponState =>
  now < coupon.issueStartAt ? 'UPCOMING' : now < coupon.issueEndAt ? 'OPEN' : 'ENDED';

/** What a coupon's claimed count leaves to claim: null for coupons without a total (UNLIMITED). */
export const remainingOf = (coupon: Pick<CouponRecord, 'totalQuantity'>, claimed: number): number | null =>
  coupon.totalQuantity === null ? null : Math.max(0, coupon.totalQuantity - claimed);

export interface CouponListRequest extends PageRequest {
  /** Only coupons in this state at the service clock's now; every state when absent. */
  readonly state?: CouponState | null;
}

/** The issue windows of coupons in `state` at `now`, as a query condition. */
function stateCondition(state: CouponState | null | undefined, now: Date) {
  switch (state) {
    case 'UPCOMING':
      return { issueStartAt: { gt: now } };
    case 'OPEN':
      return { issueStartAt: { lte: now }, issueEndAt: { gt: now } };
    case 'ENDED':
      return { issueEndAt: { lte: now } };
    default:
      return {};
  }
}

const amount = z.number().int().min(0, 'must not be negative').max(MAX_AMOUNT);
const rate = z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');
const title = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const instant = z.date({ error: 'must be a date-time' });

const createCouponInput = z
  .object({
    title,
    type: z.enum(['FIRST_COME_FIRST_SERVED', 'UNLIMITED']),
    discountType: z.enum(['RATE', 'AMOUNT']),
    discountRate: rate.nullish(),
    discountAmount: amount.min(1, 'must be at least 1 won').nullish(),
    minOrderAmount: amount.nullish(),
    maxOrderAmount: amount.nullish(),
    issueStartAt: instant,
    issueEndAt: instant,
    validUntil: instant.nullish(),
    validDays: z.number().int().min(1).max(3650).nullish(),
    totalQuantity: z.number().int().min(1, 'must be at least 1').max(MAX_QUANTITY).nullish(),
  })
  .superRefine((input, context) => {
    const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
    if (input.discountType === 'RATE' && input.discountRate == null)
      problem('discountRate', 'is required for RATE coupons');
    if (input.discountType === 'RATE' && input.discountAmount != null)
      problem('discountAmount', 'is only for AMOUNT coupons');
    if (input.discountType === 'AMOUNT' && input.discountAmount == null) {
      problem('discountAmount', 'is required for AMOUNT coupons');
    }
    if (input.discountType === 'AMOUNT' && input.discountRate != null)
      problem('discountRate', 'is only for RATE coupons');
    checkRules(input, problem);
    if (input.type === 'FIRST_COME_FIRST_SERVED' && input.totalQuantity == null) {
      problem('totalQuantity', 'is required for FIRST_COME_FIRST_SERVED coupons');
    }
    if (input.type === 'UNLIMITED' && input.totalQuantity != null)
      problem('totalQuantity', 'is only for FIRST_COME_FIRST_SERVED coupons');
  });

const updateCouponInput = z.object({
  title: title.nullish(),
  discountRate: rate.nullish(),
  discountAmount: amount.min(1, 'must be at least 1 won').nullish(),
  minOrderAmount: amount.nullish(),
  maxOrderAmount: amount.nullish(),
  issueStartAt: instant.nullish(),
  issueEndAt: instant.nullish(),
  validUntil: instant.nullish(),
  validDays: z.number().int().min(1).max(3650).nullish(),
  totalQuantity: z.number().int().min(1, 'must be at least 1').max(MAX_QUANTITY).nullish(),
});

type Rules = Pick<
  z.infer<typeof createCouponInput>,
  'minOrderAmount' | 'maxOrderAmount' | 'issueStartAt' | 'issueEndAt' | 'validUntil' | 'validDays'
>;

/** Rules that hold between fields, checked on creation and on the merged result of an update. */
function checkRules(input: Rules, problem: (path: string, message: string) => void): void {
  if (input.minOrderAmount != null && input.maxOrderAmount != null && input.minOrderAmount > input.maxOrderAmount) {
    problem('maxOrderAmount', 'must not be less than minOrderAmount');
  }
  if (input.issueStartAt && input.issueEndAt && input.issueStartAt >= input.issueEndAt) {
    problem('issueEndAt', 'must be after issueStartAt');
  }
  if ((input.validUntil == null) === (input.validDays == null))
    problem('validUntil', 'give exactly one of validUntil and validDays');
  if (input.validUntil && input.issueEndAt && input.validUntil < input.issueEndAt) {
    problem('validUntil', 'must not be before issueEndAt');
  }
}

const belowClaimed = (claimed: number) => {
  const message = `must not be less than the ${claimed} already claimed`;
  return badUserInput(`input.totalQuantity: ${message}`, [{ field: 'input.totalQuantity', message }]);
};

const ruleProblems = (rules: Rules) => {
  const problems: { field: string; message: string }[] = [];
  checkRules(rules, (path, message) => problems.push({ field: `input.${path}`, message }));
  return problems;
};

/**
 * Coupon definitions. PostgreSQL holds them; Redis holds what a claim needs (window, quantity,
 * claims), written inside the same database transaction so a failed Redis write changes nothing.
 */
export class Coupons {
  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly keyspace: CouponKeyspace,
    private readonly clock: Clock,
  ) {}

  /** A live (not deleted) coupon by id; null for unknown, malformed and deleted ids. Anyone may read it. */
  async find(couponId: string): Promise<CouponRecord | null> {
    if (!isId(couponId)) return null;
    return this.db.coupon.findFirst({ where: { id: couponId, deletedAt: null } });
  }

  /** Live coupons, newest first, optionally only those in one state now. Anyone may list them. */
  list(request: CouponListRequest): Promise<Connection<CouponRecord>> {
    return newestFirst(request, ({ idBelow, take }) =>
      this.db.coupon.findMany({
        where: {
          deletedAt: null,
          ...stateCondition(request.state, this.clock.now()),
          ...(idBelow ? { id: { lt: idBelow } } : {}),
        },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  /** ADMIN only. Invalid input: BAD_USER_INPUT with every problem. */
  async create(viewer: Viewer | null, rawInput: unknown): Promise<CouponRecord> {
    requireRole(viewer, 'ADMIN');
    const input = validateInput(createCouponInput, rawInput);
    return this.db.$transaction(async (tx) => {
      const coupon = await tx.coupon.create({
        data: {
          id: newId(),
          title: input.title,
          type: input.type,
          discountType: input.discountType,
          discountRate: input.discountRate ?? null,
          discountAmount: input.discountAmount ?? null,
          minOrderAmount: input.minOrderAmount ?? null,
          maxOrderAmount: input.maxOrderAmount ?? null,
          issueStartAt: input.issueStartAt,
          issueEndAt: input.issueEndAt,
          validUntil: input.validUntil ?? null,
          validDays: input.validDays ?? null,
          totalQuantity: input.totalQuantity ?? null,
        },
      });
      await this.publishRules(coupon);
      return coupon;
    });
  }

  /**
   * ADMIN only. NOT_FOUND for an unknown or deleted coupon; CONFLICT for a discount change once
   * issuing has started; BAD_USER_INPUT for invalid input or a quantity below what is claimed.
   */
  async update(viewer: Viewer | null, couponId: string, rawInput: unknown): Promise<CouponRecord> {
    requireRole(viewer, 'ADMIN');
    const input = validateInput(updateCouponInput, rawInput);
    return this.db.$transaction(async (tx) => {
      const locked = isId(couponId)
        ? await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM coupons WHERE id = ${couponId}::uuid AND deleted_at IS NULL FOR UPDATE`
        : [];
      if (locked.length === 0) throw notFound('Coupon');
      const current = await tx.coupon.findUniqueOrThrow({ where: { id: couponId } });
      const discountChange =
        (input.discountRate != null && input.discountRate !== current.discountRate) ||
        (input.discountAmount != null && input.discountAmount !== current.discountAmount);
      if (discountChange && this.clock.now() >= current.issueStartAt) {
        throw conflict('The discount cannot change once issuing has started');
      }
      if (input.discountRate != null && current.discountType !== 'RATE') {
        throw badUserInput('input.discountRate: only for RATE coupons', [
          { field: 'input.discountRate', message: 'only for RATE coupons' },
        ]);
      }
      if (input.discountAmount != null && current.discountType !== 'AMOUNT') {
        throw badUserInput('input.discountAmount: only for AMOUNT coupons', [
          { field: 'input.discountAmount', message: 'only for AMOUNT coupons' },
        ]);
      }
      if (input.totalQuantity != null && current.type !== 'FIRST_COME_FIRST_SERVED') {
        throw badUserInput('input.totalQuantity: only for FIRST_COME_FIRST_SERVED coupons', [
          { field: 'input.totalQuantity', message: 'only for FIRST_COME_FIRST_SERVED coupons' },
        ]);
      }
      if (input.totalQuantity != null && input.totalQuantity < current.issuedQuantity) {
        throw belowClaimed(current.issuedQuantity);
      }
      const merged = {
        minOrderAmount: input.minOrderAmount ?? current.minOrderAmount,
        maxOrderAmount: input.maxOrderAmount ?? current.maxOrderAmount,
        issueStartAt: input.issueStartAt ?? current.issueStartAt,
        issueEndAt: input.issueEndAt ?? current.issueEndAt,
        // validUntil and validDays replace each other
        validUntil: input.validDays != null ? null : (input.validUntil ?? current.validUntil),
        validDays: input.validUntil != null ? null : (input.validDays ?? current.validDays),
      };
      const problems = ruleProblems(merged);
      if (problems.length > 0) throw badUserInput(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);

      const updated = await tx.coupon.update({
        where: { id: couponId },
        data: {
          title: input.title ?? undefined,
          discountRate: input.discountRate ?? undefined,
          discountAmount: input.discountAmount ?? undefined,
          totalQuantity: input.totalQuantity ?? undefined,
          ...merged,
        },
      });
      await this.publishRules(updated);
      return updated;
    });
  }

  /** ADMIN only. Soft delete: no more claims; issued coupons stay usable. NOT_FOUND when already gone. */
  async delete(viewer: Viewer | null, couponId: string): Promise<void> {
    requireRole(viewer, 'ADMIN');
    if (!isId(couponId)) throw notFound('Coupon');
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.coupon.updateMany({
        where: { id: couponId, deletedAt: null },
        data: { deletedAt: this.clock.now() },
      });
      if (count === 0) throw notFound('Coupon');
      const deleted = await tx.coupon.findUniqueOrThrow({ where: { id: couponId } });
      await this.publishRules(deleted);
    });
  }

  /** Claims see the new rules before the database transaction commits; a refusal rolls it back. */
  private async publishRules(coupon: CouponRecord): Promise<void> {
    try {
      await writeCouponMeta(this.redis, this.keyspace, coupon.id, {
        start: coupon.issueStartAt,
        end: coupon.issueEndAt,
        total: coupon.totalQuantity,
        deleted: coupon.deletedAt !== null,
      });
    } catch (error) {
      if (error instanceof BelowClaimedError) throw belowClaimed(error.claimed);
      throw error;
    }
    if (coupon.deletedAt === null) await this.redis.sadd(this.keyspace.active, coupon.id);
  }
}

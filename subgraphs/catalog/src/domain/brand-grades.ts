import type { Viewer } from '@radiata/auth-context';
import { conflict, notFound } from '@radiata/errors';
import { type Clock, isUniqueViolation, requireRole, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { BrandGrade } from '../generated/prisma/client.js';
import { gradeEvents, type RecordEvents } from '../messaging/catalog-events.js';
import type { Database } from '../persistence/database.js';

export type BrandGradeRecord = BrandGrade;

/** A fee rate in basis points as the percent clients see (350 → 3.5). */
export const basisPointsToPercent = (basisPoints: number): number => basisPoints / 100;

/**
 * A percent with at most 2 decimals as basis points (3.5 → 350), or null when it has more.
 * Compared within 1e-9, as decimals are not exact in binary (0.29 * 100 = 28.999999999999996).
 */
export function percentToBasisPoints(percent: number): number | null {
  const scaled = percent * 100;
  const basisPoints = Math.round(scaled);
  return Math.abs(basisPoints - scaled) <= 1e-9 ? basisPoints : null;
}

export const GRADE_CODE = /^[A-Z][A-Z0-9_]{1,19}$/;
const gradeCode = z.string().regex(GRADE_CODE, 'must be 2 to 20 of A-Z, 0-9 and _, starting with a letter');
const gradeName = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');
const feeRatePercent = z
  .number()
  .min(0, 'must not be negative')
  .max(100, 'must be at most 100')
  .refine((percent) => percentToBasisPoints(percent) !== null, 'must have at most 2 decimals')
  // as basis points from here on (exact: the refinement held)
  .transform((percent) => Math.round(percent * 100));

const createGradeInput = z.object({ code: gradeCode, name: gradeName, feeRatePercent });
const updateGradeInput = z.object({ name: gradeName.nullish(), feeRatePercent: feeRatePercent.nullish() });

/**
 * Brand grades and their fee rates (the weekly settlement charges a brand gross × its grade's
 * rate). Sellers may read the table; only admins change it. Each change and its
 * `catalog.grade.changed` event commit together (transactional outbox).
 */
export class BrandGrades {
  constructor(
    private readonly db: Database,
    private readonly recordEvents: RecordEvents,
    private readonly clock: Clock,
  ) {}

  /** ADMIN and SELLER; every grade, by code. */
  list(viewer: Viewer | null): Promise<BrandGradeRecord[]> {
    requireRole(viewer, 'ADMIN', 'SELLER');
    return this.db.brandGrade.findMany({ orderBy: { code: 'asc' } });
  }

  /** ADMIN only. Invalid input: BAD_USER_INPUT; a code already taken: CONFLICT. */
  async create(viewer: Viewer | null, input: unknown): Promise<BrandGradeRecord> {
    requireRole(viewer, 'ADMIN');
    const { code, name, feeRatePercent: feeRateBp } = validateInput(createGradeInput, input);
    try {
      return await this.db.$transaction(async (tx) => {
        const at = this.clock.now();
        const grade = await tx.brandGrade.create({
          data: { code, name, feeRateBp, createdAt: at, updatedAt: at },
        });
        await this.recordEvents(tx, [gradeEvents.changed(grade, at)]);
        return grade;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A brand grade with code "${code}" already exists`);
      throw error;
    }
  }

  /**
   * ADMIN only; only the fields given change. Unknown code: NOT_FOUND; invalid input:
   * BAD_USER_INPUT. A change that changes nothing bumps no version and records no event.
   */
  async update(viewer: Viewer | null, code: string, input: unknown): Promise<BrandGradeRecord> {
    requireRole(viewer, 'ADMIN');
    const changes = validateInput(updateGradeInput, input);
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<unknown[]>`SELECT code FROM brand_grades WHERE code = ${code} FOR UPDATE`;
      if (locked.length === 0) throw notFound('Brand grade');
      const current = await tx.brandGrade.findUniqueOrThrow({ where: { code } });
      const name = changes.name ?? current.name;
      const feeRateBp = changes.feeRatePercent ?? current.feeRateBp;
      if (name === current.name && feeRateBp === current.feeRateBp) return current;
      const at = this.clock.now();
      const grade = await tx.brandGrade.update({
        where: { code },
        data: { name, feeRateBp, version: { increment: 1 }, updatedAt: at },
      });
      await this.recordEvents(tx, [gradeEvents.changed(grade, at)]);
      return grade;
    });
  }
}

import type { Viewer } from '@radiata/auth-context';
import { badUserInput } from '@radiata/errors';
import { type Connection, decodeCursor, isId, pageSize, toConnection } from '@radiata/service-runtime';
import type { CouponIssue } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';

export type CouponIssueRecord = CouponIssue;
/** A user as the coupons subgraph knows one: a key the users subgraph resolves. */
export interface UserReference {
  readonly id: string;
}

export const canSeeIssuesOf = (viewer: Viewer | null, userId: string): boolean =>
  viewer !== null && (viewer.id === userId || viewer.role === 'ADMIN');

export class Issues {
  constructor(private readonly db: Database) {}

  byClaimId(claimId: string): Promise<CouponIssueRecord | null> {
    return isId(claimId) ? this.db.couponIssue.findUnique({ where: { claimId } }) : Promise.resolve(null);
  }

  /** A user's coupons, newest first. */
  async ofUser(
    userId: string,
    args: { status?: CouponIssueRecord['status'] | null; first?: number | null; after?: string | null },
  ): Promise<Connection<CouponIssueRecord>> {
    const size = pageSize(args.first);
    const afterId = decodeCursor(args.after);
    if (afterId !== undefined && !isId(afterId)) throw badUserInput('after is not a valid cursor');
    const rows = await this.db.couponIssue.findMany({
      where: { userId, ...(args.status ? { status: args.status } : {}), ...(afterId ? { id: { lt: afterId } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    });
    return toConnection(rows, size, (row) => row.id);
  }
}

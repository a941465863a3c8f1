import type { Viewer } from '@radiata/auth-context';
import { type Connection, isId, newestFirst, type PageRequest } from '@radiata/service-runtime';
import type { CouponIssue } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';

export type CouponIssueRecord = CouponIssue;
/** A user as the coupons subgraph knows one: a key the users subgraph resolves. */
export interface UserReference {
  readonly id: string;
}

export interface IssueListRequest extends PageRequest {
  /** Only issues in this status; every status when absent. */
  readonly status?: CouponIssueRecord['status'] | null;
}

/** A user's coupons are theirs to see, and admins'; nobody else's. */
export const canSeeIssuesOf = (viewer: Viewer | null, userId: string): boolean =>
  viewer !== null && (viewer.id === userId || viewer.role === 'ADMIN');

/** Coupons held by shoppers (persisted claims). */
export class Issues {
  constructor(private readonly db: Database) {}

  byClaimId(claimId: string): Promise<CouponIssueRecord | null> {
    return isId(claimId) ? this.db.couponIssue.findUnique({ where: { claimId } }) : Promise.resolve(null);
  }

  /** A user's coupons, newest first (who may read them is decided where they are shown: canSeeIssuesOf). */
  ofUser(userId: string, request: IssueListRequest): Promise<Connection<CouponIssueRecord>> {
    const { status } = request;
    return newestFirst(request, ({ idBelow, take }) =>
      this.db.couponIssue.findMany({
        where: { userId, ...(status ? { status } : {}), ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }
}

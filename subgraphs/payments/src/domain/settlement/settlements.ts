import type { Viewer } from '@radiata/auth-context';
import { forbidden } from '@radiata/errors';
import {
  type Connection,
  isId,
  newestFirst,
  type PageRequest,
  requireRole,
  requireViewer,
} from '@radiata/service-runtime';
import type { Prisma, Settlement, SettlementRun } from '../../generated/prisma/client.js';
import type { Database } from '../../persistence/database.js';
import type { CatalogReplica } from '../catalog-replica.js';
import type { SettlementPeriod } from './period.js';
import { SETTLEMENT_JOB } from './settlement-runs.js';

/** A brand's closed settlement for one period, with its run. */
export type SettlementRecord = Settlement & { readonly run: SettlementRun };

/**
 * Closed settlements (of SUCCEEDED runs only: a run's partial sums are not a statement), newest
 * first: all of them for ADMINs, a seller's own brands for SELLERs (brand ownership as the
 * catalog's events told payments).
 */
export class Settlements {
  constructor(
    private readonly db: Database,
    private readonly brands: Pick<CatalogReplica, 'brandsOf' | 'ownerOf'>,
  ) {}

  /** ADMIN: every brand's settlements, of one period and/or one brand. */
  all(
    viewer: Viewer | null,
    filter: { period?: SettlementPeriod; brandId?: string | null },
    page: PageRequest,
  ): Promise<Connection<SettlementRecord>> {
    requireRole(viewer, 'ADMIN');
    const brandId = filter.brandId ?? undefined;
    if (brandId !== undefined && !isId(brandId)) return this.read({ brandIds: [] }, page);
    return this.read({ period: filter.period, brandIds: brandId === undefined ? undefined : [brandId] }, page);
  }

  /** SELLER: the settlements of the brands they own (of one period if given). */
  async mine(viewer: Viewer | null, period: SettlementPeriod | undefined, page: PageRequest) {
    const seller = requireRole(viewer, 'SELLER');
    return this.read({ period, brandIds: await this.brands.brandsOf(seller.id) }, page);
  }

  /** The brand's owner or an ADMIN: the brand's settlements; FORBIDDEN for anyone else. */
  async ofBrand(viewer: Viewer | null, brandId: string, page: PageRequest): Promise<Connection<SettlementRecord>> {
    const signedIn = requireViewer(viewer);
    if (signedIn.role !== 'ADMIN') {
      const owner = isId(brandId) ? await this.brands.ownerOf(brandId) : null;
      if (signedIn.role !== 'SELLER' || owner !== signedIn.id) {
        throw forbidden("Only the brand's owner and admins see its settlements");
      }
    }
    return this.read({ brandIds: [brandId] }, page);
  }

  /** ADMIN: one run's settlements (none until it SUCCEEDED). */
  ofRun(viewer: Viewer | null, run: SettlementRun, page: PageRequest): Promise<Connection<SettlementRecord>> {
    requireRole(viewer, 'ADMIN');
    return this.read({ runId: run.id }, page);
  }

  private read(
    filter: { period?: SettlementPeriod | undefined; brandIds?: readonly string[] | undefined; runId?: string },
    page: PageRequest,
  ): Promise<Connection<SettlementRecord>> {
    const where: Prisma.SettlementWhereInput = {
      run: { job: SETTLEMENT_JOB, status: 'SUCCEEDED', ...(filter.period ? { periodStart: filter.period.start } : {}) },
      ...(filter.runId ? { runId: filter.runId } : {}),
      ...(filter.brandIds ? { brandId: { in: [...filter.brandIds] } } : {}),
    };
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.settlement.findMany({
        where: idBelow ? { ...where, id: { lt: idBelow } } : where,
        include: { run: true },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }
}

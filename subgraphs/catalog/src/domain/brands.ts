import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, forbidden, notFound, unauthenticated } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { Brand } from '../generated/prisma/client.js';
import { brandEvents, type RecordEvents } from '../messaging/catalog-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { Sellers } from './sellers.js';

export type BrandRecord = Brand;
/** A user as the catalog knows one: a key the users subgraph resolves. */
export interface UserReference {
  readonly id: string;
}

/** Brands are managed by their owner (a SELLER) and by admins. */
export const canManageBrand = (viewer: Viewer | null, brand: Pick<BrandRecord, 'ownerId'>): boolean =>
  viewer !== null && (viewer.role === 'ADMIN' || (viewer.role === 'SELLER' && viewer.id === brand.ownerId));

/** UNAUTHENTICATED for anonymous callers, FORBIDDEN for anyone but the owner and admins. */
export function requireBrandManager(viewer: Viewer | null, brand: Pick<BrandRecord, 'ownerId'>): Viewer {
  if (!viewer) throw unauthenticated();
  if (!canManageBrand(viewer, brand)) throw forbidden('Only the brand owner or an admin can do this');
  return viewer;
}

const brandName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const createBrandInput = z.object({
  name: brandName,
  ownerId: z.string().refine(isId, 'is not a user id').nullish(),
});
const updateBrandInput = z.object({ name: brandName.nullish() });

/**
 * Brands: each change (create, rename, grade, delete) bumps the brand's version and commits
 * with its `catalog.brand.changed` event (transactional outbox).
 */
export class Brands {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly sellers: Pick<Sellers, 'isSeller'>,
    private readonly recordEvents: RecordEvents,
  ) {}

  /** Live brands, newest first (anyone may browse them). */
  list(page: PageRequest): Promise<Connection<BrandRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.brand.findMany({
        where: { deletedAt: null, ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  /** Live brand by id, or NOT_FOUND. */
  async get(id: string): Promise<BrandRecord> {
    const brand = isId(id) ? await this.db.brand.findFirst({ where: { id, deletedAt: null } }) : null;
    if (!brand) throw notFound('Brand');
    return brand;
  }

  /** SELLER (for themself) or ADMIN (for any owner). Name taken, in any case: CONFLICT. */
  async create(viewer: Viewer | null, input: unknown): Promise<BrandRecord> {
    if (!viewer) throw unauthenticated();
    if (viewer.role !== 'SELLER' && viewer.role !== 'ADMIN') throw forbidden('Only sellers and admins create brands');
    const { name, ownerId } = validateInput(createBrandInput, input);
    if (ownerId && ownerId !== viewer.id) {
      if (viewer.role !== 'ADMIN') throw forbidden('Only admins create brands for someone else');
      if (!(await this.sellers.isSeller(ownerId))) {
        throw badUserInput('input.ownerId: is not an existing SELLER', [
          { field: 'input.ownerId', message: 'is not an existing SELLER' },
        ]);
      }
    }
    return this.uniqueName(name, () =>
      this.db.$transaction(async (tx) => {
        const brand = await tx.brand.create({ data: { id: newId(), name, ownerId: ownerId ?? viewer.id } });
        await this.recordEvents(tx, [brandEvents.changed(brand, this.clock.now())]);
        return brand;
      }),
    );
  }

  /** The brand's owner or ADMIN. Name taken: CONFLICT. */
  async update(viewer: Viewer | null, id: string, input: unknown): Promise<BrandRecord> {
    const brand = await this.get(id);
    requireBrandManager(viewer, brand);
    const { name } = validateInput(updateBrandInput, input);
    if (!name) return brand;
    return this.uniqueName(name, () =>
      this.db.$transaction(async (tx) => {
        const current = await this.lockLive(tx, id);
        if (current.name === name) return current;
        return this.change(tx, id, { name });
      }),
    );
  }

  /** ADMIN only. An unknown (or deleted) brand or an unknown grade: NOT_FOUND. The same grade again changes nothing. */
  async setGrade(viewer: Viewer | null, id: string, grade: string): Promise<BrandRecord> {
    requireRole(viewer, 'ADMIN');
    await this.get(id);
    return this.db.$transaction(async (tx) => {
      const current = await this.lockLive(tx, id);
      // Grades are never deleted: one read now is there at commit.
      if (!(await tx.brandGrade.findUnique({ where: { code: grade }, select: { code: true } }))) {
        throw notFound('Brand grade');
      }
      if (current.grade === grade) return current;
      return this.change(tx, id, { grade });
    });
  }

  /** Soft delete. The brand's owner or ADMIN; only a brand without live products (CONFLICT otherwise). */
  async delete(viewer: Viewer | null, id: string): Promise<void> {
    const brand = await this.get(id);
    requireBrandManager(viewer, brand);
    await this.db.$transaction(async (tx) => {
      // Locks the brand row: a product created concurrently waits for this to finish (and a
      // concurrent delete finds it gone).
      await this.lockLive(tx, id);
      const live = await tx.product.count({ where: { brandId: id, deletedAt: null } });
      if (live > 0) throw conflict(`The brand still has ${live} product(s); delete them first`);
      await this.change(tx, id, { deletedAt: this.clock.now() });
    });
  }

  /** The live brand, locked until the transaction ends; NOT_FOUND when it is gone. */
  private async lockLive(tx: Transaction, id: string): Promise<BrandRecord> {
    const locked = await tx.$queryRaw<unknown[]>`
      SELECT id FROM brands WHERE id = ${id}::uuid AND deleted_at IS NULL FOR UPDATE`;
    if (locked.length === 0) throw notFound('Brand');
    return tx.brand.findUniqueOrThrow({ where: { id } });
  }

  /** Applies a change to a locked brand, bumping its version, and records the brand as it is then. */
  private async change(
    tx: Transaction,
    id: string,
    data: { name?: string; grade?: string; deletedAt?: Date },
  ): Promise<BrandRecord> {
    const brand = await tx.brand.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    await this.recordEvents(tx, [brandEvents.changed(brand, this.clock.now())]);
    return brand;
  }

  private async uniqueName(name: string, write: () => Promise<BrandRecord>): Promise<BrandRecord> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A brand named "${name}" already exists`);
      throw error;
    }
  }
}

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
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { Brand } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
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

export class Brands {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly sellers: Pick<Sellers, 'isSeller'>,
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
      this.db.brand.create({ data: { id: newId(), name, ownerId: ownerId ?? viewer.id } }),
    );
  }

  /** The brand's owner or ADMIN. Name taken: CONFLICT. */
  async update(viewer: Viewer | null, id: string, input: unknown): Promise<BrandRecord> {
    const brand = await this.get(id);
    requireBrandManager(viewer, brand);
    const { name } = validateInput(updateBrandInput, input);
    if (!name) return brand;
    return this.uniqueName(name, () => this.db.brand.update({ where: { id }, data: { name } }));
  }

  /** Soft delete. The brand's owner or ADMIN; only a brand without live products (CONFLICT otherwise). */
  async delete(viewer: Viewer | null, id: string): Promise<void> {
    const brand = await this.get(id);
    requireBrandManager(viewer, brand);
    await this.db.$transaction(async (tx) => {
      // Locks the brand row: a product created concurrently waits for this to finish.
      await tx.$queryRaw`SELECT id FROM brands WHERE id = ${id}::uuid FOR UPDATE`;
      const live = await tx.product.count({ where: { brandId: id, deletedAt: null } });
      if (live > 0) throw conflict(`The brand still has ${live} product(s); delete them first`);
      await tx.brand.update({ where: { id }, data: { deletedAt: this.clock.now() } });
    });
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

import type { Viewer } from '@radiata/auth-context';
import { badUserInput } from '@radiata/errors';
import {
  type Connection,
  decodeCursor,
  isId,
  type PageRequest,
  pageSize,
  toConnection,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
import type { Categories, CategoryTree } from './categories.js';
import { MAX_PRICE, type ProductRecord } from './products.js';

export type ProductSort = 'NEWEST' | 'PRICE_ASC' | 'PRICE_DESC';
type Status = ProductRecord['status'];

const EVERY_STATUS: Status[] = ['ON_SALE', 'SOLD_OUT', 'HIDDEN'];

const filterSchema = z
  .object({
    brandId: z.string().refine(isId, 'is not a brand id').nullish(),
    categoryId: z.string().refine(isId, 'is not a category id').nullish(),
    gender: z.enum(['ALL', 'MAN', 'WOMAN']).nullish(),
    color: z.enum(['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE']).nullish(),
    size: z.enum(['SMALL', 'MEDIUM', 'LARGE', 'FREE']).nullish(),
    minPrice: z.number().int().min(0).max(MAX_PRICE).nullish(),
    maxPrice: z.number().int().min(0).max(MAX_PRICE).nullish(),
    query: z.string().trim().max(100, 'must be at most 100 characters').nullish(),
    status: z
      .array(z.enum(['ON_SALE', 'SOLD_OUT', 'HIDDEN']))
      .max(3)
      .nullish(),
  })
  .refine((f) => f.minPrice == null || f.maxPrice == null || f.minPrice <= f.maxPrice, {
    path: ['maxPrice'],
    message: 'must not be less than minPrice',
  });

export type ProductFilter = z.input<typeof filterSchema>;

export interface ProductQuery {
  readonly filter?: ProductFilter | null;
  readonly sort?: ProductSort | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** Keyset position: the sort key of the last row seen. Ids break ties, so every row has one place. */
type Position =
  | { readonly sort: 'NEWEST'; readonly id: string }
  | { readonly sort: 'PRICE'; readonly price: number; readonly id: string };

const cursorKey = (sort: ProductSort, product: ProductRecord): string =>
  sort === 'NEWEST' ? `n:${product.id}` : `p:${product.salePrice}:${product.id}`;

function parsePosition(sort: ProductSort, after: string | null | undefined): Position | undefined {
  const key = decodeCursor(after);
  if (key === undefined) return undefined;
  const invalid = () => badUserInput('after: not a cursor of this sort order');
  const parts = key.split(':');
  if (sort === 'NEWEST') {
    if (parts.length !== 2 || parts[0] !== 'n' || !isId(parts[1] ?? '')) throw invalid();
    return { sort: 'NEWEST', id: parts[1] as string };
  }
  const price = Number(parts[1]);
  if (parts.length !== 3 || parts[0] !== 'p' || !Number.isSafeInteger(price) || !isId(parts[2] ?? '')) throw invalid();
  return { sort: 'PRICE', price, id: parts[2] as string };
}

/** Prisma's `contains` is a LIKE that keeps wildcards live (prisma/orm#19506): match them literally. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Browsing: filters, three sort orders and keyset (cursor) pagination, so pages stay complete
 * and free of duplicates while products are added concurrently.
 */
export class ProductSearch {
  constructor(
    private readonly db: Database,
    private readonly categories: Categories,
  ) {}

  /**
   * A page of live products the viewer may see. `categoryTree` gives the tree a category filter
   * expands to (a request's loader reads it once however often it is asked); default: read it now.
   */
  async search(
    viewer: Viewer | null,
    query: ProductQuery,
    categoryTree: () => Promise<CategoryTree> = () => this.categories.tree(),
  ): Promise<Connection<ProductRecord>> {
    const filter = validateInput(filterSchema, query.filter ?? {}, 'filter');
    const sort = query.sort ?? 'NEWEST';
    const size = pageSize(query.first);
    const position = parsePosition(sort, query.after);

    const where: Prisma.ProductWhereInput[] = [{ deletedAt: null }, this.visibility(viewer, filter.status)];
    if (filter.brandId) where.push({ brandId: filter.brandId });
    if (filter.categoryId) where.push({ categoryId: { in: (await categoryTree()).subtree(filter.categoryId) } });
    if (filter.gender) where.push({ gender: filter.gender === 'ALL' ? 'ALL' : { in: [filter.gender, 'ALL'] } });
    if (filter.color) where.push({ color: filter.color });
    if (filter.size) where.push({ size: filter.size });
    if (filter.minPrice != null) where.push({ salePrice: { gte: filter.minPrice } });
    if (filter.maxPrice != null) where.push({ salePrice: { lte: filter.maxPrice } });
    if (filter.query) where.push({ name: { contains: escapeLike(filter.query), mode: 'insensitive' } });
    if (position) where.push(after(sort, position));

    const rows = await this.db.product.findMany({
      where: { AND: where },
      orderBy: orderBy(sort),
      take: size + 1,
    });
    return toConnection(rows, size, (row) => cursorKey(sort, row));
  }

  /** A brand's products, newest first: every status, HIDDEN ones only for the brand's owner and admins. */
  ofBrand(viewer: Viewer | null, brandId: string, page: PageRequest): Promise<Connection<ProductRecord>> {
    return this.search(viewer, { filter: { brandId, status: EVERY_STATUS }, sort: 'NEWEST', ...page });
  }

  /** HIDDEN products only for admins and, for their own brands, sellers. */
  private visibility(viewer: Viewer | null, requested: readonly Status[] | null | undefined): Prisma.ProductWhereInput {
    const statuses = new Set<Status>(requested?.length ? requested : ['ON_SALE', 'SOLD_OUT']);
    const visible = [...statuses].filter((status) => status !== 'HIDDEN');
    if (!statuses.has('HIDDEN') || !viewer || viewer.role === 'CUSTOMER') return { status: { in: visible } };
    if (viewer.role === 'ADMIN') return { status: { in: [...statuses] } };
    return { OR: [{ status: { in: visible } }, { status: 'HIDDEN', brand: { ownerId: viewer.id } }] };
  }
}

function orderBy(sort: ProductSort): Prisma.ProductOrderByWithRelationInput[] {
  switch (sort) {
    case 'NEWEST':
      return [{ id: 'desc' }];
    case 'PRICE_ASC':
      return [{ salePrice: 'asc' }, { id: 'asc' }];
    case 'PRICE_DESC':
      return [{ salePrice: 'desc' }, { id: 'desc' }];
  }
}

function after(sort: ProductSort, position: Position): Prisma.ProductWhereInput {
  if (position.sort === 'NEWEST') return { id: { lt: position.id } };
  const beyond = sort === 'PRICE_ASC' ? 'gt' : 'lt';
  return {
    OR: [{ salePrice: { [beyond]: position.price } }, { salePrice: position.price, id: { [beyond]: position.id } }],
  };
}

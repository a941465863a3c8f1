import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { BrandGradeRecord } from './domain/brand-grades.js';
import type { BrandRecord } from './domain/brands.js';
import type { Categories, CategoryTree } from './domain/categories.js';
import type { ProductRecord } from './domain/products.js';
import type { Database } from './persistence/database.js';

export interface CatalogLoaders {
  /** Live (not soft-deleted) products by id, whatever their status; null for unknown or malformed ids. */
  readonly productById: DataLoader<string, ProductRecord | null>;
  /** Live brands by id; null for unknown or malformed ids. */
  readonly brandById: DataLoader<string, BrandRecord | null>;
  /** Brand grades by code; null for unknown codes. */
  readonly gradeByCode: DataLoader<string, BrandGradeRecord | null>;
  /** Live brands of each owner, oldest first. */
  readonly brandsByOwnerId: DataLoader<string, BrandRecord[]>;
  /** The whole category tree, read once per request. */
  categoryTree(): Promise<CategoryTree>;
  /** A brand `brandById` has read in this request (null: there is none); undefined when not read yet. */
  loadedBrand(id: string): BrandRecord | null | undefined;
  /** The category tree once this request has read it; undefined before. */
  loadedCategoryTree(): CategoryTree | undefined;
}

const byKey = <K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): (T | null)[] => {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
};

/** What the loaders read through (a part of CatalogServices). */
export interface LoaderServices {
  readonly db: Database;
  readonly categories: Pick<Categories, 'tree'>;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db, categories }: LoaderServices): CatalogLoaders {
  let tree: Promise<CategoryTree> | undefined;
  let loadedTree: CategoryTree | undefined;
  const loadedBrands = new Map<string, BrandRecord | null>();
  return {
    productById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.product.findMany({ where: { id: { in: valid }, deletedAt: null } }) : [];
      return byKey(ids, rows, (row) => row.id);
    }),
    brandById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.brand.findMany({ where: { id: { in: valid }, deletedAt: null } }) : [];
      const brands = byKey(ids, rows, (row) => row.id);
      for (const [index, id] of ids.entries()) loadedBrands.set(id, brands[index] ?? null);
      return brands;
    }),
    gradeByCode: new DataLoader(async (codes) =>
      byKey(codes, await db.brandGrade.findMany({ where: { code: { in: [...codes] } } }), (row) => row.code),
    ),
    brandsByOwnerId: new DataLoader(async (ownerIds) => {
      const valid = ownerIds.filter(isId);
      const rows = valid.length
        ? await db.brand.findMany({ where: { ownerId: { in: valid }, deletedAt: null }, orderBy: { id: 'asc' } })
        : [];
      return ownerIds.map((ownerId) => rows.filter((row) => row.ownerId === ownerId));
    }),
    categoryTree: () => {
      tree ??= categories.tree().then((read) => {
        loadedTree = read;
        return read;
      });
      return tree;
    },
    loadedBrand: (id) => loadedBrands.get(id),
    loadedCategoryTree: () => loadedTree,
  };
}
